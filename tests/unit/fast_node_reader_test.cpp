// FastNodeReader: the same digest as the full reader, and the same one-line errors for the same bad files.
#include <algorithm>
#include <cstdio>

#include "digest_text.h"
#include "reports/fast_node_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fleet_fixture.h"
#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"

namespace tranche {
namespace {

using test::digest_text;


std::string full_reader_error(const std::string& path) {
  try {
    load_node_report(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string fast_reader_error(const std::string& path) {
  try {
    FastNodeReader().read(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(FastNodeReader, SameDigestAsFullReaderOnFixture) {
  const std::string path = std::string(TRANCHE_TEST_DATA) + "/reports/h100-8gpu.json";
  const NodeDigest fast = FastNodeReader().read(path);
  const NodeDigest full = node_digest_from_report(load_node_report(path));
  EXPECT_EQ(digest_text(fast, false), digest_text(full, false));
  EXPECT_EQ(fast.host, "gpu-node-017");
  EXPECT_EQ(fast.gpus.size(), 8u);
  EXPECT_EQ(fast.sha256.size(), 64u);
}

TEST(FastNodeReader, SameDigestAsFullReaderOnRealisticReportWithProblems) {
  SyntheticNodeSpec spec;
  spec.host = "gpu042";
  spec.node_index = 41;
  spec.failing_gpu = 2;
  spec.gpu_scale[5] = 0.9;
  const std::string path = test::temp_path("realistic.json");
  save_node_report(make_synthetic_node_report(spec, test::h100_inventory(), test::h100_baseline()), path);
  const NodeDigest fast = FastNodeReader().read(path);
  EXPECT_EQ(digest_text(fast, false), digest_text(node_digest_from_report(load_node_report(path)), false));
  EXPECT_GT(fast.figures.size(), 400u);
  EXPECT_FALSE(fast.problems.empty());
  EXPECT_EQ(fast.summary.acceptance, Acceptance::rejected);
  // GPU 5 runs at 0.9 of the others: some check's standing is below 1 (printed for the record).
  ASSERT_FALSE(fast.standing_by_check.empty());
  double lowest = 2;
  for (const auto& [check, r] : fast.standing_by_check) {
    EXPECT_GT(r, 0) << check;
    lowest = std::min(lowest, r);
    std::printf("standing %s %.4f\n", check.c_str(), r);
  }
  EXPECT_LT(lowest, 1.0);
  std::filesystem::remove(path);
}

// Each corruption: both readers reject, with the same one-line message.
TEST(FastNodeReader, RejectsWhatTheFullReaderRejectsWithTheSameMessage) {
  const std::string good = read_file(std::string(TRANCHE_TEST_DATA) + "/reports/h100-8gpu.json");
  auto json = nlohmann::json::parse(good);
  std::vector<std::pair<std::string, std::string>> cases = {
      {"truncated", good.substr(0, good.size() / 2)},
      {"empty", ""},
      {"not-json", "hello"},
  };
  auto with = [&](const std::function<void(nlohmann::json&)>& f) {
    auto j = json;
    f(j);
    return j.dump(2);
  };
  cases.push_back({"host-number", with([](auto& j) { j["host"] = 5; })});
  cases.push_back({"no-summary", with([](auto& j) { j.erase("summary"); })});
  cases.push_back({"future-schema", with([](auto& j) { j["schema"] = "tranche/node-report/v9"; })});
  cases.push_back({"bad-outcome", with([](auto& j) { j["verdicts"][0]["outcome"] = "great"; })});
  cases.push_back({"metric-value-string", with([](auto& j) { j["measurements"][0]["metrics"][0]["value"] = "1"; })});
  cases.push_back({"labels-not-strings", with([](auto& j) { j["measurements"][0]["metrics"][0]["labels"] = {{"a", 1}}; })});
  for (const auto& [name, text] : cases) {
    const std::string path = test::temp_path(name + ".json");
    std::ofstream(path) << text;
    const std::string full = full_reader_error(path);
    EXPECT_NE(full, "(accepted)") << name;
    EXPECT_EQ(fast_reader_error(path), full) << name;
    EXPECT_EQ(full.find('\n'), std::string::npos) << name;
    std::filesystem::remove(path);
  }
  EXPECT_EQ(fast_reader_error("/nonexistent/report.json"), full_reader_error("/nonexistent/report.json"));
}

// The inventory is free-form: both readers accept odd GPU entries and the digest simply lacks them.
TEST(FastNodeReader, AcceptsWhatTheFullReaderAccepts) {
  auto j = nlohmann::json::parse(read_file(std::string(TRANCHE_TEST_DATA) + "/reports/h100-8gpu.json"));
  j["inventory"]["gpus"][1] = 3;
  j["inventory"]["gpus"][2]["serial"] = 12345;
  const std::string path = test::temp_path("odd-inventory.json");
  std::ofstream(path) << j.dump();
  EXPECT_EQ(full_reader_error(path), "(accepted)");
  const NodeDigest d = FastNodeReader().read(path);
  EXPECT_EQ(digest_text(d, false), digest_text(node_digest_from_report(load_node_report(path)), false));
  EXPECT_EQ(d.gpus.size(), 7u);
  std::filesystem::remove(path);
}

TEST(NodeStanding, LowestRatioTurnedSoThatBelowOneIsWorse) {
  NodeDigest d;
  note_standing(d, "gemm.bf16", standing_direction("higher_is_better"), 0.97);
  note_standing(d, "gemm.bf16", standing_direction("higher_is_better"), 0.91);
  note_standing(d, "gemm.bf16", standing_direction("higher_is_better"), 1.04);
  note_standing(d, "p2p.latency", standing_direction("lower_is_better"), 1.25);  // 25% slower: 0.8
  note_standing(d, "preflight.gpu_count", standing_direction("equal"), 0.5);    // no direction: absent
  note_standing(d, "membw.triad", standing_direction("higher_is_better"), std::nullopt);
  note_standing(d, "membw.copy", standing_direction("higher_is_better"), 0.0);   // no ratio can be turned
  EXPECT_EQ(d.standing_by_check.size(), 2u);
  EXPECT_DOUBLE_EQ(d.standing_by_check.at("gemm.bf16"), 0.91);
  EXPECT_DOUBLE_EQ(d.standing_by_check.at("p2p.latency"), 0.8);
}

}  // namespace
}  // namespace tranche
