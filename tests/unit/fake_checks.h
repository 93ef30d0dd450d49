// Fake checks that drive the registry, planner and runner tests: no GPU, deterministic behaviour.
#pragma once
#include <chrono>
#include <thread>

#include "harness/core/check.h"
#include "harness/core/errors.h"

namespace tranche::test {

// Returns one metric (value = the param "value" + the GPU index) and records the concurrency it saw.
class FakeMetricCheck final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo{"fake.metric", "returns one metric", Scope::gpu,
                                 {{"value", 10.0, "", "the figure to report"}, {"sizes", nlohmann::json::array({1, 2}), "B", "sizes"}},
                                 {"fake.metric/value"}, 5.0, 1};
    return kInfo;
  }
  Measurement run(RunContext& ctx) override {
    Measurement m;
    m.check_id = info().id;
    m.device = ctx.gpu();
    const bool together = ctx.sync_start();
    m.add_metric("value", ctx.param_double("value") + ctx.device(), "count");
    m.details["concurrency"] = ctx.concurrency();
    m.details["synced"] = together;
    return m;
  }
};

// Throws a GpuError: sticky when the param says so.
class FakeThrowingCheck final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo{"fake.throws", "throws GpuError", Scope::gpu, {{"sticky", false, "", ""}},
                                 {}, 5.0, 2};
    return kInfo;
  }
  Measurement run(RunContext& ctx) override {
    ErrorInfo e;
    e.id = ctx.param_bool("sticky") ? "E_CUDA_STICKY" : "E_CUDA_API";
    e.api = "cuda";
    e.code = 700;
    e.code_name = "cudaErrorIllegalAddress";
    e.message = "kernel failed";
    e.sticky = ctx.param_bool("sticky");
    e.gpu = ctx.gpu();
    throw GpuError(e);
  }
};

// Sleeps past its own deadline and returns normally.
class FakeOverrunCheck final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo{"fake.overrun", "ignores its deadline", Scope::node, {{"sleep_s", 0.3, "s", ""}},
                                 {}, 0.05, 3};
    return kInfo;
  }
  Measurement run(RunContext& ctx) override {
    std::this_thread::sleep_for(std::chrono::duration<double>(ctx.param_double("sleep_s")));
    Measurement m;
    m.add_metric("value", 1.0, "count");
    return m;
  }
};

// Never applies.
class FakeNotApplicableCheck final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo{"fake.na", "does not apply", Scope::gpu, {}, {}, 5.0, 4};
    return kInfo;
  }
  std::optional<std::string> not_applicable(const SystemInfo&, std::optional<int> gpu) const override {
    return "not on GPU " + std::to_string(gpu.value_or(-1));
  }
  Measurement run(RunContext&) override { throw std::logic_error("must not run"); }
};

// A system with n fake GPUs.
inline SystemInfo fake_system(int n) {
  SystemInfo s;
  s.hostname = "testhost";
  for (int i = 0; i < n; ++i) {
    GpuInfo g;
    g.index = i;
    g.name = "Fake GPU";
    s.gpus.push_back(g);
  }
  return s;
}

}  // namespace tranche::test
