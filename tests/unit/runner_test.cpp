// The runner with fake checks: metrics, GpuError isolation, sticky errors, deadlines, skips, cancellation.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "harness/core/runner.h"
#include "tests/unit/fake_checks.h"

namespace tranche {
namespace {

using test::fake_system;

struct Fixture {
  CheckRegistry registry;
  Fixture() {
    registry.add([] { return std::make_unique<test::FakeMetricCheck>(); });
    registry.add([] { return std::make_unique<test::FakeThrowingCheck>(); });
    registry.add([] { return std::make_unique<test::FakeOverrunCheck>(); });
    registry.add([] { return std::make_unique<test::FakeNotApplicableCheck>(); });
  }
  Plan plan(const SystemInfo& sys, std::vector<ProfileEntry> entries, PlanOptions o = {}) {
    Profile p;
    p.name = "t";
    p.source = "t";
    p.checks = std::move(entries);
    return make_plan(registry, sys, p, o);
  }
};

TEST(Runner, ConcurrentGpusEachGetAMeasurementAndStartTogether) {
  Fixture f;
  auto sys = fake_system(4);
  std::vector<nlohmann::json> events;
  auto ms = run_plan(f.plan(sys, {{"fake.metric", {}, true}}), sys, [&](const nlohmann::json& e) { events.push_back(e); });
  ASSERT_EQ(ms.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(ms[i].device, i);
    EXPECT_EQ(ms[i].status, MeasurementStatus::ok);
    ASSERT_EQ(ms[i].metrics.size(), 1u);
    EXPECT_DOUBLE_EQ(*ms[i].metrics[0].value, 10.0 + i);
    EXPECT_EQ(ms[i].details["concurrency"], 4);
    EXPECT_EQ(ms[i].details["synced"], true);
    EXPECT_EQ(ms[i].params["value"], 10.0);
  }
  EXPECT_EQ(events.size(), 8u);  // start + end per GPU
}

TEST(Runner, SequentialRunsOneGpuAtATime) {
  Fixture f;
  auto sys = fake_system(3);
  PlanOptions o;
  o.sequential = true;
  auto ms = run_plan(f.plan(sys, {{"fake.metric", {}, true}}, o), sys, nullptr);
  ASSERT_EQ(ms.size(), 3u);
  for (const auto& m : ms) EXPECT_EQ(m.details["concurrency"], 1);
}

TEST(Runner, GpuErrorBecomesErrorMeasurementAndOthersGoOn) {
  Fixture f;
  auto sys = fake_system(2);
  auto ms = run_plan(f.plan(sys, {{"fake.throws", {}, true}, {"fake.metric", {}, true}}), sys, nullptr);
  ASSERT_EQ(ms.size(), 4u);
  // Registry order: fake.metric (order 1) first, then fake.throws.
  EXPECT_EQ(ms[0].status, MeasurementStatus::ok);
  EXPECT_EQ(ms[2].check_id, "fake.throws");
  EXPECT_EQ(ms[2].status, MeasurementStatus::error);
  ASSERT_TRUE(ms[2].error.has_value());
  EXPECT_EQ(ms[2].error->id, "E_CUDA_API");
  EXPECT_EQ(ms[2].error->code_name, "cudaErrorIllegalAddress");
}

TEST(Runner, StickyErrorEndsThatGpusLaterChecks) {
  Fixture f;
  auto sys = fake_system(1);
  // fake.throws has order 2, fake.overrun 3 (node), fake.na 4; add a gpu check after the sticky one.
  CheckRegistry r;
  r.add([] { return std::make_unique<test::FakeThrowingCheck>(); });
  struct Late final : public Check {
    const CheckInfo& info() const override {
      static const CheckInfo k{"late.metric", "after", Scope::gpu, {}, {}, 5.0, 9};
      return k;
    }
    Measurement run(RunContext&) override { return {}; }
  };
  r.add([] { return std::make_unique<Late>(); });
  Profile p;
  p.name = p.source = "t";
  p.checks = {{"fake.throws", {{"sticky", true}}, true}, {"late.metric", {}, true}};
  auto ms = run_plan(make_plan(r, sys, p, {}), sys, nullptr);
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[0].error->id, "E_CUDA_STICKY");
  EXPECT_EQ(ms[1].status, MeasurementStatus::error);
  EXPECT_EQ(ms[1].error->id, "E_SKIPPED_AFTER_STICKY");
}

TEST(Runner, OverrunPastDeadlineIsTimeout) {
  Fixture f;
  auto sys = fake_system(1);
  RunnerOptions o;
  o.grace_s = 0.05;
  auto ms = run_plan(f.plan(sys, {{"fake.overrun", {}, true}}), sys, nullptr, o);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].status, MeasurementStatus::error);
  EXPECT_EQ(ms[0].error->id, "E_TIMEOUT");
  EXPECT_FALSE(ms[0].metrics.empty());  // what it measured is kept
}

TEST(Runner, WithinDeadlineIsOk) {
  Fixture f;
  auto sys = fake_system(1);
  PlanOptions po;
  po.overrides["fake.overrun.sleep_s"] = "0.0";
  auto ms = run_plan(f.plan(sys, {{"fake.overrun", {}, true}}, po), sys, nullptr);
  EXPECT_EQ(ms[0].status, MeasurementStatus::ok);
}

TEST(Runner, NotApplicableIsAnOptionalSkipWithReason) {
  Fixture f;
  auto sys = fake_system(2);
  auto ms = run_plan(f.plan(sys, {{"fake.na", {}, true}}), sys, nullptr);
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[1].status, MeasurementStatus::skipped);
  EXPECT_EQ(ms[1].reason, "not on GPU 1");
  EXPECT_FALSE(ms[1].required);
}

TEST(Runner, NoGpuGivesARequiredSkipNamingTheDeviceError) {
  Fixture f;
  SystemInfo sys;
  ErrorInfo e;
  e.id = "E_NO_DEVICE";
  e.message = "no CUDA device";
  sys.device_error = e;
  auto ms = run_plan(f.plan(sys, {{"fake.metric", {}, true}}), sys, nullptr);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].status, MeasurementStatus::skipped);
  EXPECT_TRUE(ms[0].required);
  EXPECT_NE(ms[0].reason.find("E_NO_DEVICE"), std::string::npos);
}

TEST(Runner, CancelledRunMarksRemainingChecksInterrupted) {
  Fixture f;
  auto sys = fake_system(2);
  std::atomic<bool> cancel{true};
  RunnerOptions o;
  o.cancel = &cancel;
  auto ms = run_plan(f.plan(sys, {{"fake.metric", {}, true}, {"fake.overrun", {}, true}}), sys, nullptr, o);
  ASSERT_EQ(ms.size(), 3u);
  for (const auto& m : ms) {
    EXPECT_EQ(m.status, MeasurementStatus::error);
    EXPECT_EQ(m.error->id, "E_INTERRUPTED");
  }
}

// Ctrl-C while a check runs: the running checks see the flag through their context and finish with what they
// measured; every check after them is E_INTERRUPTED and never starts.
std::atomic<bool> g_interrupt{false};

TEST(Runner, CancelMidRunKeepsWhatRanAndInterruptsTheRest) {
  struct Interrupted final : public Check {
    const CheckInfo& info() const override {
      static const CheckInfo k{"sigint.during", "raises the interrupt while it runs", Scope::gpu, {}, {}, 5.0, 1};
      return k;
    }
    Measurement run(RunContext& ctx) override {
      if (ctx.gpu() == 0) g_interrupt = true;  // the signal handler's store, from inside the run
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      while (!ctx.cancelled() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      Measurement m;
      m.check_id = info().id;
      m.add_metric("value", 1.0, "count");
      m.details["saw_cancel"] = ctx.cancelled();
      return m;
    }
  };
  struct Later final : public Check {
    explicit Later(Scope scope) : info_{scope == Scope::gpu ? "later.gpu" : "later.node", "after", scope, {}, {}, 5.0,
                                        scope == Scope::gpu ? 2 : 3} {}
    const CheckInfo& info() const override { return info_; }
    Measurement run(RunContext&) override {
      ADD_FAILURE() << info_.id << " started after the interrupt";
      return {};
    }
    CheckInfo info_;
  };
  CheckRegistry r;
  r.add([] { return std::make_unique<Interrupted>(); });
  r.add([] { return std::make_unique<Later>(Scope::gpu); });
  r.add([] { return std::make_unique<Later>(Scope::node); });
  auto sys = fake_system(2);
  Profile p;
  p.name = p.source = "t";
  p.checks = {{"sigint.during", {}, true}, {"later.gpu", {}, true}, {"later.node", {}, true}};
  g_interrupt = false;
  RunnerOptions o;
  o.cancel = &g_interrupt;
  std::vector<std::string> started;
  auto ms = run_plan(make_plan(r, sys, p, {}), sys,
                     [&](const nlohmann::json& e) {
                       if (e["event"] == "check_start") started.push_back(e["check"]);
                     },
                     o);
  ASSERT_EQ(ms.size(), 5u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(ms[i].check_id, "sigint.during");
    EXPECT_EQ(ms[i].status, MeasurementStatus::ok) << i;
    EXPECT_EQ(ms[i].details["saw_cancel"], true) << i;
    EXPECT_EQ(ms[i].metrics.size(), 1u) << i;
  }
  for (int i = 2; i < 5; ++i) {
    EXPECT_EQ(ms[i].status, MeasurementStatus::error) << ms[i].check_id;
    ASSERT_TRUE(ms[i].error.has_value()) << ms[i].check_id;
    EXPECT_EQ(ms[i].error->id, "E_INTERRUPTED") << ms[i].check_id;
  }
  EXPECT_EQ(ms[2].check_id, "later.gpu");
  EXPECT_EQ(ms[4].check_id, "later.node");
  EXPECT_EQ(started, (std::vector<std::string>{"sigint.during", "sigint.during"}));
}

TEST(StartGate, LeaverDoesNotHoldTheOthers) {
  StartGate gate(2);
  gate.leave();
  EXPECT_TRUE(gate.arrive_and_wait(std::chrono::steady_clock::now() + std::chrono::seconds(1)));
}

TEST(StartGate, TimesOutWhenAPeerNeverArrives) {
  StartGate gate(2);
  EXPECT_FALSE(gate.arrive_and_wait(std::chrono::steady_clock::now() + std::chrono::milliseconds(20)));
}

}  // namespace
}  // namespace tranche
