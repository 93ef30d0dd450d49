// run_plan: per-check isolation, concurrent GPUs behind a start gate, deadlines and cancellation.
#include "harness/core/runner.h"

#include <mutex>
#include <new>
#include <set>
#include <thread>

#include "harness/core/error_catalog.h"
#include "harness/core/model_json.h"
#include "harness/core/partial_errors.h"
#include "harness/core/fault.h"

namespace tranche {

namespace {

ErrorInfo catalog_error(const std::string& id, const std::string& message, std::optional<int> gpu) {
  ErrorInfo e;
  e.id = id;
  e.message = message.empty() ? std::string(error_entry(id).summary) : message;
  e.gpu = gpu;
  return e;
}

Measurement error_measurement(const PlanItem& item, std::optional<int> gpu, ErrorInfo e) {
  Measurement m;
  m.check_id = item.entry->info.id;
  m.device = gpu;
  m.params = item.params;
  m.required = item.required;
  m.status = MeasurementStatus::error;
  m.reason = e.message;
  m.error = std::move(e);
  m.started_at = std::chrono::system_clock::now();
  return m;
}

Measurement skipped_measurement(const PlanItem& item, std::optional<int> gpu, std::string reason, bool required) {
  Measurement m;
  m.check_id = item.entry->info.id;
  m.device = gpu;
  m.params = item.params;
  m.required = required;
  m.status = MeasurementStatus::skipped;
  m.reason = std::move(reason);
  m.started_at = std::chrono::system_clock::now();
  return m;
}

// The check's first figure that is not a mismatch counter, for progress lines: {metric, gpu, value, unit} or null.
nlohmann::json headline_figure(const Measurement& m) {
  for (const auto& x : m.metrics) {
    if (x.name.size() >= 11 && x.name.compare(x.name.size() - 11, 11, "/mismatches") == 0) continue;
    return {{"metric", x.name}, {"gpu", x.device ? nlohmann::json(*x.device) : nlohmann::json()},
            {"value", json_or_null(x.value)}, {"unit", x.unit}};
  }
  return nullptr;
}

class Executor {
 public:
  Executor(const SystemInfo& system, const EventSink& sink, const RunnerOptions& options)
      : system_(system), sink_(sink), options_(options) {}

  Measurement run_one(const PlanItem& item, std::optional<int> gpu, const std::vector<int>& gpus, StartGate* gate) {
    const auto& info = item.entry->info;
    emit({{"event", "check_start"},
          {"check", info.id},
          {"gpu", gpu ? nlohmann::json(*gpu) : nlohmann::json()},
          {"timeout_s", item.timeout_s}});
    const auto started = std::chrono::system_clock::now();
    const auto t0 = std::chrono::steady_clock::now();
    const auto deadline = t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(item.timeout_s));
    RunContext ctx(system_, gpu, gpus, item.params, deadline, gate, options_.cancel);
    Measurement m;
    try {
      auto check = item.entry->make();
      inject_fault_before_run(info.id, gpu);
      m = check->run(ctx);
      m.check_id = info.id;
      m.device = gpu;
      inject_fault_after_run(m);
    } catch (const GpuError& e) {
      m = error_measurement(item, gpu, e.info());
    } catch (const InputError& e) {
      m = error_measurement(item, gpu, catalog_error("E_BAD_INPUT", e.what(), gpu));
    } catch (const std::bad_alloc&) {
      m = error_measurement(item, gpu, catalog_error("E_OUT_OF_MEMORY", "host memory allocation failed", gpu));
    } catch (const std::exception& e) {
      m = error_measurement(item, gpu, catalog_error("E_INTERNAL", e.what(), gpu));
    }
    ctx.leave_gate();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    m.check_id = info.id;
    m.device = gpu;
    m.params = item.params;
    m.params["timeout_s"] = item.timeout_s;
    m.required = item.required;
    m.started_at = started;
    m.duration_s = elapsed;
    if (m.status == MeasurementStatus::ok && elapsed > item.timeout_s + options_.grace_s) {
      m.status = MeasurementStatus::error;
      m.error = catalog_error("E_TIMEOUT", "ran " + std::to_string(elapsed) + " s, past its " +
                                               std::to_string(item.timeout_s) + " s deadline", gpu);
      m.reason = m.error->message;
    }
    mark_dead_after_sticky(m, gpu);
    deliver(m);
    emit({{"event", "check_end"},
          {"check", info.id},
          {"gpu", gpu ? nlohmann::json(*gpu) : nlohmann::json()},
          {"status", to_string(m.status)},
          {"duration_s", elapsed},
          {"error", m.error ? nlohmann::json(m.error->id) : nlohmann::json()},
          {"figure", headline_figure(m)}});
    return m;
  }

  // A sticky error ends its GPU's remaining checks: the check's own GPU, or for a node-scoped check the GPU the
  // error names (the whole-check error or a per-GPU / per-pair entry).
  void mark_dead_after_sticky(const Measurement& m, std::optional<int> gpu) {
    std::lock_guard lock(mu_);
    if (m.error && m.error->sticky) {
      if (gpu) dead_.insert(*gpu);
      else if (m.error->gpu) dead_.insert(*m.error->gpu);
    }
    if (gpu) return;
    for (const ErrorInfo& e : partial_errors(m)) {
      if (e.sticky && e.gpu) dead_.insert(*e.gpu);
    }
  }

  bool is_dead(int gpu) {
    std::lock_guard lock(mu_);
    return dead_.count(gpu) > 0;
  }

  // Hands a final Measurement to RunnerOptions::on_measurement; returns it for the caller to keep.
  Measurement deliver(Measurement m) {
    if (options_.on_measurement) {
      std::lock_guard lock(emit_mu_);
      options_.on_measurement(m);
    }
    return m;
  }

  bool done_before(const std::string& check, std::optional<int> gpu) const {
    return options_.already_done && options_.already_done(check, gpu);
  }

  void emit(const nlohmann::json& event) {
    if (!sink_) return;
    std::lock_guard lock(emit_mu_);
    sink_(event);
  }

 private:
  const SystemInfo& system_;
  const EventSink& sink_;
  const RunnerOptions& options_;
  std::mutex mu_, emit_mu_;
  std::set<int> dead_;
};

}  // namespace

std::vector<Measurement> run_plan(const Plan& plan, const SystemInfo& system, const EventSink& on_event,
                                  const RunnerOptions& options) {
  Executor exec(system, on_event, options);
  std::vector<Measurement> out;
  auto cancelled = [&] { return options.cancel && options.cancel->load(); };

  for (const auto& item : plan.items) {
    const auto& info = item.entry->info;
    if (info.scope == Scope::node) {
      if (exec.done_before(info.id, std::nullopt)) continue;
      if (cancelled()) {
        out.push_back(exec.deliver(error_measurement(item, std::nullopt, catalog_error("E_INTERRUPTED", "", std::nullopt))));
      } else if (auto why = item.entry->make()->not_applicable(system, std::nullopt)) {
        out.push_back(exec.deliver(skipped_measurement(item, std::nullopt, *why, false)));
      } else {
        // GPUs left unusable by a sticky error are not handed to the check; the measurement says why.
        std::vector<int> live;
        nlohmann::json skipped = nlohmann::json::array();
        for (int g : plan.gpus) {
          if (!exec.is_dead(g)) {
            live.push_back(g);
          } else {
            skipped.push_back({{"gpu", g}, {"peer", nullptr},
                               {"reason", "E_SKIPPED_AFTER_STICKY: an earlier check left a sticky CUDA error"}});
          }
        }
        Measurement m = exec.run_one(item, std::nullopt, live, nullptr);
        for (auto& e : skipped) m.details["skipped"].push_back(std::move(e));
        out.push_back(std::move(m));
      }
      continue;
    }

    if (plan.gpus.empty()) {
      if (exec.done_before(info.id, std::nullopt)) continue;
      const std::string why = system.device_error ? system.device_error->id + ": " + system.device_error->message
                                                  : "no GPU selected";
      out.push_back(exec.deliver(skipped_measurement(item, std::nullopt, "no GPU to run on (" + why + ")", item.required)));
      continue;
    }

    // Decide per GPU first, so only the runnable GPUs share the start gate.
    std::vector<std::optional<Measurement>> results(plan.gpus.size());
    std::vector<size_t> runnable;
    const auto probe = item.entry->make();
    for (size_t i = 0; i < plan.gpus.size(); ++i) {
      const int g = plan.gpus[i];
      if (exec.done_before(info.id, g)) {
        continue;
      } else if (cancelled()) {
        results[i] = exec.deliver(error_measurement(item, g, catalog_error("E_INTERRUPTED", "", g)));
      } else if (exec.is_dead(g)) {
        results[i] = exec.deliver(error_measurement(item, g, catalog_error("E_SKIPPED_AFTER_STICKY", "", g)));
      } else if (auto why = probe->not_applicable(system, g)) {
        results[i] = exec.deliver(skipped_measurement(item, g, *why, false));
      } else {
        runnable.push_back(i);
      }
    }

    if (plan.sequential || runnable.size() <= 1) {
      for (size_t i : runnable) {
        results[i] = cancelled() ? exec.deliver(error_measurement(item, plan.gpus[i],
                                                                  catalog_error("E_INTERRUPTED", "", plan.gpus[i])))
                                 : exec.run_one(item, plan.gpus[i], {plan.gpus[i]}, nullptr);
      }
    } else {
      std::vector<int> group;
      for (size_t i : runnable) group.push_back(plan.gpus[i]);
      StartGate gate(static_cast<int>(runnable.size()));
      std::vector<std::thread> threads;
      for (size_t i : runnable) {
        threads.emplace_back([&, i] { results[i] = exec.run_one(item, plan.gpus[i], group, &gate); });
      }
      for (auto& t : threads) t.join();
    }
    for (auto& r : results) {
      if (r) out.push_back(std::move(*r));
    }
  }
  return out;
}

}  // namespace tranche
