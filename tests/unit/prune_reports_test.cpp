// prune_reports: the newest runs of this host stay; other hosts, other files and pruning off are untouched.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/core/prune_reports.h"

namespace tranche {
namespace {

namespace fs = std::filesystem;

void touch(const fs::path& p) { std::ofstream(p) << "{}"; }

TEST(PruneReports, KeepsTheNewestRunsOfThisHostOnly) {
  const fs::path dir = fs::temp_directory_path() / ("tranche-prune-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::vector<std::string> stamps = {"20261201T170000.000Z", "20261201T170500.000Z", "20261201T170500.000Z-2",
                                           "20261201T171000.000Z"};
  for (const auto& s : stamps) {
    touch(dir / ("gpu7-" + s + ".json"));
    touch(dir / ("gpu7-" + s + ".events.jsonl"));
  }
  touch(dir / "gpu7-20261201T165500.000Z.events.jsonl");  // a run that died before its report: still a run
  touch(dir / "gpu70-20261201T160000.000Z.json");         // another host whose name starts the same
  touch(dir / "gpu7-notes.json");                          // not a run
  touch(dir / "rack.json");
  EXPECT_TRUE(prune_reports(dir.string(), "gpu7", 0).empty());
  const auto removed = prune_reports(dir.string(), "gpu7", 2);
  EXPECT_EQ(removed.size(), 5u);
  for (const std::string gone : {"gpu7-20261201T165500.000Z.events.jsonl", "gpu7-20261201T170000.000Z.json",
                                 "gpu7-20261201T170000.000Z.events.jsonl", "gpu7-20261201T170500.000Z.json",
                                 "gpu7-20261201T170500.000Z.events.jsonl"}) {
    EXPECT_FALSE(fs::exists(dir / gone)) << gone;
  }
  for (const std::string kept : {"gpu7-20261201T170500.000Z-2.json", "gpu7-20261201T171000.000Z.json",
                                 "gpu7-20261201T171000.000Z.events.jsonl", "gpu70-20261201T160000.000Z.json",
                                 "gpu7-notes.json", "rack.json"}) {
    EXPECT_TRUE(fs::exists(dir / kept)) << kept;
  }
  EXPECT_TRUE(prune_reports((dir / "missing").string(), "gpu7", 1).empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tranche
