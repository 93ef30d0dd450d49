// Lockstep orchestration of NCCL jobs across MPI ranks, and rank 0's summary of what they measured.
#include "harness/cli/cross_node_run.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>

#include "benches/nccl/nccl_world.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"
#include "harness/core/worker_process.h"
#include "harness/core/worker_protocol.h"

namespace tranche::cli {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

Clock::duration span(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

std::chrono::milliseconds until(Clock::time_point t) {
  return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(t - Clock::now()));
}

Measurement error_measurement(const std::string& check, const std::string& id, const std::string& message) {
  Measurement m;
  m.check_id = check;
  m.status = MeasurementStatus::error;
  ErrorInfo e;
  e.id = id;
  e.message = message;
  m.error = e;
  m.reason = message;
  return m;
}

// One `tranche __worker cross` process: its NCCL id (roots) and its measurement, with every wait bounded.
class CrossWorker {
 public:
  CrossWorker(const std::string& exe, const json& job, const std::string& check, double timeout_s, double grace_s)
      : proc_(exe, "cross", job.dump()), check_(check), kill_at_(Clock::now() + span(timeout_s + grace_s)),
        timeout_s_(timeout_s) {}

  // {"id": HEX} or {"error": ErrorInfo}; a worker that names none by `by` is killed (E_TIMEOUT).
  json wait_for_id(Clock::time_point by, const std::atomic<bool>* cancel) {
    while (!id_) {
      if (!pump(std::min(by, kill_at_), cancel)) break;
    }
    if (id_) return *id_;
    ErrorInfo e;
    e.id = measurement_ ? "E_NCCL_API" : "E_WORKER_DIED";
    e.message = "the root's worker named no NCCL id (" + end_state() + ")";
    return {{"error", to_json(e)}};
  }

  Measurement finish(const std::atomic<bool>* cancel) {
    while (!measurement_) {
      if (!pump(kill_at_, cancel)) break;
    }
    if (measurement_) {
      proc_.wait_status(std::chrono::seconds(5));
      return *measurement_;
    }
    const bool interrupted = cancel && cancel->load();
    const bool late = Clock::now() >= kill_at_;
    const std::string state = end_state();
    if (interrupted) return error_measurement(check_, "E_INTERRUPTED", "interrupted; the worker " + state);
    if (late) {
      return error_measurement(check_, "E_TIMEOUT",
                               check_ + " across nodes did not finish within its " + std::to_string(timeout_s_) +
                                   " s deadline + grace; the worker " + state);
    }
    return error_measurement(check_, "E_WORKER_DIED", "the cross-node worker " + state + " before reporting");
  }

 private:
  // Reads what the worker wrote until `by`; false when there is nothing more to wait for (closed, late, cancelled).
  bool pump(Clock::time_point by, const std::atomic<bool>* cancel) {
    if (cancel && cancel->load()) return false;
    const auto step = std::min(until(by), std::chrono::milliseconds(250));
    std::vector<std::string> lines;
    const bool open = proc_.read_lines(step, lines);
    for (const std::string& line : lines) {
      const json e = json::parse(line, nullptr, false);
      if (!e.is_object() || !e.contains("event")) continue;
      if (e["event"] == "nccl_id") {
        id_ = e.contains("id") ? json{{"id", e["id"]}} : json{{"error", e.value("error", json::object())}};
      } else if (e["event"] == "measurement" && e.contains("measurement")) {
        try {
          measurement_ = measurement_from_json(e["measurement"], "cross-node worker measurement");
        } catch (const std::exception&) {
          // Unreadable: treated as a worker that reported nothing.
        }
      }
    }
    return open && Clock::now() < by;
  }

  std::string end_state() {
    if (!state_.empty()) return state_;
    state_ = proc_.wait_status(std::chrono::milliseconds(200));
    if (state_.find("did not exit") != std::string::npos) {  // still running: end it
      proc_.kill_now();
      state_ = "still ran and was killed (" + proc_.wait_status(std::chrono::seconds(2)) + ")";
    }
    return state_;
  }

  WorkerProcess proc_;
  std::string check_;
  Clock::time_point kill_at_;
  double timeout_s_;
  std::optional<json> id_;
  std::optional<Measurement> measurement_;
  std::string state_;
};

json make_job(const std::string& check, const json& params, const std::vector<int>& gpus, double timeout_s,
              bool root, const std::string& id_hex, int nranks, int first_rank, int shift) {
  json job = {{"check", check},
              {"params", params},
              {"gpus", gpus},
              {"timeout_s", timeout_s},
              {"role", root ? "root" : "member"},
              {"world", {{"nranks", nranks}, {"first_rank", first_rank}, {"shift", shift}}}};
  if (!root) job["id"] = id_hex;
  return job;
}

double timeout_of(const json& params, double fallback) {
  return params.contains("timeout_s") && params["timeout_s"].is_number() ? params["timeout_s"].get<double>() : fallback;
}

// The NCCL checks every rank runs: those of the lowest rank whose node run worked (all ranks got the same
// options, so they agree; taking one rank's list keeps every rank in lockstep even when another failed).
json agreed_checks(const std::vector<json>& infos) {
  for (const json& i : infos) {
    if (i.is_object() && i.value("ok", false)) return i.value("checks", json::array());
  }
  return json::array();
}

// The per-pair parameters of nccl.pairwise: one size, float, out of place.
json pair_params(const json& pairwise_params) {
  const std::int64_t size = pairwise_params.value("size_bytes", std::int64_t{1} << 30);
  return {{"min_bytes", size}, {"max_bytes", size},       {"step_factor", 2},      {"warmup", 5},
          {"iters", 20},       {"plateau_bytes", size},   {"dtypes", "float"},     {"in_place", false}};
}

}  // namespace

CrossNodeInput cross_node_input(const std::string& host, const NodeRunResult* run) {
  CrossNodeInput in;
  in.host = host;
  if (!run) return in;
  in.ok = true;
  const auto g = run->report.options.find("gpus");
  if (g != run->report.options.end() && g->is_array()) in.gpus = g->get<std::vector<int>>();
  for (const Measurement& m : run->report.measurements) {
    if (m.check_id.rfind("nccl.", 0) == 0) in.checks.push_back({{"check", m.check_id}, {"params", m.params}});
  }
  // Test only (docs/multinode.md): the GPU indices this rank offers, whatever its node run found, so the MPI
  // exchange and the workers run on a machine without GPUs (they then fail as such a machine must).
  if (const char* fake = std::getenv("TRANCHE_TEST_CROSS_NODE_GPUS"); fake && *fake) {
    const std::string bad = std::string("TRANCHE_TEST_CROSS_NODE_GPUS='") + fake + "': expected GPU indices like 0,1";
    in.gpus.clear();
    for (const char* p = fake; *p;) {
      char* end = nullptr;
      const long index = std::strtol(p, &end, 10);
      if (end == p || index < 0 || (*end != ',' && *end != '\0')) throw InputError(bad);
      in.gpus.push_back(static_cast<int>(index));
      p = *end == ',' ? end + 1 : end;
    }
  }
  return in;
}

json run_cross_node(const CrossNodeContext& ctx, const CrossNodeInput& mine) {
  const json me = {{"host", mine.host}, {"gpus", mine.gpus}, {"checks", mine.checks}, {"ok", mine.ok}};
  std::vector<json> infos;
  for (const std::string& s : ctx.all_gather(me.dump())) infos.push_back(json::parse(s, nullptr, false));
  std::vector<int> counts;
  std::vector<std::string> hosts;
  for (const json& i : infos) {
    counts.push_back(i.is_object() ? static_cast<int>(i.value("gpus", json::array()).size()) : 0);
    hosts.push_back(i.is_object() ? i.value("host", std::string("?")) : "?");
  }
  const nccl::WorldLayout layout = nccl::layout_world(counts);
  const json checks = agreed_checks(infos);
  json collectives = json::array();
  json pairwise = nullptr;
  for (const json& c : checks) {
    const std::string id = c.value("check", "");
    if (id == "nccl.pairwise") {
      pairwise = c.value("params", json::object());
    } else {
      collectives.push_back(c);
    }
  }
  json out = {{"layout", {{"hosts", hosts}, {"gpus", counts}, {"collectives", collectives}, {"pairwise", pairwise}}},
              {"jobs", json::array()}};
  if (layout.members.size() < 2) {
    out["layout"]["not_run"] = "fewer than two ranks have a GPU (" + std::to_string(layout.members.size()) +
                               " of " + std::to_string(ctx.size) + ")";
    return out;
  }
  const nccl::WorldMember* self = layout.member(ctx.rank);
  const int root_mpi = layout.members.front().mpi_rank;

  for (const json& c : collectives) {
    const std::string check = c.at("check");
    const json params = c.value("params", json::object());
    const double timeout_s = timeout_of(params, 900.0);
    std::optional<CrossWorker> worker;
    json id_msg = json::object();
    Measurement m;
    if (self && ctx.rank == root_mpi) {
      try {
        worker.emplace(ctx.worker_exe, make_job(check, params, mine.gpus, timeout_s, true, "", layout.nranks, 0, 1),
                       check, timeout_s, ctx.grace_s);
        id_msg = worker->wait_for_id(Clock::now() + span(ctx.id_timeout_s), ctx.cancel);
      } catch (const std::exception& e) {  // the worker could not be started
        m = error_measurement(check, "E_WORKER_DIED", e.what());
        id_msg = {{"error", to_json(*m.error)}};
      }
    }
    const std::vector<std::string> ids = ctx.all_gather(id_msg.dump());
    if (!self) continue;
    if (ctx.rank != root_mpi) {
      const json root = json::parse(ids.at(static_cast<std::size_t>(root_mpi)), nullptr, false);
      if (root.is_object() && root.contains("id")) {
        try {
          worker.emplace(ctx.worker_exe,
                         make_job(check, params, mine.gpus, timeout_s, false, root["id"].get<std::string>(),
                                  layout.nranks, self->first_rank, 1),
                         check, timeout_s, ctx.grace_s);
        } catch (const std::exception& e) {
          m = error_measurement(check, "E_WORKER_DIED", e.what());
        }
      } else {
        const json err = root.is_object() ? root.value("error", json::object()) : json::object();
        m = error_measurement(check, err.value("id", std::string("E_NCCL_API")),
                              "not run: MPI rank " + std::to_string(root_mpi) + " (" + hosts.at(static_cast<std::size_t>(root_mpi)) +
                                  ") could not create the NCCL id: " + err.value("message", std::string("unknown")));
      }
    }
    if (worker) m = worker->finish(ctx.cancel);
    out["jobs"].push_back({{"job", check}, {"measurement", to_json(m)}});
  }

  if (!pairwise.is_null()) {
    const int random_rounds = pairwise.value("random_rounds", 0);
    const auto n = static_cast<int>(layout.members.size());
    const std::vector<nccl::Round> rounds =
        random_rounds > 0 ? nccl::random_rounds(n, random_rounds, pairwise.value("seed", std::uint64_t{1}))
                          : nccl::round_robin_rounds(n);
    const std::vector<nccl::PairWorld> pairs = nccl::pair_worlds(layout, rounds);
    const json params = pair_params(pairwise);
    const double timeout_s =
        std::max(60.0, timeout_of(pairwise, 1800.0) / static_cast<double>(std::max<std::size_t>(1, rounds.size())));
    for (std::size_t r = 0; r < rounds.size(); ++r) {
      const nccl::PairWorld* mypair = nullptr;
      for (const nccl::PairWorld& p : pairs) {
        if (p.round == static_cast<int>(r) && (p.root_mpi == ctx.rank || p.other_mpi == ctx.rank)) mypair = &p;
      }
      std::optional<CrossWorker> worker;
      json id_msg = json::object();
      Measurement m;
      bool have_m = false;
      if (mypair && !mypair->problem.empty()) {
        m = error_measurement("nccl.sendrecv", "E_BAD_INPUT", "pair not run: " + mypair->problem);
        have_m = true;
      } else if (mypair && mypair->root_mpi == ctx.rank) {
        try {
          worker.emplace(ctx.worker_exe,
                         make_job("nccl.sendrecv", params, mine.gpus, timeout_s, true, "", mypair->nranks, 0,
                                  mypair->shift),
                         "nccl.sendrecv", timeout_s, ctx.grace_s);
          id_msg = worker->wait_for_id(Clock::now() + span(ctx.id_timeout_s), ctx.cancel);
        } catch (const std::exception& e) {
          m = error_measurement("nccl.sendrecv", "E_WORKER_DIED", e.what());
          have_m = true;
          id_msg = {{"error", to_json(*m.error)}};
        }
      }
      const std::vector<std::string> ids = ctx.all_gather(id_msg.dump());
      if (!mypair) continue;
      if (!have_m && mypair->other_mpi == ctx.rank) {
        const json root = json::parse(ids.at(static_cast<std::size_t>(mypair->root_mpi)), nullptr, false);
        if (root.is_object() && root.contains("id")) {
          try {
            worker.emplace(ctx.worker_exe,
                           make_job("nccl.sendrecv", params, mine.gpus, timeout_s, false,
                                    root["id"].get<std::string>(), mypair->nranks, mypair->shift, mypair->shift),
                           "nccl.sendrecv", timeout_s, ctx.grace_s);
          } catch (const std::exception& e) {
            m = error_measurement("nccl.sendrecv", "E_WORKER_DIED", e.what());
            have_m = true;
          }
        } else {
          const json err = root.is_object() ? root.value("error", json::object()) : json::object();
          m = error_measurement("nccl.sendrecv", err.value("id", std::string("E_NCCL_API")),
                                "pair not run: its root could not create the NCCL id: " +
                                    err.value("message", std::string("unknown")));
          have_m = true;
        }
      }
      if (!have_m && worker) m = worker->finish(ctx.cancel);
      out["jobs"].push_back({{"job", "pair"},
                             {"round", mypair->round},
                             {"a", mypair->a},
                             {"b", mypair->b},
                             {"measurement", to_json(m)}});
    }
  }
  return out;
}

}  // namespace tranche::cli
