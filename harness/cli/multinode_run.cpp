// The multi-node pipeline: MPI start, the node run per rank, the gather and rank 0's multi-node file.
#include "harness/cli/multinode_run.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "benches/nccl/nccl_world.h"
#include "harness/cli/cross_node_run.h"
#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"
#include "harness/core/outcome.h"
#include "harness/core/worker_process.h"
#include "harness/dist/mpi_session.h"
#include "tranche/version.h"

namespace tranche::cli {
namespace {
std::string this_host() {
  char name[256] = {};
  return gethostname(name, sizeof name - 1) == 0 ? name : "unknown";
}
}  // namespace

RankResult rank_result_from_run(int rank, const NodeRunResult& run) {
  RankResult rr;
  rr.rank = rank;
  rr.host = run.report.host;
  const auto gpus = run.report.inventory.find("gpus");
  rr.gpus = gpus != run.report.inventory.end() && gpus->is_array() ? static_cast<int>(gpus->size()) : 0;
  rr.acceptance = std::string(to_string(run.report.summary.acceptance));
  rr.node_report = run.report_path;
  rr.nccl_version = run.report.environment.nccl_version;
  rr.status = rr.gpus > 0 ? "measured" : "no_device";
  if (rr.gpus == 0) {
    rr.error_id = "E_NO_DEVICE";
    for (const Measurement& m : run.report.measurements) {
      if (m.error && m.error->id == "E_NO_DEVICE") {
        rr.error_message = m.error->message;
        break;
      }
    }
  }
  for (const Measurement& m : run.report.measurements) {
    if (m.check_id.rfind("nccl.", 0) != 0) continue;
    for (const Metric& metric : m.metrics) {
      if (metric.name.size() < 14 || metric.name.compare(metric.name.size() - 14, 14, "/bus_bandwidth") != 0) continue;
      RankFigure f;
      f.metric = metric.name;
      for (const auto& [k, v] : metric.labels) f.labels[k] = v;
      f.value = metric.value;
      f.unit = metric.unit;
      rr.figures.push_back(std::move(f));
    }
  }
  return rr;
}

int run_multinode(const NodeRunOptions& options, const std::atomic<bool>* cancel) {
  dist::MpiSession mpi;
  NodeRunOptions mine = options;
  mine.out_dir = (std::filesystem::path(options.out_dir) / ("rank-" + std::to_string(mpi.rank()))).string();
  RankResult rr;
  int exit_code = 0;
  std::optional<NodeRunResult> run;
  try {
    ensure_writable_dir(mine.out_dir);
    run = run_node(mine, cancel);
    rr = rank_result_from_run(mpi.rank(), *run);
    exit_code = exit_code_for(run->report.summary.acceptance);
    std::cout << "rank " << mpi.rank() << ": " << rr.acceptance << ", report " << run->report_path << "\n";
  } catch (const std::exception& e) {
    // Still take part in what follows: the other ranks wait in MPI for this one.
    rr.rank = mpi.rank();
    rr.host = this_host();
    rr.status = "error";
    rr.error_id = dynamic_cast<const InputError*>(&e) ? "E_BAD_INPUT" : "E_INTERNAL";
    rr.error_message = e.what();
    std::cerr << "tranche: rank " << mpi.rank() << ": " << e.what() << "\n";
    exit_code = dynamic_cast<const InputError*>(&e) ? 64 : 70;
  }

  // Then the NCCL checks again, across nodes: every rank in lockstep, whatever its own run did.
  CrossNodeContext cross_ctx;
  cross_ctx.rank = mpi.rank();
  cross_ctx.size = mpi.size();
  cross_ctx.all_gather = [&mpi](const std::string& s) { return mpi.all_gather(s); };
  cross_ctx.worker_exe = self_executable();
  cross_ctx.cancel = cancel;
  CrossNodeInput cross_in;
  try {
    cross_in = cross_node_input(rr.host, run ? &*run : nullptr);
  } catch (const InputError& e) {
    std::cerr << "tranche: rank " << mpi.rank() << ": " << e.what() << "; this rank joins no NCCL world\n";
    cross_in.host = rr.host;
  }
  const nlohmann::json cross = run_cross_node(cross_ctx, cross_in);

  const std::vector<std::string> all =
      mpi.gather(nlohmann::json{{"rank_result", to_json(rr)}, {"cross_node", cross}}.dump());
  if (mpi.rank() != 0) return exit_code;

  MultinodeReport report;
  report.tool_version = kToolVersion;
  report.launcher = dist::detect_launcher();
  report.created_at = std::chrono::system_clock::now();
  report.world_size = mpi.size();
  int worst = exit_code;
  std::vector<nlohmann::json> parts;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string where = "rank " + std::to_string(i);
    const nlohmann::json j = nlohmann::json::parse(all[i]);
    report.ranks.push_back(rank_result_from_json(j.at("rank_result"), where));
    parts.push_back(j.at("cross_node"));
    const RankResult& r = report.ranks.back();
    const int code = r.status == "error" ? 70 : exit_code_for(*acceptance_from_string(r.acceptance));
    worst = std::max(worst, code);
  }
  report.cross_node = nccl::cross_node_section(parts);
  // A collective or pair across nodes that could not be measured leaves the rack incomplete.
  for (const auto& c : report.cross_node["collectives"]) {
    if (c["status"] == "error") worst = std::max(worst, static_cast<int>(kExitIncomplete));
  }
  if (const auto& pw = report.cross_node["pairwise"]; pw.is_object()) {
    for (const auto& p : pw["pairs"]) {
      if (!p["error_id"].get<std::string>().empty()) worst = std::max(worst, static_cast<int>(kExitIncomplete));
    }
    for (const auto& slow : pw["slow_nodes"]) {
      std::cout << "nccl.pairwise: slow node " << slow["host"].get<std::string>() << " (median pair bus bandwidth "
                << slow["score"].get<double>() / 1e9 << " GB/s)\n";
    }
  }
  const std::string path = (std::filesystem::path(options.out_dir) / "multinode.json").string();
  save_multinode_report(report, path);
  std::cout << "Multi-node result (" << report.world_size << " ranks): " << path << "\n";
  return worst;
}

}  // namespace tranche::cli
