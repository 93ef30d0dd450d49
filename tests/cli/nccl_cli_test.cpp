// The NCCL checks from the outside: listed with their parameters, a GPU-less `run --checks nccl.` is E_NO_DEVICE
// (exit 2) with a schema-valid report, and a real 4-rank `mpirun` gathers four ranks into the multi-node file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;

bool has_gpu_driver() { return fs::exists("/dev/nvidiactl"); }

std::string validate(const std::string& schema, const std::string& file) {
  const CliResult r = run_shell(std::string(TRANCHE_PYTHON) + " " + TRANCHE_SOURCE_DIR + "/tests/tools/validate_json.py " +
                                TRANCHE_SOURCE_DIR + "/reports/schema/" + schema + " " + file);
  return r.exit_code == 0 ? "" : "exit " + std::to_string(r.exit_code) + ": " + r.out + r.err;
}

nlohmann::json load(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

TEST(NcclCli, ListShowsTheEightNcclChecksWithTheirParameters) {
  const CliResult js = run_cli({"list", "--json"});
  ASSERT_EQ(js.exit_code, 0) << js.err;
  std::set<std::string> ids;
  for (const auto& c : nlohmann::json::parse(js.out)) {
    const std::string id = c["id"];
    if (id.rfind("nccl.", 0) != 0) continue;
    ids.insert(id);
    std::set<std::string> params;
    for (const auto& p : c["params"]) params.insert(p["name"].get<std::string>());
    if (id == "nccl.pairwise") {
      EXPECT_TRUE(params.count("margin")) << id;
      continue;
    }
    for (const char* p : {"min_bytes", "max_bytes", "step_factor", "warmup", "iters", "plateau_bytes", "dtypes",
                          "in_place"}) {
      EXPECT_TRUE(params.count(p)) << id << " lacks " << p;
    }
  }
  EXPECT_EQ(ids, (std::set<std::string>{"nccl.all_reduce", "nccl.all_gather", "nccl.reduce_scatter", "nccl.broadcast",
                                        "nccl.reduce", "nccl.alltoall", "nccl.sendrecv", "nccl.pairwise"}));
  const CliResult verbose = run_cli({"list", "--verbose"});
  EXPECT_NE(verbose.out.find("nccl.all_reduce.max_bytes="), std::string::npos) << verbose.out;
}

TEST(NcclCli, NoDeviceRunOfNcclChecksIsIncompleteWithASchemaValidReport) {
  if (has_gpu_driver()) GTEST_SKIP() << "covers GPU-less nodes";
  const std::string out = make_temp_dir();
  const CliResult r = run_cli({"run", "--checks", "nccl.", "--out", out});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("E_NO_DEVICE"), std::string::npos) << r.out;
  const auto reports = files_with_suffix(out, ".json");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(validate("node-report.schema.json", reports[0]), "");
  const auto j = load(reports[0]);
  EXPECT_EQ(j["summary"]["acceptance"], "incomplete");
  EXPECT_EQ(j["summary"]["error_ids"][0], "E_NO_DEVICE");
  int nccl_measurements = 0;
  for (const auto& m : j["measurements"]) {
    const std::string id = m["check_id"];
    if (id.rfind("nccl.", 0) != 0) continue;
    ++nccl_measurements;
    if (id == "nccl.pairwise") {
      EXPECT_EQ(m["status"], "skipped") << m.dump();  // needs several nodes: not required on one
    } else {
      EXPECT_EQ(m["status"], "error") << m.dump();
      EXPECT_EQ(m["error"]["id"], "E_NO_DEVICE") << m.dump();
    }
  }
  EXPECT_EQ(nccl_measurements, 8);
  fs::remove_all(out);
}

TEST(NcclCli, MpirunFourRanksGatherIntoTheMultinodeFile) {
  if (has_gpu_driver()) GTEST_SKIP() << "covers GPU-less nodes (each rank reports no device)";
  ASSERT_EQ(run_shell("command -v mpirun").exit_code, 0) << "mpirun missing: scripts/install-deps.sh installs openmpi-bin";
  const std::string out = make_temp_dir();
  // CI runs as root (Open MPI refuses that without the flag) on 2 cores (4 ranks need --oversubscribe).
  // Under the asan preset, LeakSanitizer would report Open MPI's own allocations (libmpi, its MCA plugins) at
  // exit: leak checking is left to the other tests, whose code is tranche's.
  const CliResult r = run_shell("ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0\" "
                                "mpirun --allow-run-as-root --oversubscribe -np 4 '" + std::string(TRANCHE_BINARY) +
                                "' run --multinode --checks nccl. --out '" + out + "' 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;  // every rank incomplete: no device
  const std::string file = out + "/multinode.json";
  ASSERT_TRUE(fs::exists(file)) << r.out;
  EXPECT_EQ(validate("nccl-multinode.schema.json", file), "");
  const auto j = load(file);
  EXPECT_EQ(j["schema"], "tranche/nccl-multinode/v1");
  EXPECT_EQ(j["world_size"], 4);
  EXPECT_EQ(j["launcher"], "mpirun");
  EXPECT_EQ(j["summary"]["no_device"], 4);
  ASSERT_EQ(j["ranks"].size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const auto& rank = j["ranks"][i];
    EXPECT_EQ(rank["rank"], i);
    EXPECT_EQ(rank["status"], "no_device");
    EXPECT_EQ(rank["error_id"], "E_NO_DEVICE");
    EXPECT_EQ(rank["acceptance"], "incomplete");
    const std::string report = rank["node_report"];
    EXPECT_TRUE(fs::exists(report)) << report;
    EXPECT_NE(report.find("/rank-" + std::to_string(i) + "/"), std::string::npos) << report;
    EXPECT_EQ(validate("node-report.schema.json", report), "");
  }
  EXPECT_TRUE(files_with_suffix(out, ".tmp").empty());
  fs::remove_all(out);
}

}  // namespace
}  // namespace tranche::test
