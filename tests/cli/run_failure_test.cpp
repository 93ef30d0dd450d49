// `tranche run`'s event log (content and order), and a run that breaks midway (in the runner, the judge or the
// save: TRANCHE_TEST_FAULT) still writes a schema-valid report that carries the failure.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/core/model_json.h"
#include "reports/node_report.h"
#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;
const std::string kSrc = TRANCHE_SOURCE_DIR;
const std::string kNoDevice = "CUDA_VISIBLE_DEVICES=";  // the GPU-less path on every machine

std::vector<nlohmann::json> read_events(const std::string& dir) {
  const auto files = files_with_suffix(dir, ".events.jsonl");
  std::vector<nlohmann::json> out;
  if (files.size() != 1) return out;
  std::ifstream in(files[0]);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::string only_report(const std::string& dir) {
  const auto files = files_with_suffix(dir, "Z.json");
  return files.size() == 1 ? files[0] : "";
}

int schema_check(const std::string& report) {
  return run_shell("'" + std::string(TRANCHE_PYTHON) + "' '" + kSrc + "/tests/tools/validate_json.py' '" + kSrc +
                   "/reports/schema/node-report.schema.json' '" + report + "'")
      .exit_code;
}

TEST(RunEvents, StartEachCheckThenEndInOrderMatchingTheReport) {
  const std::string dir = make_temp_dir();
  const CliResult r = run_cli({"run", "--checks", "preflight.", "--out", dir}, "", kNoDevice);
  const std::string report_path = only_report(dir);
  ASSERT_FALSE(report_path.empty()) << r.out << r.err;
  std::ifstream in(report_path);
  const auto report = nlohmann::json::parse(in);
  const auto events = read_events(dir);
  ASSERT_GE(events.size(), 2u);

  EXPECT_EQ(events.front()["event"], "run_start");
  EXPECT_EQ(events.front()["host"], report["host"]);
  EXPECT_EQ(events.front()["profile"], "acceptance");
  EXPECT_EQ(events.front()["gpus"], report["options"]["gpus"]);
  EXPECT_EQ(events.back()["event"], "run_end");
  EXPECT_EQ(events.back()["acceptance"], report["summary"]["acceptance"]);
  EXPECT_EQ(events.back()["report"], report_path);

  // Times never go back; every check_end closes the check_start just before it (one GPU at most runs here).
  auto last = from_iso8601(events.front()["t"].get<std::string>(), "t");
  std::size_t ends = 0, workers = 0;
  for (std::size_t i = 1; i < events.size(); ++i) {
    const auto t = from_iso8601(events[i]["t"].get<std::string>(), "t");
    EXPECT_GE(t, last) << i;
    last = t;
    const std::string kind = events[i]["event"];
    if (kind == "worker_start" || kind == "worker_end") ++workers;  // the supervisor's worker processes
    if (kind != "check_end") continue;
    ++ends;
    ASSERT_EQ(events[i - 1]["event"], "check_start") << i;
    EXPECT_EQ(events[i - 1]["check"], events[i]["check"]);
    EXPECT_EQ(events[i - 1]["gpu"], events[i]["gpu"]);
    bool in_report = false;
    for (const auto& m : report["measurements"]) {
      if (m["check_id"] == events[i]["check"] && m["gpu"] == events[i]["gpu"]) {
        in_report = true;
        EXPECT_EQ(m["status"], events[i]["status"]) << m["check_id"];
      }
    }
    EXPECT_TRUE(in_report) << events[i].dump();
  }
  EXPECT_GT(ends, 0u) << "no check ran: the log proves nothing";
  EXPECT_EQ(workers, 2u) << "one worker starts and ends";
  EXPECT_EQ(2 * ends + 2 + workers, events.size()) << "only run_start, worker_start/end, check pairs and run_end expected";
  EXPECT_EQ(events.front()["checks"].get<std::size_t>(), ends);  // no GPU: every planned check is node-level
  fs::remove_all(dir);
}

// TRANCHE_TEST_FAULT=<point> throws at that step of run_node; the report must still be written.
void expect_report_survives(const std::string& point, bool keeps_measurements) {
  SCOPED_TRACE(point);
  const std::string dir = make_temp_dir();
  const CliResult r =
      run_cli({"run", "--checks", "preflight.", "--out", dir}, "", kNoDevice + " TRANCHE_TEST_FAULT=" + point);
  EXPECT_EQ(r.exit_code, 70) << r.out << r.err;
  EXPECT_NE(r.err.find("injected fault at " + point), std::string::npos) << r.err;
  const std::string report_path = only_report(dir);
  ASSERT_FALSE(report_path.empty()) << "no report after a failure at " << point;
  EXPECT_TRUE(files_with_suffix(dir, ".tmp").empty());
  EXPECT_EQ(schema_check(report_path), 0);
  std::ifstream in(report_path);
  const auto report = nlohmann::json::parse(in);
  EXPECT_EQ(report["summary"]["acceptance"], "incomplete");
  EXPECT_EQ(!report["measurements"].empty(), keeps_measurements);
  bool recorded = false;  // verdicts through the project's reader: the file's rows refer to expectations
  for (const auto& v : load_node_report(report_path).verdicts) {
    if (v.check_id != "tranche.run") continue;
    recorded = true;
    EXPECT_EQ(v.outcome, Outcome::error);
    EXPECT_EQ(v.error_id, "E_INTERNAL");
    EXPECT_NE(v.message.find("injected fault at " + point), std::string::npos);
  }
  EXPECT_TRUE(recorded) << "the report does not name the failure";

  const auto events = read_events(dir);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.front()["event"], "run_start");
  EXPECT_EQ(events[events.size() - 2]["event"], "run_failed");
  EXPECT_NE(events[events.size() - 2]["error"].get<std::string>().find(point), std::string::npos);
  EXPECT_EQ(events.back()["event"], "run_end");
  EXPECT_EQ(events.back()["report"], report_path);
  fs::remove_all(dir);
}

TEST(RunFailure, ExceptionInTheRunnerStillWritesTheReport) { expect_report_survives("run.plan", false); }
TEST(RunFailure, ExceptionInTheJudgeStillWritesTheReport) { expect_report_survives("run.judge", true); }
TEST(RunFailure, ExceptionInTheSaveStillWritesTheReport) { expect_report_survives("run.save", true); }

}  // namespace
}  // namespace tranche::test
