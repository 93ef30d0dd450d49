// Burn-in and memtest on a real GPU: a short healthy run is clean, and both test-only injected faults are caught
// and fail the judgement.
#include <gtest/gtest.h>

#include <atomic>

#include "harness/core/registry.h"
#include "harness/gpu/system_probe.h"
#include "harness/judge/judge.h"
#include "tests/gpu/gpu_test_util.h"

namespace tranche {
namespace {

Measurement run_check(const std::string& id, const nlohmann::json& overrides, const std::atomic<bool>* cancel = nullptr) {
  static const SystemInfo system = probe_system();
  const auto* entry = CheckRegistry::global().find(id);
  EXPECT_NE(entry, nullptr) << id;
  nlohmann::json params = nlohmann::json::object();
  for (const auto& p : entry->info.params) params[p.name] = p.default_value;
  for (const auto& [k, v] : overrides.items()) params[k] = v;
  RunContext ctx(system, 0, {0}, params, std::chrono::steady_clock::now() + std::chrono::minutes(5), nullptr, cancel);
  Measurement m = entry->make()->run(ctx);
  m.check_id = id;
  m.device = 0;
  return m;
}

double metric(const Measurement& m, const std::string& name) {
  for (const auto& x : m.metrics) {
    if (x.name == name && x.value) return *x.value;
  }
  ADD_FAILURE() << "no value for " << name;
  return -1;
}

bool any_fail(const Measurement& m) {
  for (const auto& v : judge({m}, nullptr)) {
    if (v.outcome == Outcome::fail) return true;
  }
  return false;
}

TEST(BurninGpu, ShortGemmBurninIsCleanAndSteady) {
  TRANCHE_REQUIRE_GPU();
  const Measurement m = run_check("burnin.gemm", {{"duration_s", 20.0}, {"size", 4096}, {"verify_every_s", 5.0}});
  ASSERT_EQ(m.status, MeasurementStatus::ok) << m.reason;
  EXPECT_EQ(metric(m, "burnin.gemm/mismatches"), 0);
  EXPECT_GT(metric(m, "burnin.gemm/flops"), 0);
  EXPECT_GT(m.details["host_verification"]["checked"].get<long long>(), 0);
  for (const auto& p : m.details["precisions"]) EXPECT_GT(p["products"].get<long long>(), 10) << p.dump();
  EXPECT_FALSE(any_fail(m)) << m.details.dump();
}

TEST(BurninGpu, InjectedGemmBitFlipIsCaughtAndFails) {
  TRANCHE_REQUIRE_GPU();
  const Measurement m =
      run_check("burnin.gemm", {{"duration_s", 10.0}, {"size", 2048}, {"precisions", {"bf16"}}, {"inject_fault", true}});
  ASSERT_EQ(m.status, MeasurementStatus::ok) << m.reason;
  EXPECT_TRUE(m.details["inject_fault"].get<bool>());
  EXPECT_EQ(m.details["precisions"][0]["checksum_mismatches"], 1);
  EXPECT_TRUE(m.details["precisions"][0]["first_bad_t_s"].is_number()) << m.details["precisions"][0].dump();
  EXPECT_GE(metric(m, "burnin.gemm/mismatches"), 1);
  EXPECT_TRUE(any_fail(m));
}

TEST(BurninGpu, InjectedMemtestWordIsCaughtWithItsOffset) {
  TRANCHE_REQUIRE_GPU();
  const Measurement m =
      run_check("memtest.random", {{"memory_fraction", 0.05}, {"random_passes", 1}, {"inject_fault", true}});
  ASSERT_EQ(m.status, MeasurementStatus::ok) << m.reason;
  EXPECT_EQ(metric(m, "memtest.random/mismatches"), 1);
  ASSERT_EQ(m.details["first_bad_words"].size(), 1u);
  EXPECT_EQ(m.details["first_bad_words"][0]["bits"], 1);
  EXPECT_TRUE(any_fail(m));
}

TEST(BurninGpu, EveryMemtestIsCleanOnHealthyMemory) {
  TRANCHE_REQUIRE_GPU();
  for (const char* id : {"memtest.walking", "memtest.inversions", "memtest.address", "memtest.random"}) {
    const Measurement m = run_check(id, {{"memory_fraction", 0.05}});
    ASSERT_EQ(m.status, MeasurementStatus::ok) << id << m.reason;
    EXPECT_EQ(metric(m, std::string(id) + "/mismatches"), 0) << id << m.details["first_bad_words"].dump();
    EXPECT_GT(metric(m, std::string(id) + "/tested_bytes"), 0) << id;
  }
}

TEST(BurninGpu, CancelStopsWithinSecondsAndSaysCutShort) {
  TRANCHE_REQUIRE_GPU();
  std::atomic<bool> cancel{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::seconds(8));
    cancel = true;
  });
  const auto t0 = std::chrono::steady_clock::now();
  const Measurement m = run_check("burnin.gemm", {{"duration_s", 120.0}, {"size", 4096}}, &cancel);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stopper.join();
  EXPECT_LT(s, 30.0);
  EXPECT_EQ(m.status, MeasurementStatus::error);
  ASSERT_TRUE(m.error.has_value());
  EXPECT_EQ(m.error->id, "E_INTERRUPTED");
  EXPECT_NE(m.error->message.find("cut short after"), std::string::npos) << m.error->message;
  EXPECT_TRUE(m.details["burnin"]["cut_short"].get<bool>());
}

TEST(BurninGpu, PowerLoadReportsPowerAgainstTheLimit) {
  TRANCHE_REQUIRE_GPU();
  const Measurement m = run_check("burnin.power", {{"load_s", 15.0}});
  ASSERT_EQ(m.status, MeasurementStatus::ok) << m.reason;
  EXPECT_EQ(metric(m, "burnin.power/mismatches"), 0);
  std::printf("burnin.power: %s\n", m.details["telemetry"]["summary"].dump().c_str());
}

}  // namespace
}  // namespace tranche
