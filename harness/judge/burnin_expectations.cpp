// The burn-in rule table (what each rule means and why its default: docs/methodology/burnin.md).
#include "harness/judge/burnin_expectations.h"

#include <set>
#include <string>

namespace tranche {

namespace {

constexpr const char* kSource = "tranche burn-in default (docs/methodology/burnin.md)";

Expectation rule(const std::string& metric, double reference, const char* unit, Direction d, double warn,
                 double fail, const std::string& why, const std::string& next_step) {
  Expectation e;
  e.metric = metric;
  e.reference = reference;
  e.unit = unit;
  e.direction = d;
  e.warn_ratio = warn;
  e.fail_ratio = fail;
  e.required = false;
  e.source = std::string(kSource) + ": " + why;
  e.next_step = next_step;
  return e;
}

Expectation zero(const std::string& metric, const char* unit, const std::string& why, const std::string& next) {
  return rule(metric, 0, unit, Direction::equal, 1, 1, why, next);
}

}  // namespace

std::vector<Expectation> burnin_default_expectations() {
  std::vector<Expectation> out;
  for (const std::string id : {"burnin.gemm", "burnin.power"}) {
    out.push_back(zero(id + "/ecc_uncorrected_new", "count", "no new uncorrectable ECC error under load",
                       "drain the node, read dmesg for Xid 48/94/95, reset the GPU and repeat the burn-in; RMA if it "
                       "repeats"));
    out.push_back(zero(id + "/critical_xids", "count", "no critical Xid under load",
                       "look the Xid up in docs/methodology/burnin.md and dmesg; reset the GPU and repeat; RMA if it "
                       "repeats"));
    out.push_back(zero(id + "/row_remap_failure", "bool", "no failed row remap",
                       "RMA the GPU: a row remap failed (no spare rows left)"));
    out.push_back(zero(id + "/over_slowdown_s", "s", "never at or above the GPU's slowdown temperature",
                       "check fans, airflow, inlet temperature and the heatsink mounting; repeat the burn-in"));
    out.push_back(rule(id + "/ecc_corrected_new", 1, "count", Direction::lower_is_better, 0, 1e12,
                       "corrected ECC errors grew under load (warn)",
                       "watch the counter in later runs (tranche inventory); RMA if it keeps growing"));
    out.push_back(rule(id + "/hw_slowdown_share", 0.01, "ratio", Direction::lower_is_better, 0, 1,
                       "hardware slowdown or power brake active: any warns, over 1% of the time fails",
                       "check the power supplies, the baseboard power cables and dmesg; reseat or RMA"));
    out.push_back(rule(id + "/thermal_throttle_share", 0.01, "ratio", Direction::lower_is_better, 0, 1,
                       "thermal slowdown active: any warns, over 1% of the time fails",
                       "check fans, airflow, inlet temperature and the heatsink mounting"));
  }
  out.push_back(rule("burnin.gemm/slowest_interval_ratio", 1, "ratio", Direction::higher_is_better, 0.95, 0.90,
                     "slowest minute against the median minute: below 0.95 warns, below 0.90 fails",
                     "look at the telemetry series around the slow minute (clocks, throttle reasons, power)"));
  out.push_back(rule("burnin.gemm/interval_cv", 0.02, "ratio", Direction::lower_is_better, 1, 2.5,
                     "coefficient of variation of the per-minute rates: above 2% warns, above 5% fails",
                     "look at the telemetry series (clocks, throttle reasons, power) for the unsteady periods"));
  out.push_back(rule("burnin.power/power_ratio", 1, "ratio", Direction::higher_is_better, 0.85, 0,
                     "the load should reach 85% of the enforced power limit (warn only: some SKUs stop at a "
                     "clock limit first)",
                     "check the enforced limit (nvidia-smi -q -d POWER) and whether the GPU was clock-limited"));
  return out;
}

std::vector<Expectation> with_burnin_defaults(const std::vector<Expectation>& baseline) {
  std::set<std::string> judged;
  for (const auto& e : baseline) judged.insert(e.metric);
  std::vector<Expectation> out = baseline;
  for (auto& e : burnin_default_expectations()) {
    if (!judged.count(e.metric)) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace tranche
