// TRANCHE_FAULT end to end on a machine without a GPU: each injected fault gives the right outcome, error id and
// exit code within a bounded time, and a schema-valid report (the supervisor outlives hangs and crashes).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

bool has_gpu_driver() { return fs::exists("/dev/nvidiactl"); }

struct FaultRun {
  CliResult cli;
  double seconds = 0;
  json report;          // null when none was written
  std::string report_path;
  std::string events;   // the event log's text
};

FaultRun run_with_fault(const std::string& fault, std::vector<std::string> args, const std::string& extra_env = "") {
  FaultRun r;
  const std::string out = make_temp_dir();
  args.insert(args.begin(), "run");
  args.push_back("--out");
  args.push_back(out);
  const auto t0 = std::chrono::steady_clock::now();
  r.cli = run_cli(args, "", "TRANCHE_FAULT='" + fault + "' " + extra_env);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& p : files_with_suffix(out, ".json")) {
    r.report_path = p;
    std::ifstream in(p);
    r.report = json::parse(in);
  }
  for (const auto& p : files_with_suffix(out, ".events.jsonl")) {
    std::ifstream in(p);
    r.events.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  EXPECT_TRUE(files_with_suffix(out, ".tmp").empty());
  return r;
}

const json* measurement(const json& report, const std::string& check) {
  for (const auto& m : report["measurements"]) {
    if (m["check_id"] == check) return &m;
  }
  return nullptr;
}

void expect_valid(const FaultRun& r) {
  ASSERT_FALSE(r.report_path.empty()) << "no report written\n" << r.cli.out << r.cli.err;
  auto valid = run_shell(std::string(TRANCHE_PYTHON) + " " + TRANCHE_SOURCE_DIR + "/tests/tools/validate_json.py " +
                         TRANCHE_SOURCE_DIR + "/reports/schema/node-report.schema.json " + r.report_path);
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
}

const std::vector<std::string> kHostChecks = {"--checks", "preflight.,host.memcpy", "--set", "host.memcpy.bytes=1048576"};

TEST(FaultInjection, HangIsKilledAtDeadlinePlusGraceAsETimeoutAndTheRestRun) {
  if (has_gpu_driver()) GTEST_SKIP() << "covers GPU-less nodes";
  auto args = kHostChecks;
  args.insert(args.end(), {"--set", "preflight.driver.timeout_s=1"});
  const FaultRun r = run_with_fault("hang@preflight.driver", args);
  EXPECT_EQ(r.cli.exit_code, 2) << r.cli.out << r.cli.err;
  EXPECT_LT(r.seconds, 1 + 10.0) << "deadline 1 s + 10 s";
  expect_valid(r);
  const json* hung = measurement(r.report, "preflight.driver");
  ASSERT_NE(hung, nullptr);
  EXPECT_EQ((*hung)["status"], "error");
  EXPECT_EQ((*hung)["error"]["id"], "E_TIMEOUT");
  EXPECT_NE((*hung)["error"]["message"].get<std::string>().find("killed"), std::string::npos);
  // A new worker ran the checks after the hung one.
  const json* after = measurement(r.report, "host.memcpy");
  ASSERT_NE(after, nullptr);
  EXPECT_EQ((*after)["status"], "ok") << after->dump();
  EXPECT_NE(r.events.find("\"worker_end\""), std::string::npos);
  EXPECT_GE(std::count(r.report["summary"]["error_ids"].begin(), r.report["summary"]["error_ids"].end(), "E_TIMEOUT"), 1);
}

TEST(FaultInjection, CrashIsEWorkerDiedWithTheSignalAndLastEvent) {
  if (has_gpu_driver()) GTEST_SKIP() << "covers GPU-less nodes";
  const FaultRun r = run_with_fault("crash@host.memcpy", kHostChecks);
  EXPECT_EQ(r.cli.exit_code, 2) << r.cli.out << r.cli.err;
  EXPECT_LT(r.seconds, 30.0);
  expect_valid(r);
  const json* m = measurement(r.report, "host.memcpy");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ((*m)["error"]["id"], "E_WORKER_DIED");
  const std::string msg = (*m)["error"]["message"];
  EXPECT_NE(msg.find("signal 6 (SIGABRT)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("check_start"), std::string::npos) << msg;
  const json* before = measurement(r.report, "preflight.ecc");
  ASSERT_NE(before, nullptr);
  EXPECT_NE((*before)["status"], "skipped");
}

TEST(FaultInjection, CudaErrorAndStickyAreErrorsWithTheirIds) {
  if (has_gpu_driver()) GTEST_SKIP() << "covers GPU-less nodes";
  for (const auto& [fault, id] : {std::pair{"cuda_error@host.memcpy", "E_CUDA_API"}, std::pair{"sticky@host", "E_CUDA_STICKY"}}) {
    const FaultRun r = run_with_fault(fault, kHostChecks);
    EXPECT_EQ(r.cli.exit_code, 2) << fault << r.cli.err;
    expect_valid(r);
    const json* m = measurement(r.report, "host.memcpy");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ((*m)["status"], "error") << fault;
    EXPECT_EQ((*m)["error"]["id"], id) << fault;
  }
}

TEST(FaultInjection, NanFiguresAreNullAndNeverAccepted) {
  if (has_gpu_driver()) GTEST_SKIP() << "covers GPU-less nodes";
  const FaultRun r = run_with_fault("nan@host.memcpy", kHostChecks);
  EXPECT_NE(r.cli.exit_code, 0) << r.cli.out;
  expect_valid(r);
  const json* m = measurement(r.report, "host.memcpy");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ((*m)["status"], "ok");
  for (const auto& metric : (*m)["metrics"]) EXPECT_TRUE(metric["value"].is_null()) << metric.dump();
  EXPECT_NE(r.report["summary"]["acceptance"], "accepted");
}

TEST(FaultInjection, NoNvmlEndsPreflightInENoNvml) {
  if (has_gpu_driver()) GTEST_SKIP() << "covers GPU-less nodes";
  const FaultRun r = run_with_fault("no_nvml", kHostChecks, "LD_LIBRARY_PATH=" TRANCHE_FAKE_NVML_DIR);
  EXPECT_EQ(r.cli.exit_code, 2) << r.cli.err;
  expect_valid(r);
  const json& err = r.report["inventory"]["node"]["nvml_error"];
  ASSERT_TRUE(err.is_object()) << r.report["inventory"].dump();
  EXPECT_EQ(err["id"], "E_NO_NVML");
  EXPECT_NE(err["message"].get<std::string>().find("TRANCHE_FAULT=no_nvml"), std::string::npos);
}

TEST(FaultInjection, NvmlHangEndsTheProbeAsEProbeTimeoutAndStillReports) {
  if (has_gpu_driver()) GTEST_SKIP() << "covers GPU-less nodes";
  const FaultRun r = run_with_fault("nvml_hang", kHostChecks, "TRANCHE_PROBE_TIMEOUT_S=2");
  EXPECT_EQ(r.cli.exit_code, 2) << r.cli.err;
  EXPECT_LT(r.seconds, 2 + 10.0);
  expect_valid(r);
  EXPECT_EQ(r.report["summary"]["error_ids"][0], "E_PROBE_TIMEOUT") << r.report["summary"].dump();
  const json* m = measurement(r.report, "host.memcpy");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ((*m)["status"], "ok") << "a check that needs no GPU still runs after the probe hung";
}

TEST(FaultInjection, MalformedSettingIsExit64NamingTranchefaultAndWritesNothing) {
  const std::string out = make_temp_dir();
  for (const std::string bad : {"explode@gemm", "hang", "slow@gemm", "slow@gemm:-1", "cuda_error@gemm:gpuX", "no_nvml@x"}) {
    auto r = run_cli({"run", "--out", out}, "", "TRANCHE_FAULT='" + bad + "'");
    EXPECT_EQ(r.exit_code, 64) << bad << r.err;
    EXPECT_NE(r.err.find("TRANCHE_FAULT"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_TRUE(fs::is_empty(out));
  fs::remove_all(out);
}

// Runs `tranche run` with a hung check in the background, sends SIGTERM `signals` times (0.2 s apart) after 2 s
// and returns "rc=N ms=M" (exit status, milliseconds from the first signal to the exit).
CliResult interrupt_run(const std::string& out, const std::string& checks, int signals) {
  const std::string script = out + "/interrupt.sh";
  std::ofstream(script) << "TRANCHE_FAULT=hang@host.memcpy '" << TRANCHE_BINARY << "' run --checks " << checks
                        << " --set host.memcpy.bytes=1048576 --out '" << out << "/run' &\n"
                        << "pid=$!; sleep 2; start=$(date +%s%N)\n"
                        << "for i in $(seq " << signals << "); do kill -TERM $pid; sleep 0.2; done\n"
                        << "wait $pid; rc=$?; echo rc=$rc ms=$(( ($(date +%s%N) - start) / 1000000 ))\n";
  return run_shell("bash '" + script + "'");
}

int millis(const CliResult& r) { return std::stoi(r.out.substr(r.out.find("ms=") + 3)); }

bool process_alive(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] != 'Z';
}

// SIGTERM (a batch system's stop) ends a run stuck in a check within 5 s with a partial report that says it was
// interrupted.
TEST(Signals, SigtermStopsWithin5sWithAnInterruptedReport) {
  if (has_gpu_driver()) GTEST_SKIP() << "covers GPU-less nodes";
  const std::string out = make_temp_dir();
  auto r = interrupt_run(out, "preflight.,host.memcpy", 1);
  ASSERT_NE(r.out.find("rc=2 "), std::string::npos) << r.out << r.err;
  EXPECT_LT(millis(r), 5000);
  const auto reports = files_with_suffix(out + "/run", ".json");
  ASSERT_EQ(reports.size(), 1u);
  std::ifstream in(reports[0]);
  const json report = json::parse(in);
  const json* m = measurement(report, "host.memcpy");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ((*m)["error"]["id"], "E_INTERRUPTED");
  const json* before = measurement(report, "preflight.driver");
  ASSERT_NE(before, nullptr);
  EXPECT_NE((*before)["error"]["id"], "E_INTERRUPTED") << "what ran before the signal is kept";
  fs::remove_all(out);
}

// A second signal leaves at once (exit 130) with the event log, and takes the worker with it.
TEST(Signals, SecondSignalLeavesAtOnceWithTheEventLog) {
  if (has_gpu_driver()) GTEST_SKIP() << "covers GPU-less nodes";
  const std::string out = make_temp_dir();
  auto r = interrupt_run(out, "host.memcpy", 2);
  ASSERT_NE(r.out.find("rc=130 "), std::string::npos) << r.out << r.err;
  EXPECT_LT(millis(r), 1500);
  const auto logs = files_with_suffix(out + "/run", ".events.jsonl");
  ASSERT_EQ(logs.size(), 1u);
  std::ifstream in(logs[0]);
  long worker = 0;
  for (std::string line; std::getline(in, line);) {
    const json e = json::parse(line);
    if (e["event"] == "worker_start") worker = e["pid"].get<long>();
  }
  ASSERT_GT(worker, 0) << "the event log names the worker";
  for (int i = 0; i < 50 && process_alive(worker); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(process_alive(worker)) << "the worker outlived its supervisor";
  fs::remove_all(out);
}

}  // namespace
}  // namespace tranche::test
