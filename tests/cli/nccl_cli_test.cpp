// The NCCL checks from the outside: listed with their parameters, a GPU-less `run --checks nccl.` is E_NO_DEVICE
// (exit 2) with a schema-valid report, a real 4-rank `mpirun` gathers four ranks into the multi-node file and
// runs the cross-node phase (NCCL ids over MPI, workers per rank) as far as a machine without GPUs allows, and
// the cross-node worker mode reports a missing NCCL or GPU as a measurement.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
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
  EXPECT_EQ(j["schema"], "tranche/nccl-multinode/v2");
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
  // No rank has a GPU: nothing runs across nodes, and the file says why.
  const auto& cross = j["cross_node"];
  EXPECT_EQ(cross["not_run_reason"], "fewer than two ranks have a GPU (0 of 4)");
  EXPECT_EQ(cross["world"]["excluded"].size(), 4u);
  ASSERT_EQ(cross["collectives"].size(), 7u);
  for (const auto& c : cross["collectives"]) EXPECT_EQ(c["status"], "not_run") << c.dump();
  EXPECT_EQ(cross["pairwise"]["status"], "not_run");
  EXPECT_TRUE(files_with_suffix(out, ".tmp").empty());
  fs::remove_all(out);
}

// Every rank offers GPU 0 (test hook) and NCCL is made unloadable: rank 0's root worker cannot create the NCCL id,
// says so through MPI, and every other rank records why its part did not run; then every pair of nccl.pairwise
// (4 nodes: 3 rounds of 2) does the same with its own root. Covers the lockstep of all_gathers, the root and
// member roles, worker start and report, and the cross_node section on rank 0.
TEST(NcclCli, MpirunCrossNodePhaseCarriesTheRootsVerdictToEveryRank) {
  if (has_gpu_driver()) GTEST_SKIP() << "covers GPU-less nodes";
  ASSERT_EQ(run_shell("command -v mpirun").exit_code, 0) << "mpirun missing: scripts/install-deps.sh installs openmpi-bin";
  const std::string out = make_temp_dir();
  const CliResult r = run_shell("ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0\" "
                                "mpirun --allow-run-as-root --oversubscribe -np 4 -x TRANCHE_TEST_CROSS_NODE_GPUS=0 "
                                "-x TRANCHE_NCCL_LIBRARY=/nonexistent/libnccl.so.2 '" + std::string(TRANCHE_BINARY) +
                                "' run --multinode --checks nccl. --out '" + out + "' 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  const std::string file = out + "/multinode.json";
  ASSERT_TRUE(fs::exists(file)) << r.out;
  EXPECT_EQ(validate("nccl-multinode.schema.json", file), "");
  const auto j = load(file);
  const auto& cross = j["cross_node"];
  EXPECT_TRUE(cross["not_run_reason"].is_null());
  EXPECT_EQ(cross["world"]["nranks"], 4);
  ASSERT_EQ(cross["world"]["members"].size(), 4u);
  ASSERT_EQ(cross["collectives"].size(), 7u);
  for (const auto& c : cross["collectives"]) {
    EXPECT_EQ(c["status"], "error") << c.dump();
    ASSERT_EQ(c["errors"].size(), 4u) << c.dump();
    for (int i = 0; i < 4; ++i) {
      const auto& e = c["errors"][i];
      EXPECT_EQ(e["mpi_rank"], i);
      EXPECT_EQ(e["error_id"], "E_NO_NCCL") << e.dump();
      const std::string msg = e["message"];
      EXPECT_NE(msg.find(i == 0 ? "/nonexistent/libnccl.so.2" : "MPI rank 0"), std::string::npos) << msg;
      if (i > 0) {
        EXPECT_NE(msg.find("could not create the NCCL id"), std::string::npos) << msg;
      }
    }
  }
  const auto& pw = cross["pairwise"];
  EXPECT_EQ(pw["status"], "measured");
  ASSERT_EQ(pw["pairs"].size(), 6u) << pw.dump();
  std::set<std::pair<std::string, std::string>> met;
  for (const auto& p : pw["pairs"]) {
    EXPECT_EQ(p["error_id"], "E_NO_NCCL") << p.dump();
    EXPECT_TRUE(p["bus_bandwidth"].is_null());
    met.insert({p["mpi_ranks"][0].dump(), p["mpi_ranks"][1].dump()});
  }
  EXPECT_EQ(met.size(), 6u);  // every pair of the 4 nodes met once
  EXPECT_TRUE(pw["slow_nodes"].empty());
  EXPECT_TRUE(files_with_suffix(out, ".tmp").empty());
  fs::remove_all(out);
}

std::vector<nlohmann::json> worker_lines(const nlohmann::json& job, const std::string& env, int* exit_code) {
  const std::string dir = make_temp_dir();
  {
    std::ofstream(dir + "/job.json") << job.dump();
  }
  // The worker writes its JSON lines to fd 3 (as under the supervisor); here fd 3 is the captured stdout.
  const CliResult r = run_shell("(" + env + " '" + std::string(TRANCHE_BINARY) + "' __worker cross < '" + dir +
                                "/job.json' 3>&1 1>&2)");
  *exit_code = r.exit_code;
  std::vector<nlohmann::json> lines;
  std::stringstream ss(r.out);
  for (std::string line; std::getline(ss, line);) lines.push_back(nlohmann::json::parse(line));
  fs::remove_all(dir);
  return lines;
}

nlohmann::json cross_job(const std::string& role) {
  nlohmann::json job = {{"check", "nccl.all_reduce"},
                        {"params", {{"min_bytes", 8}, {"max_bytes", 1024}, {"step_factor", 2}, {"warmup", 1},
                                    {"iters", 1}, {"plateau_bytes", 1024}, {"dtypes", "float"}, {"in_place", false}}},
                        {"gpus", {0}},
                        {"timeout_s", 30},
                        {"role", role},
                        {"world", {{"nranks", 2}, {"first_rank", role == "root" ? 0 : 1}, {"shift", 1}}}};
  if (role == "member") job["id"] = std::string(256, '0');
  return job;
}

TEST(NcclCli, CrossWorkerRootWithoutNcclNamesNoIdAndEndsInENoNccl) {
  int rc = -1;
  const auto lines = worker_lines(cross_job("root"), "TRANCHE_NCCL_LIBRARY=/nonexistent/libnccl.so.2", &rc);
  EXPECT_EQ(rc, 0);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["event"], "nccl_id");
  EXPECT_FALSE(lines[0].contains("id"));
  EXPECT_EQ(lines[0]["error"]["id"], "E_NO_NCCL");
  EXPECT_EQ(lines[1]["event"], "measurement");
  const auto& m = lines[1]["measurement"];
  EXPECT_EQ(m["check_id"], "nccl.all_reduce");
  EXPECT_EQ(m["status"], "error");
  EXPECT_EQ(m["error"]["id"], "E_NO_NCCL");
  EXPECT_EQ(m["details"]["world"]["nranks"], 2);
  EXPECT_EQ(m["params"]["timeout_s"], 30);
}

TEST(NcclCli, CrossWorkerMemberWithoutGpusEndsInENoDevice) {
  nlohmann::json job = cross_job("member");
  job["gpus"] = nlohmann::json::array();
  int rc = -1;
  const auto lines = worker_lines(job, "", &rc);
  EXPECT_EQ(rc, 0);
  ASSERT_EQ(lines.size(), 1u);  // a member names no id
  EXPECT_EQ(lines[0]["measurement"]["error"]["id"], "E_NO_DEVICE");
  EXPECT_EQ(lines[0]["measurement"]["details"]["world"]["first_rank"], 1);
}

TEST(NcclCli, CrossWorkerRefusesABadJob) {
  nlohmann::json short_id = cross_job("member");
  short_id["id"] = "abc";
  nlohmann::json bad_check = cross_job("root");
  bad_check["check"] = "gemm.bf16";
  for (const auto& job : {short_id, bad_check}) {
    int rc = -1;
    const auto lines = worker_lines(job, "TRANCHE_NCCL_LIBRARY=/nonexistent/libnccl.so.2", &rc);
    EXPECT_EQ(rc, 64) << job.dump();
    EXPECT_TRUE(lines.empty());
  }
}

}  // namespace
}  // namespace tranche::test
