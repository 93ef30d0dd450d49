// Worker mode: the only process of a run that touches CUDA and NVML; it streams what it measures to its parent.
#include "harness/cli/worker_main.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <mutex>
#include <string>

#include "harness/cli/cross_node_worker.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"
#include "harness/core/outcome.h"
#include "harness/core/runner.h"
#include "harness/core/worker_protocol.h"
#include "harness/gpu/system_probe.h"

namespace tranche::cli {

namespace {

std::atomic<bool> g_worker_cancel{false};

extern "C" void on_worker_signal(int) { g_worker_cancel.store(true); }

// JSON lines to the supervisor, one write per line so a kill never leaves half a line behind a whole one.
class EventPipe {
 public:
  void write(const nlohmann::json& e) {
    const std::string line = e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(mu_);
    for (size_t done = 0; done < line.size();) {
      const ssize_t n = ::write(kWorkerEventFd, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // the supervisor is gone; PR_SET_PDEATHSIG ends this process
      done += static_cast<size_t>(n);
    }
  }

 private:
  std::mutex mu_;
};

int run_job(EventPipe& pipe) {
  const std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  const nlohmann::json j = nlohmann::json::parse(input, nullptr, false);
  if (j.is_discarded()) throw InputError("worker job: not JSON");
  const WorkerJob job = job_from_json(j, CheckRegistry::global());
  RunnerOptions options;
  options.cancel = &g_worker_cancel;
  options.already_done = [&job](const std::string& check, std::optional<int> gpu) {
    return job.done.count({check, gpu}) > 0;
  };
  options.on_measurement = [&pipe](const Measurement& m) {
    pipe.write({{"event", "measurement"}, {"measurement", to_json(m)}});
  };
  run_plan(job.plan, job.system, [&pipe](const nlohmann::json& e) { pipe.write(e); }, options);
  pipe.write({{"event", "worker_done"}});
  return 0;
}

}  // namespace

int worker_main(int argc, char** argv) {
  // The worker must not outlive its supervisor (a SIGKILLed supervisor would leave it measuring alone).
  // The supervisor passes its pid: if it died before prctl took effect, leave (it may itself be pid 1 in a
  // container, so "reparented to 1" would be the wrong test).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (argc >= 4 && std::to_string(::getppid()) != argv[3]) return kExitInternal;
  std::signal(SIGINT, on_worker_signal);
  std::signal(SIGTERM, on_worker_signal);
  const std::string mode = argc >= 3 ? argv[2] : "";
  EventPipe pipe;
  try {
    if (mode == "probe") {
      pipe.write({{"event", "system"}, {"system", system_to_json(probe_system())}});
      return 0;
    }
    if (mode == "run") return run_job(pipe);
    if (mode == "cross") {
      const std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
      const nlohmann::json job = nlohmann::json::parse(input, nullptr, false);
      if (job.is_discarded()) throw InputError("cross-node job: not JSON");
      run_cross_node_job(job, [&pipe](const nlohmann::json& e) { pipe.write(e); }, &g_worker_cancel);
      return 0;
    }
    std::cerr << "tranche __worker: expected 'probe', 'run' or 'cross' (these modes are started by tranche run)\n";
    return kExitUsage;
  } catch (const InputError& e) {
    std::cerr << "tranche worker: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "tranche worker: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}

}  // namespace tranche::cli
