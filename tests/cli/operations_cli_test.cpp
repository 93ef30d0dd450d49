// Operations commands on the fake NVML (#24): exit styles of run and the Slurm hooks, the health check's
// --dry-run drain line and lock, and the exact kubectl commands of `tranche k8s label`. The live Slurm cluster
// test is tests/slurm/slurm_integration_test.sh.
#include <gtest/gtest.h>

#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;
const std::string kFakeNvml = std::string("LD_LIBRARY_PATH=") + TRANCHE_FAKE_NVML_DIR;
// The fake NVML's GPU 1 trained at x8 of x16 (preflight.pcie fails); preflight.ecc passes on both GPUs.
const std::string kFaulty = "preflight.ecc,preflight.pcie";
const std::string kHealthy = "preflight.ecc";

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

TEST(ExitStyleCli, NpdPrintsOneLineOfAtMost80BytesAndMapsTheCode) {
  const std::string dir = make_temp_dir();
  const auto bad = run_cli({"run", "--checks", kFaulty, "--out", dir, "--exit-style", "npd"}, "", kFakeNvml);
  EXPECT_EQ(bad.exit_code, 1) << bad.err;
  EXPECT_EQ(bad.out.find('\n'), bad.out.size() - 1) << "more than one line: " << bad.out;
  EXPECT_LE(first_line(bad.out).size(), 80u);
  EXPECT_EQ(bad.out.rfind("tranche: pcie gpu1 observed 8", 0), 0u) << bad.out;
  const auto good = run_cli({"run", "--checks", kHealthy, "--out", dir, "--exit-style", "npd"}, "", kFakeNvml);
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_EQ(good.out, "accepted: 10 pass, 0 warn, 0 fail, 0 skip\n");
  fs::remove_all(dir);
}

TEST(ExitStyleCli, NagiosCriticalFirstThenTheTable) {
  const std::string dir = make_temp_dir();
  const auto r = run_cli({"run", "--checks", kFaulty, "--out", dir, "--exit-style", "nagios"}, "", kFakeNvml);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(first_line(r.out).rfind("TRANCHE CRITICAL - rejected: ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("Report: " + dir), std::string::npos) << r.out;
  fs::remove_all(dir);
}

TEST(ExitStyleCli, ABadStyleIsExit64BeforeMeasuring) {
  const std::string dir = make_temp_dir();
  const auto r = run_cli({"run", "--checks", kHealthy, "--out", dir, "--exit-style", "icinga"}, "", kFakeNvml);
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(r.err, "tranche: --exit-style icinga: expected tranche, nagios or npd\n");
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(SlurmHealthcheckCli, DryRunPrintsTheDrainCommandWithATrancheReason) {
  const std::string dir = make_temp_dir();
  // --dry-run still reads the node's current reason with sinfo; without a cluster that fails (exit 70), so
  // this test covers the line before it, and the cluster test the rest.
  const auto r = run_cli({"slurm", "healthcheck", "--checks", kFaulty, "--out", dir, "--lock-file", dir + "/lock",
                          "--node", "gpu007", "--dry-run", "--exit-style", "nagios"},
                         "", kFakeNvml + " PATH=/nonexistent");
  EXPECT_EQ(first_line(r.out).rfind("TRANCHE CRITICAL - gpu007: rejected: ", 0), 0u) << r.out;
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;  // sinfo missing: internal -> UNKNOWN
  EXPECT_NE(r.err.find("sinfo -h -N -n gpu007 -o %E"), std::string::npos) << r.err;
  EXPECT_EQ(files_with_suffix(dir, ".json").size(), 1u);
  fs::remove_all(dir);
}

TEST(SlurmHealthcheckCli, AHeldLockExitsZeroAtOnceWithoutARun) {
  const std::string dir = make_temp_dir();
  const std::string lock = dir + "/lock";
  const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const auto r = run_cli({"slurm", "healthcheck", "--out", dir, "--lock-file", lock, "--node", "gpu007"}, "",
                         kFakeNvml);
  ::close(fd);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "tranche slurm healthcheck: another health check holds " + lock + "; not starting\n");
  EXPECT_TRUE(files_with_suffix(dir, ".json").empty());
  fs::remove_all(dir);
}

TEST(SlurmHealthcheckCli, AHangingCheckEndsAtTheBudgetAsIncomplete) {
  const std::string dir = make_temp_dir();
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_cli({"slurm", "healthcheck", "--checks", kHealthy, "--budget", "2", "--out", dir, "--lock-file",
                          dir + "/lock", "--node", "gpu007", "--dry-run"},
                         "", kFakeNvml + " TRANCHE_FAULT=hang@preflight.ecc PATH=/nonexistent");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // E_INTERRUPTED: the budget stopped it (the check's own deadline would say E_TIMEOUT, after 10 s + 5 s grace).
  EXPECT_EQ(r.out.rfind("gpu007: incomplete: E_INTERRUPTED", 0), 0u) << r.out;
  EXPECT_LT(seconds, 14.0) << "the budget did not stop a hanging check";
  EXPECT_EQ(files_with_suffix(dir, ".json").size(), 1u) << "no report written";
  fs::remove_all(dir);
}

TEST(SlurmHealthcheckCli, BudgetOutsideItsRangeIsExit64) {
  const auto r = run_cli({"slurm", "healthcheck", "--budget", "90"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("--budget"), std::string::npos) << r.err;
}

TEST(SlurmPrologCli, FailureIsNonZeroWithOneLineNamingJobNodeAndReport) {
  const std::string dir = make_temp_dir();
  const auto r = run_cli({"slurm", "prolog", "--checks", kFaulty, "--out", dir}, "",
                         kFakeNvml + " SLURM_JOB_ID=4242 SLURMD_NODENAME=gpu007 PATH=/nonexistent");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.rfind("tranche prolog job=4242 node=gpu007: rejected: ", 0), 0u) << r.out;
  const auto reports = files_with_suffix(dir, ".json");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(r.out.find("; report=" + reports[0] + "\n"), std::string::npos) << r.out;
  const auto ok = run_cli({"slurm", "epilog", "--checks", kHealthy, "--out", dir, "--exit-style", "npd", "--keep", "1"},
                          "", kFakeNvml);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "accepted: 10 pass, 0 warn, 0 fail, 0 skip\n");
  // --keep 1: the prolog's older report and event log are gone, the epilog's stay.
  const auto left = files_with_suffix(dir, ".json");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0], reports[0]);
  EXPECT_EQ(files_with_suffix(dir, ".events.jsonl").size(), 1u);
  fs::remove_all(dir);
}

TEST(K8sLabelCli, PrintsTheExactKubectlCommands) {
  const std::string dir = make_temp_dir();
  const auto run = run_cli({"run", "--checks", kFaulty, "--out", dir}, "", kFakeNvml);
  const auto reports = files_with_suffix(dir, ".json");
  ASSERT_EQ(reports.size(), 1u) << run.err;
  const auto r = run_cli({"k8s", "label", reports[0], "--node", "gpu-007", "--taint"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The checked-at value is the report's finish time: compare its shape, then everything else exactly.
  const auto at = r.out.find("tranche.io/checked-at=");
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string stamp = r.out.substr(at + 22, 16);
  EXPECT_EQ(stamp.size(), 16u);
  EXPECT_EQ(stamp[8], 'T');
  EXPECT_EQ(stamp[15], 'Z');
  EXPECT_EQ(r.out, "kubectl label node 'gpu-007' --overwrite 'tranche.io/verdict=FAIL' 'tranche.io/checked-at=" +
                       stamp + "'\nkubectl taint node 'gpu-007' --overwrite 'tranche.io/unhealthy=true:NoSchedule'\n");
  const auto bad = run_cli({"k8s", "label", reports[0], "--node", "GPU_7"});
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.err.find("--node 'GPU_7'"), std::string::npos) << bad.err;
  const auto missing = run_cli({"k8s", "label", dir + "/none.json"});
  EXPECT_EQ(missing.exit_code, 64);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tranche::test
