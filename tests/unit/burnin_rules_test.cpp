// Burn-in rules end to end on recorded (synthetic) telemetry series: fixture -> summary -> metrics -> judge.
#include <gtest/gtest.h>

#include "benches/burnin/burnin_metrics.h"
#include "harness/core/atomic_file.h"
#include "harness/judge/burnin_expectations.h"
#include "harness/judge/judge.h"

namespace tranche {
namespace {

struct Fixture {
  TelemetrySeries series;
  std::vector<double> minute_flops;
};

Fixture load(const std::string& name) {
  const std::string path = std::string(TRANCHE_TEST_DATA) + "/telemetry/" + name + ".json";
  const auto j = nlohmann::json::parse(read_file(path));
  return {telemetry_series_from_json(j, path), j.at("minute_flops").get<std::vector<double>>()};
}

// What burnin.gemm and burnin.power would report for the fixture (no SDC), judged without a baseline.
std::vector<Verdict> judge_fixture(const Fixture& f, const Baseline* baseline = nullptr) {
  const TelemetrySummary s = summarize_telemetry(f.series);
  Measurement gemm;
  gemm.check_id = "burnin.gemm";
  gemm.device = 0;
  gemm.add_metric("mismatches", 0.0, "count").device = 0;
  append_stability_metrics(gemm, f.minute_flops, {{"precision", "bf16"}}, 0);
  append_telemetry_metrics(gemm, s, 0);
  Measurement power;
  power.check_id = "burnin.power";
  power.device = 0;
  append_telemetry_metrics(power, s, 0);
  append_power_metrics(power, s, f.series.power_limit_w, 0);
  return judge({gemm, power}, baseline);
}

Outcome outcome_of(const std::vector<Verdict>& vs, const std::string& metric) {
  for (const auto& v : vs) {
    if (v.metric == metric) return v.outcome;
  }
  ADD_FAILURE() << "no verdict for " << metric;
  return Outcome::error;
}

Outcome worst(const std::vector<Verdict>& vs) {
  Outcome w = Outcome::pass;
  for (const auto& v : vs) {
    if (v.outcome == Outcome::fail || (v.outcome == Outcome::warn && w != Outcome::fail) ||
        (v.outcome == Outcome::error && w == Outcome::pass)) {
      w = v.outcome;
    }
  }
  return w;
}

// The metrics every burn-in CheckInfo declares (burnin_check_info) are exactly those append_telemetry_metrics writes.
TEST(BurninRules, DeclaredTelemetryQuantitiesAreTheAppendedOnes) {
  Measurement m;
  m.check_id = "burnin.gemm";
  append_telemetry_metrics(m, summarize_telemetry(load("healthy").series), 0);
  std::vector<std::string> appended, declared;
  for (const Metric& x : m.metrics) appended.push_back(x.name.substr(x.name.find('/') + 1));
  for (const char* q : burnin_telemetry_quantities()) declared.emplace_back(q);
  EXPECT_EQ(appended, declared);
}

TEST(BurninRules, HealthyPassesEveryRule) {
  const auto vs = judge_fixture(load("healthy"));
  EXPECT_EQ(worst(vs), Outcome::pass);
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/over_slowdown_s"), Outcome::pass);
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/interval_cv"), Outcome::pass);
  EXPECT_EQ(outcome_of(vs, "burnin.power/power_ratio"), Outcome::pass);
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/critical_xids"), Outcome::pass);
}

TEST(BurninRules, ThermalThrottlingFails) {
  const Fixture f = load("thermal_throttle");
  const TelemetrySummary s = summarize_telemetry(f.series);
  EXPECT_NEAR(*s.hw_thermal_share, 60.0 / 300.0, 1e-9);
  EXPECT_GT(*s.over_slowdown_s, 0.0);
  const auto vs = judge_fixture(f);
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/thermal_throttle_share"), Outcome::fail);
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/over_slowdown_s"), Outcome::fail);
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/hw_slowdown_share"), Outcome::pass);
}

TEST(BurninRules, CorrectableEccGrowthWarns) {
  const Fixture f = load("ecc_growth");
  EXPECT_EQ(*summarize_telemetry(f.series).ecc_corrected_delta, 4.0);
  const auto vs = judge_fixture(f);
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/ecc_corrected_new"), Outcome::warn);
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/ecc_uncorrected_new"), Outcome::pass);
  EXPECT_EQ(worst(vs), Outcome::warn);
}

TEST(BurninRules, CriticalXidFails) {
  const auto vs = judge_fixture(load("xid"));
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/critical_xids"), Outcome::fail);
  EXPECT_TRUE(is_critical_xid(79));
  EXPECT_FALSE(is_critical_xid(13));  // an application's illegal address is not the GPU's fault
}

TEST(BurninRules, OneSlowMinuteFailsStability) {
  const auto vs = judge_fixture(load("slow_minute"));
  // 5.14 / 6.05 = 0.85 < 0.90: fail; the CV of these five minutes is 6% > 5%: fail.
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/slowest_interval_ratio"), Outcome::fail);
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/interval_cv"), Outcome::fail);
}

TEST(BurninRules, PowerFarFromTheLimitOnlyWarns) {
  const auto vs = judge_fixture(load("power_far"));
  EXPECT_EQ(outcome_of(vs, "burnin.power/power_ratio"), Outcome::warn);
  EXPECT_EQ(worst(vs), Outcome::warn);
}

TEST(BurninRules, SilentDataCorruptionFails) {
  Measurement m;
  m.check_id = "burnin.gemm";
  m.device = 3;
  m.add_metric("mismatches", 1.0, "count").device = 3;
  const auto vs = judge({m}, nullptr);
  EXPECT_EQ(outcome_of(vs, "burnin.gemm/mismatches"), Outcome::fail);
}

TEST(BurninRules, BaselineFigureReplacesTheDefault) {
  Baseline b;
  b.id = "site";
  Expectation e;
  e.metric = "burnin.power/power_ratio";
  e.reference = 1;
  e.unit = "ratio";
  e.direction = Direction::higher_is_better;
  e.warn_ratio = 0.2;
  e.fail_ratio = 0.1;
  e.required = false;
  b.expectations.push_back(e);
  const auto all = with_burnin_defaults(b.expectations);
  int n = 0;
  for (const auto& x : all) n += x.metric == "burnin.power/power_ratio";
  EXPECT_EQ(n, 1);
  EXPECT_EQ(outcome_of(judge_fixture(load("power_far"), &b), "burnin.power/power_ratio"), Outcome::pass);
}

TEST(BurninRules, MissingTelemetryIsSkippedNotFailed) {
  TelemetrySeries empty;
  Measurement m;
  m.check_id = "burnin.gemm";
  m.device = 0;
  append_telemetry_metrics(m, summarize_telemetry(empty), 0);
  for (const auto& v : judge({m}, nullptr)) {
    EXPECT_NE(v.outcome, Outcome::fail) << v.metric;
    EXPECT_NE(v.outcome, Outcome::error) << v.metric;
  }
}

}  // namespace
}  // namespace tranche
