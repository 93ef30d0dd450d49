// tranche render and the --html/--md/--junit/--prom/--csv shortcuts: files written atomically, stdout, the
// textfile-collector default, and bad inputs (one line naming the input, exit 64, nothing written).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "harness/core/atomic_file.h"
#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;
const std::string kFixtures = std::string(TRANCHE_TEST_DATA) + "/render/";

size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(RenderCli, WritesEachFormatToAFileOrStdout) {
  const std::string out = make_temp_dir();
  for (const char* format : {"md", "junit", "prom", "csv", "html"}) {
    const auto r = run_cli({"render", kFixtures + "node.json", "--format", format, "-o", out + "/node." + format});
    EXPECT_EQ(r.exit_code, 0) << format << ": " << r.err;
    EXPECT_GT(fs::file_size(out + "/node." + format), 1000u) << format;
  }
  EXPECT_TRUE(files_with_suffix(out, ".tmp").empty());
  const auto md = run_cli({"render", kFixtures + "rack.json", "--format", "md"});
  EXPECT_EQ(md.exit_code, 0) << md.err;
  EXPECT_EQ(md.out.rfind("# tranche rack report: rack-07", 0), 0u) << md.out.substr(0, 200);
  EXPECT_EQ(run_cli({"render", kFixtures + "rack.json", "--format", "md", "-o", "-"}).out, md.out);
}

TEST(RenderCli, PrometheusWithoutOutGoesToTheTextfileCollectorDirectory) {
  const std::string dir = make_temp_dir();
  const auto w = run_cli({"render", kFixtures + "node.json", "--format", "prom"}, "",
                         "TRANCHE_TEXTFILE_COLLECTOR_DIR=" + dir);
  EXPECT_EQ(w.exit_code, 0) << w.err;
  EXPECT_EQ(read_file(dir + "/tranche.prom").rfind("# HELP tranche_node_acceptance", 0), 0u);
  const auto rack = run_cli({"render", kFixtures + "rack.json", "--format", "prom"}, "",
                            "TRANCHE_TEXTFILE_COLLECTOR_DIR=" + dir);
  EXPECT_EQ(rack.exit_code, 0) << rack.err;
  EXPECT_TRUE(fs::exists(dir + "/tranche-rack.prom"));
  const auto missing = run_cli({"render", kFixtures + "node.json", "--format", "prom"}, "",
                               "TRANCHE_TEXTFILE_COLLECTOR_DIR=" + dir + "/absent");
  EXPECT_EQ(missing.exit_code, 64);
  EXPECT_NE(missing.err.find(dir + "/absent does not exist"), std::string::npos) << missing.err;
  EXPECT_EQ(lines(missing.err), 1u) << missing.err;
  const auto s = run_cli({"render", kFixtures + "node.json", "--format", "prom", "-o", "-"});
  EXPECT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(s.out.rfind("# HELP tranche_node_acceptance", 0), 0u);
}

TEST(RenderCli, BadInputsExit64WithOneLineAndWriteNothing) {
  const std::string out = make_temp_dir();
  write_file_atomic(out + "/inventory.json", read_file(std::string(TRANCHE_TEST_DATA) + "/inventory/ecc_off.json"));
  write_file_atomic(out + "/broken.json", "{\"schema\": \"tranche/rack-report/v1\", ");
  struct Case {
    std::vector<std::string> args;
    std::string must_name;
  };
  const std::vector<Case> cases = {
      {{"render", out + "/missing.json", "--format", "md"}, "missing.json"},
      {{"render", out + "/inventory.json", "--format", "md"}, "inventory.json"},
      {{"render", out + "/broken.json", "--format", "md"}, "broken.json"},
      {{"render", kFixtures + "node.json", "--format", "pdf"}, "--format"},
      {{"render", kFixtures + "compare.json", "--format", "prom", "-o", out + "/c.prom"}, "compare.json"},
      {{"render", kFixtures + "node.json", "--format", "md", "-o", "/proc/no/such/dir/x.md"}, "/proc/no/such/dir"},
  };
  for (const auto& c : cases) {
    const auto r = run_cli(c.args);
    EXPECT_EQ(r.exit_code, 64) << c.args[1] << ": " << r.err;
    EXPECT_NE(r.err.find(c.must_name), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err), 1u) << r.err;
  }
  EXPECT_FALSE(fs::exists(out + "/c.prom"));
}

TEST(RenderCli, RackShortcutsRenderTheNewRackReport) {
  const std::string out = make_temp_dir();
  const auto r = run_cli({"rack", kFixtures + "nodes", "-o", out + "/rack.json", "--html", out + "/rack.html", "--junit",
                          out + "/rack.xml", "--md", out + "/rack.md", "--prom", out + "/rack.prom", "--csv",
                          out + "/rack.csv"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // the fixture rack has a failing GPU
  for (const char* ext : {"html", "xml", "md", "prom", "csv"}) {
    EXPECT_TRUE(fs::exists(out + "/rack." + ext)) << ext;
    EXPECT_NE(r.out.find(out + "/rack." + ext), std::string::npos) << r.out;
  }
  EXPECT_NE(read_file(out + "/rack.md").find("| gpu00006 | 1 | 1654200000601 |"), std::string::npos);
}

TEST(RenderCli, ShortcutTargetIsCheckedBeforeAnythingRuns) {
  const std::string out = make_temp_dir();
  const auto rack = run_cli({"rack", kFixtures + "nodes", "-o", out + "/rack.json", "--html", "/proc/no/such/x.html"});
  EXPECT_EQ(rack.exit_code, 64);
  EXPECT_NE(rack.err.find("/proc/no/such"), std::string::npos) << rack.err;
  EXPECT_FALSE(fs::exists(out + "/rack.json"));
  const auto run = run_cli({"run", "--out", out + "/run", "--junit", "/proc/no/such/x.xml"});
  EXPECT_EQ(run.exit_code, 64) << run.err;
  EXPECT_NE(run.err.find("/proc/no/such"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace tranche::test
