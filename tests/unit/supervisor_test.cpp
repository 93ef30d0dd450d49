// The supervisor against a scripted worker (tests/tools/fake_worker.py): a hung GPU is killed at deadline +
// grace and isolated while the other GPUs go on; a crash is recorded with its signal; every slot gets a result.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "harness/core/model_json.h"
#include "harness/core/supervisor.h"
#include "tests/unit/fake_checks.h"

namespace tranche {
namespace {

using test::fake_system;

struct SupervisorFixture {
  CheckRegistry registry;
  SystemInfo sys = fake_system(2);
  Plan plan;
  std::vector<nlohmann::json> events;
  SupervisorOptions options;

  SupervisorFixture() {
    registry.add([] { return std::make_unique<test::FakeMetricCheck>(); });
    registry.add([] { return std::make_unique<test::FakeThrowingCheck>(); });
    Profile p;
    p.name = "t";
    p.checks = {{"fake.metric", {{"timeout_s", 0.2}}, true}, {"fake.throws", {}, true}};
    plan = make_plan(registry, sys, p, {});
    options.worker_exe = std::string(TRANCHE_SOURCE_DIR) + "/tests/tools/fake_worker.py";
    options.grace_s = 0.3;
    Measurement m;
    m.check_id = "x";
    m.add_metric("value", 1.0, "count");
    ::setenv("FAKE_WORKER_TEMPLATE", to_json(m).dump().c_str(), 1);
    ::unsetenv("FAKE_WORKER_HANG");
    ::unsetenv("FAKE_WORKER_CRASH");
  }
  std::vector<Measurement> run() {
    return run_plan_supervised(plan, sys, [this](const nlohmann::json& e) { events.push_back(e); }, options);
  }
  int count(const std::string& event) const {
    int n = 0;
    for (const auto& e : events) n += e["event"] == event ? 1 : 0;
    return n;
  }
};

std::string error_id(const Measurement& m) { return m.error ? m.error->id : ""; }

TEST(Supervisor, AllSlotsOkInOneWorker) {
  SupervisorFixture f;
  const auto ms = f.run();
  ASSERT_EQ(ms.size(), 4u);
  for (const auto& m : ms) EXPECT_EQ(m.status, MeasurementStatus::ok) << m.check_id << error_id(m);
  EXPECT_EQ(f.count("worker_start"), 1);
  EXPECT_EQ(f.count("check_end"), 4);
}

TEST(Supervisor, HungGpuIsKilledAtDeadlinePlusGraceAndIsolated) {
  SupervisorFixture f;
  ::setenv("FAKE_WORKER_HANG", "fake.metric:1", 1);
  const auto t0 = std::chrono::steady_clock::now();
  const auto ms = f.run();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(secs, 0.2 + 0.3 + 3.0);
  ASSERT_EQ(ms.size(), 4u);  // plan order: fake.metric gpu0, gpu1, fake.throws gpu0, gpu1
  EXPECT_EQ(ms[0].status, MeasurementStatus::ok);
  EXPECT_EQ(error_id(ms[1]), "E_TIMEOUT");
  EXPECT_EQ(ms[1].device, 1);
  EXPECT_EQ(ms[2].status, MeasurementStatus::ok) << "GPU 0 goes on in a new worker: " << error_id(ms[2]);
  EXPECT_EQ(error_id(ms[3]), "E_SKIPPED_AFTER_HANG");
  EXPECT_EQ(f.count("worker_start"), 2);
}

TEST(Supervisor, CrashIsEWorkerDiedWithSignalAndTheRestIsKept) {
  SupervisorFixture f;
  ::setenv("FAKE_WORKER_CRASH", "fake.throws", 1);
  const auto ms = f.run();
  ASSERT_EQ(ms.size(), 4u);
  EXPECT_EQ(ms[0].status, MeasurementStatus::ok);
  EXPECT_EQ(ms[1].status, MeasurementStatus::ok);
  for (int i : {2, 3}) {
    EXPECT_EQ(error_id(ms[i]), "E_WORKER_DIED");
    EXPECT_NE(ms[i].error->message.find("SIGABRT"), std::string::npos) << ms[i].error->message;
    EXPECT_NE(ms[i].error->message.find("last event"), std::string::npos);
  }
}

TEST(Supervisor, CancelledBeforeStartRecordsEverySlotInterrupted) {
  SupervisorFixture f;
  std::atomic<bool> cancel{true};
  f.options.cancel = &cancel;
  const auto ms = f.run();
  ASSERT_EQ(ms.size(), 4u);
  for (const auto& m : ms) EXPECT_EQ(error_id(m), "E_INTERRUPTED");
}

TEST(Supervisor, AWorkerThatCannotStartStillGivesEverySlotAResult) {
  SupervisorFixture f;
  f.options.worker_exe = "/nonexistent/tranche";
  const auto ms = f.run();
  ASSERT_EQ(ms.size(), 4u);
  for (const auto& m : ms) EXPECT_EQ(error_id(m), "E_WORKER_DIED");
}

}  // namespace
}  // namespace tranche
