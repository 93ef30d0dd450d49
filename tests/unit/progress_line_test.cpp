// Progress lines come from the runner's event stream as each check ends, not after the run.
#include <gtest/gtest.h>

#include "harness/core/runner.h"
#include "reports/progress_line.h"
#include "tests/unit/fake_checks.h"

namespace tranche {
namespace {

TEST(ProgressLine, OneLinePerCheckEndPrintedBeforeTheNextCheckStarts) {
  CheckRegistry registry;
  registry.add([] { return std::make_unique<test::FakeMetricCheck>(); });
  const SystemInfo sys = test::fake_system(3);
  Profile p;
  p.name = "t";
  p.source = "t";
  p.checks = {{"fake.metric", {}, true}};
  PlanOptions o;
  o.sequential = true;
  const Plan plan = make_plan(registry, sys, p, o);

  std::vector<std::string> lines;
  int starts = 0, ends_seen_at_start = 0;
  bool in_order = true;
  run_plan(plan, sys, [&](const nlohmann::json& e) {
    if (e["event"] == "check_start") {
      // Every check that ended before this one started already has its line.
      in_order &= static_cast<int>(lines.size()) == starts;
      ++starts;
      ends_seen_at_start = static_cast<int>(lines.size());
    }
    if (auto line = progress_line(e, static_cast<int>(lines.size()) + 1, 3)) lines.push_back(*line);
  });
  EXPECT_TRUE(in_order);
  EXPECT_EQ(ends_seen_at_start, 2);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("[  1/3] fake.metric"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("GPU 0"), std::string::npos) << lines[0];
  EXPECT_NE(lines[2].find("GPU 2"), std::string::npos) << lines[2];
  EXPECT_NE(lines[1].find(" ok "), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("11"), std::string::npos) << "the headline figure: " << lines[1];
}

TEST(ProgressLine, NamesErrorsAndIgnoresOtherEvents) {
  EXPECT_FALSE(progress_line({{"event", "check_start"}, {"check", "x"}}, 1, 1));
  const auto line = progress_line({{"event", "check_end"}, {"check", "membw.triad"}, {"gpu", 4}, {"status", "error"},
                                   {"error", "E_TIMEOUT"}, {"duration_s", 300.2}, {"figure", nullptr}},
                                  7, 0);
  ASSERT_TRUE(line);
  EXPECT_EQ(line->find("["), std::string::npos) << "no counter when the total is unknown: " << *line;
  EXPECT_NE(line->find("error E_TIMEOUT"), std::string::npos) << *line;
  EXPECT_NE(line->find("300.2 s"), std::string::npos) << *line;
  const auto node = progress_line({{"event", "check_end"}, {"check", "p2p.bidir"}, {"gpu", nullptr},
                                   {"status", "ok"}, {"duration_s", 1.0},
                                   {"figure", {{"value", 3.5e11}, {"unit", "B/s"}}}},
                                  1, 2);
  ASSERT_TRUE(node);
  EXPECT_NE(node->find("node"), std::string::npos) << *node;
  EXPECT_NE(node->find("GB/s"), std::string::npos) << *node;
}

}  // namespace
}  // namespace tranche
