// What run, show, rack and compare print on a terminal and off one (#23 item 1, #26): tables within 100
// columns, colour only on a terminal without NO_COLOR, the live status line, the report path; GPUs named as
// nvidia-smi names them; profile durations; and an inventory probe that cannot hang the command.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;
const std::string kData = TRANCHE_TEST_DATA;
const std::string kFakeNvml = std::string("LD_LIBRARY_PATH=") + TRANCHE_FAKE_NVML_DIR;
const std::string kBaselines = "TRANCHE_BASELINES_DIR=" + std::string(TRANCHE_SOURCE_DIR) + "/baselines";

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::size_t widest_line(const std::string& text) {
  std::size_t widest = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::size_t chars = 0;
    for (unsigned char c : line) chars += (c & 0xC0) != 0x80;
    widest = std::max(widest, chars);
  }
  return widest;
}

// The command under a pseudo-terminal (util-linux script), so isatty(1) and isatty(2) are true; output as seen.
CliResult on_terminal(const std::string& env, const std::string& args) {
  const std::string cmd = env + " " + quoted(TRANCHE_BINARY) + " " + args;
  return run_shell("TERM=xterm script -qec " + quoted(cmd) + " /dev/null");
}

TEST(TerminalCli, ShowOffATerminalIsPlainFitsAndNamesTheReport) {
  const std::string report = kData + "/reports/unknown-sku.json";
  const auto r = run_cli({"show", report}, "", kBaselines);
  EXPECT_EQ(r.out.find('\033'), std::string::npos) << r.out;
  EXPECT_LE(widest_line(r.out), 100u) << r.out;
  EXPECT_NE(r.out.find("GPU  CHECK"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Verdict: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Report: " + report), std::string::npos) << r.out;
}

TEST(TerminalCli, ColourOnATerminalUnlessNoColor) {
  const std::string report = kData + "/reports/unknown-sku.json";
  const auto coloured = on_terminal(kBaselines, "show " + quoted(report));
  EXPECT_NE(coloured.out.find("\033["), std::string::npos) << coloured.out;
  const auto plain = on_terminal(kBaselines + " NO_COLOR=1", "show " + quoted(report));
  EXPECT_NE(plain.out.find("Verdict: "), std::string::npos) << plain.out;
  EXPECT_EQ(plain.out.find('\033'), std::string::npos) << plain.out;
}

TEST(TerminalCli, RunOnATerminalKeepsALiveStatusLineAndErasesIt) {
  const std::string dir = make_temp_dir();
  const auto r = on_terminal(kFakeNvml + " NO_COLOR=1",
                             "run --checks preflight.,host.memcpy --set host.memcpy.bytes=1MiB --out " + quoted(dir));
  // The status line: counter, what runs, elapsed and time left, redrawn in place (carriage return, erase line).
  EXPECT_NE(r.out.find("\r\033[K["), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" elapsed | "), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.find(" left") != std::string::npos || r.out.find("estimate exceeded") != std::string::npos)
      << r.out;
  // Erased before the summary: its first line starts clean.
  const auto header = r.out.rfind("tranche ", r.out.find(" - host "));
  ASSERT_NE(header, std::string::npos) << r.out;
  EXPECT_EQ(r.out.substr(header - 4, 4), "\r\033[K") << r.out;
  EXPECT_NE(r.out.find(" GPU  CHECK"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

TEST(TerminalCli, RunOffATerminalHasNoStatusLineAndRecordsNvidiaSmiNumbers) {
  const std::string dir = make_temp_dir();
  const auto r = run_cli({"run", "--checks", "preflight.", "--gpus", "00000000:2A:00.0,0", "--out", dir}, "", kFakeNvml);
  EXPECT_EQ(r.err.find('\033'), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find('\033'), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("measurements, about "), std::string::npos) << "the header states the estimate: " << r.err;
  // Off a terminal the table still fits 100 columns; prose (header, verdict, per-GPU lines) stays one line each.
  std::string table;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("tranche ", 0) != 0 && line.rfind("Verdict: ", 0) != 0 && line.rfind("GPU ", 0) != 0) {
      table += line + "\n";
    }
  }
  EXPECT_LE(widest_line(table), 100u) << r.out;
  EXPECT_NE(r.out.find("\nVerdict: "), std::string::npos) << r.out;
  const auto reports = files_with_suffix(dir, ".json");
  ASSERT_EQ(reports.size(), 1u) << r.err;
  std::ifstream in(reports[0]);
  const auto j = nlohmann::json::parse(in);
  // The fake NVML's GPU 1 sits at bus 2A (tests/fake_nvml), GPU 0 is named by its index: both selected.
  EXPECT_EQ(j["options"]["gpus_nvidia_smi"], nlohmann::json::array({0, 1})) << j["options"].dump();
  fs::remove_all(dir);
}

TEST(TerminalCli, ListProfilesEstimatesEachProfilesDuration) {
  const auto r = run_cli({"list", "--profiles"}, "", kBaselines);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const std::string p : {"acceptance", "quick", "burnin", "full"}) {
    const auto at = r.out.find(p + " ");
    ASSERT_NE(at, std::string::npos) << r.out;
    EXPECT_NE(r.out.substr(at, 80).find("about "), std::string::npos) << r.out.substr(at, 80);
  }
  const auto js = run_cli({"list", "--profiles", "--json"}, "", kBaselines);
  double quick = 0, burnin = 0;
  for (const auto& p : nlohmann::json::parse(js.out)) {
    ASSERT_TRUE(p["estimated_s"].is_number()) << p.dump();
    if (p["name"] == "quick") quick = p["estimated_s"];
    if (p["name"] == "burnin") burnin = p["estimated_s"];
  }
  EXPECT_GT(quick, 0);
  EXPECT_LT(quick, 600) << "a nightly sweep";
  EXPECT_GT(burnin, 1800) << "the burn-in profile's duration is 30m";
}

TEST(TerminalCli, InventoryProbesInAWorkerSoAHungNvmlEndsAsProbeTimeout) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = run_cli({"inventory"}, "", "TRANCHE_FAULT=nvml_hang TRANCHE_PROBE_TIMEOUT_S=2");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("E_PROBE_TIMEOUT"), std::string::npos) << r.err;
  EXPECT_LT(s, 12.0);
  EXPECT_NE(r.out.find("node "), std::string::npos) << r.out;
}

}  // namespace
}  // namespace tranche::test
