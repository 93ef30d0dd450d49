// Supervision of worker processes: deadlines enforced from outside, deaths recorded, work resumed elsewhere.
#include "harness/core/supervisor.h"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include "harness/core/error_catalog.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"
#include "harness/core/worker_process.h"
#include "harness/core/worker_protocol.h"

namespace tranche {

namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

json gpu_json(std::optional<int> g) { return g ? json(*g) : json(nullptr); }

std::string slot_name(const Slot& s) {
  return s.first + (s.second ? " on GPU " + std::to_string(*s.second) : std::string());
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", s);
  return buf;
}

std::chrono::milliseconds until(Clock::time_point t) {
  return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(t - Clock::now()));
}

Clock::duration span(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

std::string hostname() {
  char buf[256] = {};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

// A check a worker reported as started and not yet ended.
struct Running {
  Clock::time_point kill_at;  // deadline + grace
  double timeout_s = 0;
  std::chrono::system_clock::time_point started;
};

class Supervision {
 public:
  Supervision(const Plan& plan, const SystemInfo& system, const EventSink& sink, const SupervisorOptions& options)
      : plan_(plan), system_(system), sink_(sink), options_(options), slots_(plan_slots(plan)) {
    for (const auto& item : plan.items) items_[item.entry->info.id] = &item;
  }

  std::vector<Measurement> run() {
    int fruitless = 0;
    for (;;) {
      skip_hung_gpus();
      if (cancelled()) {
        record_rest("E_INTERRUPTED", "");
        break;
      }
      const size_t before = remaining();
      if (before == 0) break;
      try {
        run_worker();
      } catch (const std::runtime_error& e) {
        record_rest("E_WORKER_DIED", e.what());
        break;
      }
      fruitless = remaining() == before ? fruitless + 1 : 0;
      if (fruitless >= 2) {
        record_rest("E_WORKER_DIED", "two workers in a row finished nothing (last: " + last_status_ + ")");
        break;
      }
    }
    std::vector<Measurement> out;
    for (const auto& s : slots_) out.push_back(results_.at(s));
    return out;
  }

 private:
  bool cancelled() const { return options_.cancel && options_.cancel->load(); }

  size_t remaining() const {
    size_t n = 0;
    for (const auto& s : slots_) n += results_.count(s) ? 0 : 1;
    return n;
  }

  void emit(const json& e) {
    if (sink_) sink_(e);
  }

  // Records a slot the supervisor decides (the worker could not): an error measurement and its check_end event.
  void record(const Slot& s, const std::string& id, const std::string& message, const Running* running = nullptr) {
    const PlanItem& item = *items_.at(s.first);
    Measurement m;
    m.check_id = s.first;
    m.device = s.second;
    m.params = item.params;
    m.params["timeout_s"] = item.timeout_s;
    m.required = item.required;
    m.status = MeasurementStatus::error;
    m.started_at = running ? running->started : std::chrono::system_clock::now();
    m.duration_s = running ? std::chrono::duration<double>(std::chrono::system_clock::now() - running->started).count() : 0.0;
    ErrorInfo e;
    e.id = id;
    e.message = message.empty() ? std::string(error_entry(id).summary) : message;
    e.gpu = s.second;
    m.reason = e.message;
    m.error = e;
    results_[s] = m;
    emit({{"event", "check_end"}, {"check", s.first}, {"gpu", gpu_json(s.second)}, {"status", "error"},
          {"duration_s", m.duration_s}, {"error", id}});
  }

  void record_rest(const std::string& id, const std::string& message) {
    for (const auto& s : slots_) {
      if (!results_.count(s)) record(s, id, message);
    }
  }

  void skip_hung_gpus() {
    for (const auto& s : slots_) {
      if (results_.count(s) || !s.second || !hung_.count(*s.second)) continue;
      record(s, "E_SKIPPED_AFTER_HANG", "not run: GPU " + std::to_string(*s.second) + " hung earlier in this run (" +
                                            hung_.at(*s.second) + ")");
    }
  }

  // Reads one line of a worker; returns the slot of a check event, if any.
  void handle(const std::string& line, std::map<Slot, Running>& running, json& last_event) {
    json e = json::parse(line, nullptr, false);
    if (e.is_discarded() || !e.is_object() || !e.contains("event") || !e["event"].is_string()) return;
    const std::string type = e["event"];
    if (type == "measurement") {
      try {
        Measurement m = measurement_from_json(e.at("measurement"), "worker measurement");
        const Slot s{m.check_id, m.device};
        if (items_.count(s.first)) results_[s] = std::move(m);
      } catch (const std::exception&) {
        // A measurement the supervisor cannot read stays unrecorded; the slot ends as E_WORKER_DIED.
      }
      return;
    }
    if (type != "check_start" && type != "check_end") return;
    if (!e.contains("check") || !e["check"].is_string()) return;
    const Slot s{e["check"].get<std::string>(),
                 e.contains("gpu") && e["gpu"].is_number_integer() ? std::optional<int>(e["gpu"].get<int>()) : std::nullopt};
    if (type == "check_start") {
      const double timeout = e.contains("timeout_s") && e["timeout_s"].is_number() ? e["timeout_s"].get<double>()
                                                                                    : items_.at(s.first)->timeout_s;
      running[s] = {Clock::now() + span(timeout + options_.grace_s), timeout, std::chrono::system_clock::now()};
    } else {
      running.erase(s);
    }
    last_event = e;
    emit(e);
  }

  void run_worker() {
    WorkerJob job{system_, plan_, {}};
    job.plan.gpus.clear();
    for (int g : plan_.gpus) {
      if (!hung_.count(g)) job.plan.gpus.push_back(g);
    }
    for (const auto& [s, m] : results_) job.done.insert(s);
    WorkerProcess worker(options_.worker_exe, "run", job_to_json(job).dump());
    emit({{"event", "worker_start"}, {"pid", worker.pid()}, {"gpus", job.plan.gpus}});

    std::map<Slot, Running> running;
    json last_event = nullptr;
    auto last_activity = Clock::now();
    std::optional<Clock::time_point> stop_by;
    std::vector<std::string> lines;
    bool open = true;
    auto last_seen = [&] { return last_event.is_null() ? std::string("none") : last_event.dump(); };
    auto finish = [&](const std::string& status, const std::string& why) {
      last_status_ = "worker " + std::to_string(worker.pid()) + " " + status;
      emit({{"event", "worker_end"}, {"pid", worker.pid()}, {"status", status}, {"why", why}});
    };

    while (open) {
      if (cancelled() && !stop_by) {
        stop_by = Clock::now() + span(options_.stop_s);
        worker.send_signal(SIGTERM);
      }
      auto wake = Clock::now() + std::chrono::milliseconds(250);
      for (const auto& [s, r] : running) wake = std::min(wake, r.kill_at);
      if (running.empty()) wake = std::min(wake, last_activity + span(options_.idle_timeout_s));
      if (stop_by) wake = std::min(wake, *stop_by);
      lines.clear();
      open = worker.read_lines(until(wake), lines);
      for (const auto& line : lines) {
        handle(line, running, last_event);
        last_activity = Clock::now();
      }
      const auto now = Clock::now();
      std::vector<Slot> expired;
      for (const auto& [s, r] : running) {
        if (r.kill_at <= now) expired.push_back(s);
      }
      if (!expired.empty()) {
        worker.kill_now();
        const std::string status = worker.wait_status(std::chrono::seconds(2));
        for (const auto& s : expired) {
          const Running& r = running.at(s);
          record(s, "E_TIMEOUT",
                 slot_name(s) + " did not finish within its " + seconds(r.timeout_s) + " s deadline + " +
                     seconds(options_.grace_s) + " s grace; its worker was killed (" + status + ")",
                 &r);
          if (s.second) hung_[*s.second] = s.first;
          running.erase(s);
        }
        requeue(running, "killed with a worker that hung in another check");
        finish(status, "a check passed its deadline");
        return;
      }
      if (stop_by && now >= *stop_by) {
        worker.kill_now();
        const std::string status = worker.wait_status(std::chrono::seconds(2));
        for (const auto& [s, r] : running) record(s, "E_INTERRUPTED", "interrupted while running; the worker was killed", &r);
        finish(status, "interrupted");
        return;
      }
      if (open && running.empty() && now >= last_activity + span(options_.idle_timeout_s)) {
        worker.kill_now();
        finish(worker.wait_status(std::chrono::seconds(2)),
               "sent nothing for " + seconds(options_.idle_timeout_s) + " s while no check ran");
        return;
      }
    }
    bool exited_ok = false;
    const std::string status = worker.wait_status(std::chrono::seconds(5), &exited_ok);
    for (const auto& [s, r] : running) {
      if (cancelled()) {
        record(s, "E_INTERRUPTED", "interrupted while running (the worker " + status + ")", &r);
      } else {
        record(s, "E_WORKER_DIED", "the worker process " + status + " while running " + slot_name(s) +
                                       "; last event: " + last_seen(), &r);
      }
    }
    finish(status, exited_ok ? "finished" : "died");
  }

  // Checks that were running when their worker was killed for another check's hang run again in the next
  // worker, once; a second time they are recorded.
  void requeue(const std::map<Slot, Running>& running, const std::string& why) {
    for (const auto& [s, r] : running) {
      if (++attempts_[s] >= 2) record(s, "E_WORKER_DIED", slot_name(s) + " was " + why + ", twice", &r);
    }
  }

  const Plan& plan_;
  const SystemInfo& system_;
  const EventSink& sink_;
  const SupervisorOptions& options_;
  const std::vector<Slot> slots_;
  std::map<std::string, const PlanItem*> items_;
  std::map<Slot, Measurement> results_;
  std::map<int, std::string> hung_;  // GPU -> the check it hung in
  std::map<Slot, int> attempts_;
  std::string last_status_ = "none started";
};

SystemInfo failed_probe(const std::string& id, const std::string& message) {
  SystemInfo s;
  s.hostname = hostname();
  ErrorInfo e;
  e.id = id;
  e.message = message;
  s.device_error = e;
  s.inventory.node.hostname = s.hostname;
  s.inventory.node.device_error = e;
  return s;
}

}  // namespace

SystemInfo probe_system_supervised(const SupervisorOptions& options) {
  double timeout = options.probe_timeout_s;
  if (const char* env = std::getenv("TRANCHE_PROBE_TIMEOUT_S"); env && *env) {
    char* end = nullptr;
    const double v = std::strtod(env, &end);
    if (*end != '\0' || !(v > 0)) throw InputError("TRANCHE_PROBE_TIMEOUT_S='" + std::string(env) + "': expected a positive number of seconds");
    timeout = v;
  }
  try {
    WorkerProcess worker(options.worker_exe, "probe", "");
    const auto deadline = Clock::now() + span(timeout);
    std::vector<std::string> lines;
    std::optional<SystemInfo> system;
    bool open = true;
    while (open && !system && Clock::now() < deadline) {
      if (options.cancel && options.cancel->load()) break;
      lines.clear();
      open = worker.read_lines(std::min(until(deadline), std::chrono::milliseconds(250)), lines);
      for (const auto& line : lines) {
        const json e = json::parse(line, nullptr, false);
        if (e.is_object() && e.value("event", "") == "system" && e.contains("system")) {
          system = system_from_json(e["system"], "probe worker");
        }
      }
    }
    if (system) {
      worker.wait_status(std::chrono::seconds(5));
      return *system;
    }
    if (options.cancel && options.cancel->load()) {
      worker.kill_now();
      worker.wait_status(std::chrono::seconds(2));
      return failed_probe("E_INTERRUPTED", "interrupted while probing the GPUs");
    }
    if (open) {
      worker.kill_now();
      const std::string status = worker.wait_status(std::chrono::seconds(2));
      return failed_probe("E_PROBE_TIMEOUT", "probing the GPUs (CUDA device count, NVML, inventory) did not finish within " +
                                                 seconds(timeout) + " s; the probe process was killed (" + status + ")");
    }
    return failed_probe("E_WORKER_DIED", "the probe process " + worker.wait_status(std::chrono::seconds(5)) +
                                             " before reporting the GPUs");
  } catch (const std::runtime_error& e) {
    return failed_probe("E_WORKER_DIED", e.what());
  }
}

std::vector<Measurement> run_plan_supervised(const Plan& plan, const SystemInfo& system, const EventSink& on_event,
                                             const SupervisorOptions& options) {
  return Supervision(plan, system, on_event, options).run();
}

}  // namespace tranche
