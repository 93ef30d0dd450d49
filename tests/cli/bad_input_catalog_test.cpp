// The bad-input catalog (docs/robustness.md): each malformed input is its own test, and each must give one line
// on stderr naming the input, exit 64, and no report. TRANCHE_WRITE_CATALOG=FILE also writes the table of
// results that docs/robustness.md carries.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;

struct Invocation {
  Invocation(std::vector<std::string> a, std::string name, std::string e = "")
      : args(std::move(a)), must_name(std::move(name)), env(std::move(e)) {}
  std::vector<std::string> args;
  std::string must_name;  // what the one-line error must mention (the file, flag or setting)
  std::string env;
};

struct BadInput {
  const char* name;   // the test's name
  const char* input;  // what is wrong, for the catalog
  std::function<Invocation(const std::string& dir)> make;
};

std::string write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const std::string kData = TRANCHE_TEST_DATA;
const std::string kGolden = kData + "/golden/node_report.json";

// A node report given to `tranche show`, made from the golden report by `edit`.
Invocation show_edited(const std::string& dir, const std::function<void(nlohmann::json&)>& edit) {
  auto j = nlohmann::json::parse(slurp(kGolden));
  edit(j);
  const std::string p = write(dir + "/report.json", j.dump());
  return {{"show", p}, p};
}
Invocation show_text(const std::string& dir, const std::string& text) {
  const std::string p = write(dir + "/report.json", text);
  return {{"show", p}, p};
}
Invocation run_with(const std::string& dir, std::vector<std::string> args, std::string must_name, std::string env = "") {
  args.insert(args.begin(), "run");
  args.insert(args.end(), {"--out", dir + "/out"});
  return {args, std::move(must_name), std::move(env)};
}
Invocation profile_text(const std::string& dir, const std::string& text) {
  const std::string p = write(dir + "/profile.json", text);
  return run_with(dir, {"--profile", p}, p);
}
Invocation overrides_text(const std::string& dir, const std::string& text) {
  const std::string p = write(dir + "/site.json", text);
  return run_with(dir, {"--overrides", p, "--baseline", "h100-sxm5-80gb"}, p);
}
Invocation baseline_text(const std::string& dir, const std::string& text) {
  const std::string p = write(dir + "/baseline.json", text);
  return run_with(dir, {"--baseline", p}, p);
}
std::string valid_baseline() { return slurp(kData + "/baselines/valid/test-sku.json"); }
std::string replace_first(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

const std::vector<BadInput>& catalog() {
  static const std::vector<BadInput> k = {
      // Node reports (tranche show / judge).
      {"ReportEmptyFile", "node report: empty file", [](auto d) { return show_text(d, ""); }},
      {"ReportTruncated", "node report: truncated JSON (first half of a valid report)",
       [](auto d) { const auto t = slurp(kGolden); return show_text(d, t.substr(0, t.size() / 2)); }},
      {"ReportNotJson", "node report: plain text", [](auto d) { return show_text(d, "this is not a report\n"); }},
      {"ReportNonUtf8", "node report: invalid UTF-8 bytes in a string",
       [](auto d) { return show_text(d, replace_first(slurp(kGolden), "\"tranche/node-report/v2\"", "\"tranche/node-report/v2\xff\xfe\"")); }},
      {"ReportFutureSchema", "node report: schema from the future (tranche/node-report/v9)",
       [](auto d) { return show_edited(d, [](auto& j) { j["schema"] = "tranche/node-report/v9"; }); }},
      {"ReportSummaryWrongType", "node report: summary is a string",
       [](auto d) { return show_edited(d, [](auto& j) { j["summary"] = "accepted"; }); }},
      {"ReportMissingMeasurements", "node report: required key measurements missing",
       [](auto d) { return show_edited(d, [](auto& j) { j.erase("measurements"); }); }},
      {"ReportNanLiteral", "node report: NaN literal as a metric value",
       [](auto d) { return show_text(d, replace_first(slurp(kGolden), "\"duration_s\": ", "\"duration_s\": NaN, \"x\": ")); }},
      {"ReportHugeNumber", "node report: 1e999 (out of range) as a duration",
       [](auto d) { return show_text(d, replace_first(slurp(kGolden), "\"duration_s\": ", "\"duration_s\": 1e999, \"x\": ")); }},
      {"ReportNegativeSamples", "node report: negative n_samples",
       [](auto d) { return show_edited(d, [](auto& j) {
         for (auto& m : j["measurements"]) for (auto& x : m["metrics"]) x["n"] = -3; }); }},
      {"ReportDuplicateKey", "node report: the key schema twice",
       [](auto d) { return show_text(d, replace_first(slurp(kGolden), "{", "{\"schema\": \"tranche/node-report/v2\", ")); }},
      {"ReportUnknownAcceptance", "node report: acceptance 'maybe'",
       [](auto d) { return show_edited(d, [](auto& j) { j["summary"]["acceptance"] = "maybe"; }); }},
      {"ReportTopLevelArray", "node report: a JSON array", [](auto d) { return show_text(d, "[1, 2, 3]"); }},
      {"ReportIsADirectory", "node report: a directory where a file is expected",
       [](auto d) { fs::create_directory(d + "/dir.json"); return Invocation{{"show", d + "/dir.json"}, d + "/dir.json"}; }},
      {"ReportSymlinkLoop", "node report: a symbolic link to itself",
       [](auto d) { fs::create_symlink(d + "/loop.json", d + "/loop.json"); return Invocation{{"show", d + "/loop.json"}, d + "/loop.json"}; }},
      {"ReportMissingFile", "node report: file does not exist",
       [](auto d) { return Invocation{{"show", d + "/absent.json"}, d + "/absent.json"}; }},
      {"ReportOneGigabyte", "node report: a 1 GiB file (sparse)",
       [](auto d) {
         const std::string p = d + "/huge.json";
         std::ofstream(p).close();
         fs::resize_file(p, 1ull << 30);
         return Invocation{{"show", p}, p};
       }},
      // Baselines (--baseline FILE; `tranche baseline validate` uses the same reader).
      {"BaselineEmptyFile", "baseline: empty file", [](auto d) { return baseline_text(d, ""); }},
      {"BaselineNonUtf8", "baseline: invalid UTF-8 in the id",
       [](auto d) { return baseline_text(d, replace_first(valid_baseline(), "\"id\": \"", "\"id\": \"\xc3\x28")); }},
      {"BaselineDuplicateKey", "baseline: the key id twice",
       [](auto d) { return baseline_text(d, replace_first(valid_baseline(), "{", "{\"id\": \"other\", ")); }},
      {"BaselineInfiniteReference", "baseline: reference 1e999",
       [](auto d) { return baseline_text(d, replace_first(valid_baseline(), "\"reference\": ", "\"reference\": 1e999, \"x\": ")); }},
      {"BaselineFutureSchema", "baseline: schema tranche/baseline/v9",
       [](auto d) { return baseline_text(d, replace_first(valid_baseline(), "tranche/baseline/v1", "tranche/baseline/v9")); }},
      {"BaselineNumberOutOfRange", "baseline: a number out of range (4e443, found by fuzz_baseline)",
       [](auto d) { return baseline_text(d, "4e443\""); }},
      {"BaselineIsADirectory", "baseline: a directory",
       [](auto d) { fs::create_directory(d + "/b.json"); return run_with(d, {"--baseline", d + "/b.json"}, d + "/b.json"); }},
      // Profiles (--profile FILE).
      {"ProfileEmptyFile", "profile: empty file", [](auto d) { return profile_text(d, ""); }},
      {"ProfileTruncated", "profile: truncated JSON", [](auto d) { return profile_text(d, "{\"name\": \"x\", \"checks\": [{\"sel"); }},
      {"ProfileChecksWrongType", "profile: checks is a string",
       [](auto d) { return profile_text(d, R"({"name": "x", "description": "d", "checks": "gemm."})"); }},
      {"ProfileUnknownCheck", "profile: selects a check that does not exist",
       [](auto d) { return profile_text(d, R"({"name": "x", "description": "d", "checks": [{"select": "warp.drive"}]})"); }},
      {"ProfileNegativeTimeout", "profile: timeout_s -5",
       [](auto d) { return profile_text(d, R"({"name": "x", "description": "d", "checks": [{"select": "host.memcpy", "params": {"timeout_s": -5}}]})"); }},
      {"ProfileEnormousSize", "profile: bytes 1e300 for an integer parameter",
       [](auto d) { return profile_text(d, R"({"name": "x", "description": "d", "checks": [{"select": "host.memcpy", "params": {"bytes": 1e300}}]})"); }},
      {"ProfileUnknownParameter", "profile: a parameter the check does not have",
       [](auto d) { return profile_text(d, R"({"name": "x", "description": "d", "checks": [{"select": "host.memcpy", "params": {"warp": 9}}]})"); }},
      {"ProfileIsADirectory", "profile: a directory",
       [](auto d) { fs::create_directory(d + "/p.json"); return run_with(d, {"--profile", d + "/p.json"}, d + "/p.json"); }},
      // Site overrides (--overrides FILE).
      {"OverridesEmptyFile", "site overrides: empty file", [](auto d) { return overrides_text(d, ""); }},
      {"OverridesTruncated", "site overrides: truncated JSON", [](auto d) { return overrides_text(d, "{\"schema\": "); }},
      {"OverridesUnknownKey", "site overrides: an unknown top-level key",
       [](auto d) { return overrides_text(d, replace_first(slurp(kData + "/baselines/overrides/stricter-h100.json"), "{", "{\"colour\": \"red\", ")); }},
      {"OverridesWrongSku", "site overrides: for another SKU than the baseline",
       [](auto d) { const std::string p = kData + "/baselines/overrides/wrong-sku.json";
                    return run_with(d, {"--overrides", p, "--baseline", "h100-sxm5-80gb"}, p); }},
      {"OverridesSymlinkLoop", "site overrides: a symbolic link to itself",
       [](auto d) { fs::create_symlink(d + "/o.json", d + "/o.json"); return run_with(d, {"--overrides", d + "/o.json"}, d + "/o.json"); }},
      // Command-line flags and settings of tranche run.
      {"FlagSetWithoutEquals", "--set without =", [](auto d) { return run_with(d, {"--checks", "host.memcpy", "--set", "host.memcpy.bytes"}, "--set"); }},
      {"FlagSetNotANumber", "--set bytes=abc", [](auto d) { return run_with(d, {"--checks", "host.memcpy", "--set", "host.memcpy.bytes=abc"}, "host.memcpy.bytes"); }},
      {"FlagSetEnormous", "--set bytes=1e400", [](auto d) { return run_with(d, {"--checks", "host.memcpy", "--set", "host.memcpy.bytes=1e400"}, "host.memcpy.bytes"); }},
      {"FlagSetNegativeTimeout", "--set timeout_s=-1", [](auto d) { return run_with(d, {"--checks", "host.memcpy", "--set", "host.memcpy.timeout_s=-1"}, "timeout_s"); }},
      {"FlagSetUnknownParameter", "--set a parameter no check has",
       [](auto d) { return run_with(d, {"--checks", "host.memcpy", "--set", "host.memcpy.warp=1"}, "warp"); }},
      {"FlagUnknownCheck", "--checks a check that does not exist", [](auto d) { return run_with(d, {"--checks", "warp.drive"}, "warp.drive"); }},
      {"FlagNegativeGpu", "--gpus -1", [](auto d) { return run_with(d, {"--gpus", "-1"}, "--gpus"); }},
      {"FlagEnormousGpu", "--gpus 99999999999", [](auto d) { return run_with(d, {"--gpus", "99999999999"}, "--gpus"); }},
      {"FlagUnknownProfile", "--profile a name that is neither shipped nor a file",
       [](auto d) { return run_with(d, {"--profile", "nightly-ish"}, "nightly-ish"); }},
      {"FlagUnknownBaseline", "--baseline an unknown SKU", [](auto d) { return run_with(d, {"--baseline", "h999"}, "h999"); }},
      {"FlagOutIsAFile", "--out an existing regular file",
       [](auto d) { write(d + "/file", "x"); return Invocation{{"run", "--out", d + "/file"}, d + "/file"}; }},
      {"FlagUnknownOption", "an unknown option", [](auto d) { return run_with(d, {"--warp-speed"}, "--warp-speed"); }},
      {"SettingMalformedFault", "TRANCHE_FAULT=explode@gemm",
       [](auto d) { return run_with(d, {}, "TRANCHE_FAULT", "TRANCHE_FAULT=explode@gemm"); }},
      {"SettingBadProbeTimeout", "TRANCHE_PROBE_TIMEOUT_S=soon",
       [](auto d) { return run_with(d, {}, "TRANCHE_PROBE_TIMEOUT_S", "TRANCHE_PROBE_TIMEOUT_S=soon"); }},
  };
  return k;
}

class BadInputCatalog : public ::testing::TestWithParam<size_t> {};

TEST_P(BadInputCatalog, OneLineNamingTheInputExit64NoReport) {
  const BadInput& c = catalog()[GetParam()];
  const std::string dir = make_temp_dir();
  const Invocation inv = c.make(dir);
  const CliResult r = run_cli(inv.args, "", inv.env);
  EXPECT_EQ(r.exit_code, 64) << c.input << "\n" << r.out << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.input << ": " << r.err;
  EXPECT_NE(r.err.find(inv.must_name), std::string::npos) << c.input << ": error does not name " << inv.must_name << ": " << r.err;
  EXPECT_TRUE(files_with_suffix(dir + "/out", ".json").empty()) << "a report was written for bad input";
  if (const char* table = std::getenv("TRANCHE_WRITE_CATALOG")) {
    std::string line = r.err.substr(0, r.err.find('\n'));
    for (auto at = line.find(dir); at != std::string::npos; at = line.find(dir)) line.replace(at, dir.size(), "DIR");
    for (auto at = line.find(kData); at != std::string::npos; at = line.find(kData)) line.replace(at, kData.size(), "tests/data");
    for (auto at = line.find('|'); at != std::string::npos; at = line.find('|', at + 2)) line.replace(at, 1, "\\|");
    std::ofstream(table, std::ios::app) << "| " << c.name << " | " << c.input << " | " << r.exit_code << " | `" << line << "` |\n";
  }
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Catalog, BadInputCatalog, ::testing::Range<size_t>(0, catalog().size()),
                         [](const auto& p) { return std::string(catalog()[p.param].name); });

}  // namespace
}  // namespace tranche::test
