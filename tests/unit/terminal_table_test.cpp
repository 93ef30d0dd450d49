// Terminal tables: layout within 100 columns, wrapping, colour only when asked for, and golden plain output of
// the node, rack and compare summaries (tests/data/golden/terminal/).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/core/atomic_file.h"
#include "reports/fleet_tables.h"
#include "reports/terminal_summary.h"
#include "reports/terminal_table.h"

namespace tranche {
namespace {

const std::string kGoldenDir = std::string(TRANCHE_TEST_DATA) + "/golden/terminal/";

std::size_t widest_line(const std::string& text) {
  std::size_t widest = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) widest = std::max(widest, display_width(line));
  return widest;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Two GPUs whose CUDA order is the reverse of nvidia-smi's (CUDA 0 is nvidia-smi 1): the table names nvidia-smi's.
NodeReport two_gpu_report() {
  NodeReport r;
  r.tool.version = "0.1.0";
  r.host = "gpu-a01";
  r.started_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'780'000'000));
  r.profile.name = "acceptance";
  r.baseline.id = "h100-sxm5-80gb";
  r.inventory = {{"gpus",
                  {{{"index", 0}, {"nvml_index", 1}, {"serial", "1650000000002"}, {"pci_bus_id", "0000:5D:00.0"}},
                   {{"index", 1}, {"nvml_index", 0}, {"serial", "1650000000001"}, {"pci_bus_id", "0000:18:00.0"}}}}};
  auto verdict = [](std::string check, std::optional<int> gpu, Outcome o, std::optional<double> observed,
                    std::optional<double> reference, std::string unit, std::string message, std::string error = "") {
    Verdict v;
    v.check_id = std::move(check);
    v.metric = v.check_id + "/bandwidth";
    v.device = gpu;
    v.outcome = o;
    v.observed = observed;
    v.reference = reference;
    if (observed && reference) v.ratio = *observed / *reference;
    v.unit = std::move(unit);
    v.message = std::move(message);
    v.error_id = std::move(error);
    return v;
  };
  r.verdicts = {
      verdict("preflight.driver", std::nullopt, Outcome::pass, 580.65, 550.0, "", ""),
      verdict("gemm.bf16", 0, Outcome::pass, 7.4e14, 7.9e14, "FLOP/s", ""),
      verdict("gemm.bf16", 1, Outcome::pass, 7.5e14, 7.9e14, "FLOP/s", ""),
      verdict("pcie.h2d", 0, Outcome::fail, 2.71e10, 5.54e10, "B/s",
              "pcie.h2d/bandwidth 27.1 GB/s = 0.49 x 55.4 GB/s, below the fail ratio 0.80; the link trained at x8 "
              "(expected x16): reseat the GPU or its riser, then re-run"),
      verdict("pcie.h2d", 1, Outcome::pass, 5.5e10, 5.54e10, "B/s", ""),
      verdict("p2p.latency", 1, Outcome::unjudged, 2.1e-6, std::nullopt, "s", "no expectation in the baseline"),
      verdict("membw.triad", 1, Outcome::error, std::nullopt, std::nullopt, "B/s",
              "the check passed its deadline and its worker was killed", "E_TIMEOUT"),
  };
  r.summary = summarize(r.verdicts);
  return r;
}

nlohmann::json rack_fixture() {
  return nlohmann::json::parse(R"({
    "name": "rack07", "acceptance": "rejected", "worst": "fail",
    "headline": "rejected: 2/3 nodes accepted, 1 GPUs to return, 1 fleet outliers, 1 hosts missing, 0 reports left out",
    "nodes": [
      {"host": "gpu001", "acceptance": "accepted", "worst": "pass", "failing_checks": []},
      {"host": "gpu002", "acceptance": "rejected", "worst": "fail", "failing_checks": ["pcie.h2d", "pcie.bidir"]},
      {"host": "gpu003", "acceptance": "accepted", "worst": "pass", "failing_checks": []}],
    "rma": [{"host": "gpu002", "gpu": 3, "serial": "1654223041183", "uuid": null, "pci_bus_id": "0000:5D:00.0",
             "failures": [{"check_id": "pcie.h2d", "metric": "pcie.h2d/bandwidth", "error_id": "",
                           "message": "27.1 GB/s = 0.49 x 55.4 GB/s"}],
             "next_step": "reseat"}],
    "outliers": [{"scope": "gpu", "host": "gpu003", "gpu": 5, "metric": "gemm.bf16/flops", "unit": "FLOP/s",
                  "value": 7.1e14, "median": 7.5e14, "outcome": "warn"}],
    "expected_hosts": {"given": true, "missing": ["gpu004"], "unexpected": []}})");
}

nlohmann::json compare_fixture() {
  return nlohmann::json::parse(R"({
    "before": {"file": "factory/gpu002.json"}, "after": {"file": "site/gpu002.json"}, "tolerance": 0.05,
    "headline": "1 regressions beyond 5%, 1 GPUs missing, 0 moved, 0 added",
    "regressions": 1,
    "changes": [
      {"subject": {"host": "gpu002", "gpu": 3, "serial": "1654223041183"}, "metric": "pcie.h2d/bandwidth",
       "unit": "B/s", "before": 5.5e10, "after": 2.71e10, "ratio": 0.4927, "regression": true},
      {"subject": {"host": "gpu002", "gpu": 0, "serial": "1654223041180"}, "metric": "gemm.bf16/flops",
       "unit": "FLOP/s", "before": 7.5e14, "after": 7.52e14, "ratio": 1.0027, "regression": false}],
    "outcome_changes": [{"subject": {"host": "gpu002"}, "before": "accepted", "after": "rejected"}],
    "missing": [{"host": "gpu002", "gpu": 7, "serial": "1654223041187"}], "added": [], "moved": []})");
}

struct Golden {
  const char* file;
  std::string (*render)();
};

// As on a terminal without colour: tables and prose within 100 columns.
TableStyle terminal() {
  TableStyle s;
  s.wrap_prose = true;
  return s;
}

const Golden kGoldens[] = {
    {"node_summary.txt", [] { return render_terminal_summary(two_gpu_report(), terminal()); }},
    {"rack_summary.txt", [] { return render_rack_summary(rack_fixture(), terminal()); }},
    {"compare_summary.txt", [] { return render_compare_summary(compare_fixture(), terminal()); }},
};

TEST(TerminalGolden, PlainOutputMatchesGoldenFiles) {
  for (const auto& g : kGoldens) {
    const std::string out = g.render();
    EXPECT_EQ(out, read_text(kGoldenDir + g.file))
        << g.file << " differs; if the change is intended, rewrite it with tranche_unit_tests "
        << "--gtest_also_run_disabled_tests --gtest_filter=TerminalGolden.DISABLED_Regenerate and review the diff";
    EXPECT_LE(widest_line(out), 100u) << g.file;
    EXPECT_EQ(out.find('\033'), std::string::npos) << g.file;
  }
}

TEST(TerminalGolden, DISABLED_Regenerate) {
  for (const auto& g : kGoldens) write_file_atomic(kGoldenDir + g.file, g.render());
}

TEST(TerminalSummary, NamesGpusAsNvidiaSmiDoesAndShowsRatios) {
  const std::string out = render_terminal_summary(two_gpu_report());
  // CUDA ordinal 0 is nvidia-smi's GPU 1: its failed PCIe row is labelled 1.
  EXPECT_NE(out.find("  1  pcie.h2d"), std::string::npos) << out;
  EXPECT_NE(out.find("27.1 GB/s"), std::string::npos) << out;
  EXPECT_NE(out.find("0.49  fail"), std::string::npos) << out;
  EXPECT_NE(out.find("node  preflight.driver"), std::string::npos) << out;
  EXPECT_NE(out.find("E_TIMEOUT: the check passed its deadline"), std::string::npos) << out;
  EXPECT_NE(out.find("Verdict: rejected"), std::string::npos) << out;
}

TEST(TerminalSummary, OffATerminalEachVerdictIsOneLine) {
  const std::string out = render_terminal_summary(two_gpu_report());
  EXPECT_NE(out.find("Verdict: rejected: E_TIMEOUT - a check ran past its deadline; next: raise the check's timeout "
                     "only if the GPU is known good; otherwise drain and inspect the GPU; not judged: "
                     "p2p.latency/bandwidth\n"),
            std::string::npos)
      << out;
}

TEST(TerminalColour, OnlyOnATerminalWithoutNoColor) {
  EXPECT_TRUE(colour_wanted(true, nullptr, "xterm-256color"));
  EXPECT_TRUE(colour_wanted(true, "", "xterm"));  // no-color.org: an empty NO_COLOR does not count
  EXPECT_FALSE(colour_wanted(true, "1", "xterm"));
  EXPECT_FALSE(colour_wanted(false, nullptr, "xterm"));
  EXPECT_FALSE(colour_wanted(true, nullptr, "dumb"));
}

TEST(TerminalColour, ColourWrapsOnlyToneCellsAndPlainHasNoEscapes) {
  TableStyle colour;
  colour.colour = true;
  const std::string painted = render_terminal_summary(two_gpu_report(), colour);
  EXPECT_NE(painted.find("\033[1;31mfail\033[0m"), std::string::npos) << painted;
  EXPECT_NE(painted.find("\033[32mpass\033[0m"), std::string::npos) << painted;
  // Escapes do not count toward the width: the lines still fit once they are removed.
  std::string stripped;
  for (std::size_t i = 0; i < painted.size(); ++i) {
    if (painted[i] == '\033') {
      i = painted.find('m', i);
      continue;
    }
    stripped += painted[i];
  }
  EXPECT_EQ(stripped, render_terminal_summary(two_gpu_report()));
  colour.wrap_prose = true;  // a wrapped verdict is coloured line by line
  const std::string wrapped = render_terminal_summary(two_gpu_report(), colour);
  EXPECT_NE(wrapped.find("Verdict: \033[1;31mrejected:"), std::string::npos) << wrapped;
  EXPECT_NE(wrapped.find("\n         \033[1;31m"), std::string::npos) << wrapped;
  TableStyle plain;
  for (const std::string& out : {render_terminal_summary(two_gpu_report(), plain),
                                 render_rack_summary(rack_fixture(), plain),
                                 render_compare_summary(compare_fixture(), plain)}) {
    EXPECT_EQ(out.find('\033'), std::string::npos);
  }
}

TEST(TerminalTable, LastColumnWrapsUnderItselfAndMovesBelowWhenNarrow) {
  const std::vector<TableColumn> cols = {{"A"}, {"B", true}, {"NOTE"}};
  const std::vector<std::vector<TableCell>> rows = {
      {{"x"}, {"12"}, {"one two three four five six seven eight nine ten eleven twelve thirteen fourteen"}}};
  TableStyle s;
  s.width = 50;  // 43 characters left for the note: it wraps under itself
  EXPECT_EQ(render_table(cols, rows, s),
            "A   B  NOTE\n"
            "x  12  one two three four five six seven eight\n"
            "       nine ten eleven twelve thirteen fourteen\n");
  s.width = 30;  // 23 left, fewer than 40: the note goes below its row
  EXPECT_EQ(render_table(cols, rows, s),
            "A   B  NOTE\n"
            "x  12\n"
            "    one two three four five\n"
            "    six seven eight nine ten\n"
            "    eleven twelve thirteen\n"
            "    fourteen\n");
  const std::vector<std::vector<TableCell>> wide = {
      {{"a-very-long-first-cell"}, {"1234567890"}, {"note text that moves below"}}};
  s.width = 40;
  EXPECT_EQ(render_table(cols, wide, s),
            "A                                B  NOTE\n"
            "a-very-long-first-cell  1234567890\n"
            "    note text that moves below\n");
}

TEST(TerminalTable, CapsCutLongCellsAndEveryLineFits) {
  const std::vector<TableColumn> cols = {{"CHECK", false, 8}, {"NOTE"}};
  const std::vector<std::vector<TableCell>> rows = {
      {{"preflight.persistence"}, {std::string(250, 'x')}},  // one unbreakable word
      {{"gemm"}, {"\xC3\x97 multiplies: UTF-8 counts as one column"}}};
  TableStyle s;
  s.width = 60;
  const std::string out = render_table(cols, rows, s);
  EXPECT_NE(out.find("preflig~  xxxx"), std::string::npos) << out;
  EXPECT_LE(widest_line(out), 60u) << out;
  EXPECT_EQ(display_width("\xC3\x97"), 1u);
}

}  // namespace
}  // namespace tranche
