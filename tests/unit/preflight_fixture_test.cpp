// Preflight rules end to end on recorded (synthetic) inventories: fixture -> measurements -> judge -> findings.
#include <gtest/gtest.h>

#include <functional>

#include "benches/preflight/preflight_metrics.h"
#include "harness/core/atomic_file.h"
#include "harness/core/registry.h"
#include "harness/judge/judge.h"
#include "harness/judge/preflight_expectations.h"

namespace tranche {
namespace {

Inventory load_fixture(const std::string& name) {
  const std::string path = std::string(TRANCHE_TEST_DATA) + "/inventory/" + name + ".json";
  return inventory_from_json(nlohmann::json::parse(read_file(path)), path);
}

// The node part of an H100 baseline; judge() adds the preflight rules for it (and for JudgeOptions) itself.
Baseline h100_baseline() {
  Baseline b;
  b.id = "h100-sxm5-80gb-test";
  b.node.gpus_per_node = {8};
  b.node.pcie_generation = 5;
  b.node.pcie_width = 16;
  b.node.nvlinks_per_gpu = 18;
  b.node.memory_bytes_min = 80ULL * 1000 * 1000 * 1000;
  b.node.min_driver = "550.54.15";
  return b;
}

// Every verdict that is not a pass: the findings an operator would see.
std::vector<Verdict> findings(const Inventory& inv, const JudgeOptions& options = {}) {
  const Baseline b = h100_baseline();
  std::vector<Verdict> out;
  for (const auto& v : judge(preflight_measurements(inv), &b, options)) {
    if (v.outcome != Outcome::pass) out.push_back(v);
  }
  return out;
}

std::string describe(const std::vector<Verdict>& vs) {
  std::string s;
  for (const auto& v : vs) {
    s += std::string(to_string(v.outcome)) + " " + v.metric + " gpu " + (v.device ? std::to_string(*v.device) : "-") +
         " (" + v.message + ")\n";
  }
  return s;
}

struct Expected {
  const char* fixture;
  const char* metric;
  std::optional<int> gpu;
  Outcome outcome;
};

void PrintTo(const Expected& e, std::ostream* os) { *os << e.fixture << " -> " << e.metric; }

class FixtureVariant : public ::testing::TestWithParam<Expected> {};

TEST_P(FixtureVariant, YieldsExactlyItsOneFinding) {
  const Expected e = GetParam();
  const Inventory inv = load_fixture(e.fixture);
  const auto f = findings(inv);
  ASSERT_EQ(f.size(), 1u) << describe(f);
  EXPECT_EQ(f[0].metric, e.metric);
  EXPECT_EQ(f[0].device, e.gpu);
  EXPECT_EQ(f[0].outcome, e.outcome);
  if (e.gpu) {
    // The verdict names the GPU by serial and bus id, so the operator can find it in the rack.
    const GpuInventory* g = nullptr;
    for (const auto& x : inv.gpus) g = x.index == *e.gpu ? &x : g;
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(f[0].labels.at("serial"), g->serial.value());
    EXPECT_EQ(f[0].labels.at("bus_id"), g->pci_bus_id.value());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Inventory, FixtureVariant,
    ::testing::Values(Expected{"pcie_x8", "preflight.pcie/link_width", 5, Outcome::fail},
                      Expected{"ecc_off", "preflight.ecc/ecc_enabled", 1, Outcome::fail},
                      Expected{"row_remap_pending", "preflight.ecc/row_remap_pending", 3, Outcome::fail},
                      Expected{"nvlink_down", "preflight.nvlink/links_active", 4, Outcome::fail},
                      Expected{"foreign_process", "preflight.processes/foreign_processes", 2, Outcome::warn},
                      Expected{"mixed_sku", "preflight.inventory/sku_mismatch", 6, Outcome::fail},
                      Expected{"seven_gpus", "preflight.inventory/gpu_count", std::nullopt, Outcome::fail}),
    [](const auto& p) { return std::string(p.param.fixture); });

TEST(PreflightFixtures, HealthyNodePassesEveryRule) {
  const Inventory inv = load_fixture("healthy_hgx_h100");
  EXPECT_TRUE(findings(inv).empty()) << describe(findings(inv));
  // The healthy node idles at PCIe Gen1: the current generation must not be judged at idle.
  for (const auto& g : inv.gpus) EXPECT_EQ(g.pcie.current_generation, 1);
}

TEST(PreflightFixtures, HealthyNodeIsJudgedByEveryRule) {
  // Guards against a rule silently matching nothing: each expectation gets at least one pass verdict.
  const Baseline b = h100_baseline();
  const auto verdicts = judge(preflight_measurements(load_fixture("healthy_hgx_h100")), &b);
  for (const auto& e : preflight_expectations(b.node, {})) {
    if (!e.required && (e.metric.find("retired_pages") != std::string::npos)) continue;  // Hopper: row remap
    bool judged = false;
    for (const auto& v : verdicts) judged |= v.metric == e.metric && v.outcome == Outcome::pass;
    EXPECT_TRUE(judged) << e.metric;
  }
}

TEST(PreflightFixtures, ForeignProcessFailsWithExclusive) {
  JudgeOptions exclusive;
  exclusive.exclusive = true;
  const auto f = findings(load_fixture("foreign_process"), exclusive);
  ASSERT_EQ(f.size(), 1u) << describe(f);
  EXPECT_EQ(f[0].outcome, Outcome::fail);
  EXPECT_EQ(f[0].device, 2);
}

struct Mutation {
  const char* name;
  std::function<void(Inventory&)> change;
  const char* metric;
  Outcome outcome;
};

void PrintTo(const Mutation& m, std::ostream* os) { *os << m.name << " -> " << m.metric; }

class HealthyMutation : public ::testing::TestWithParam<Mutation> {};

TEST_P(HealthyMutation, YieldsExactlyItsOneFinding) {
  Inventory inv = load_fixture("healthy_hgx_h100");
  GetParam().change(inv);
  const auto f = findings(inv);
  ASSERT_EQ(f.size(), 1u) << describe(f);
  EXPECT_EQ(f[0].metric, GetParam().metric);
  EXPECT_EQ(f[0].outcome, GetParam().outcome);
}

INSTANTIATE_TEST_SUITE_P(
    Inventory, HealthyMutation,
    ::testing::Values(Mutation{"gen4_slot", [](Inventory& i) { i.gpus[2].pcie.max_generation = 4; },
                               "preflight.pcie/max_link_generation", Outcome::fail},
                      Mutation{"x8_slot",
                               [](Inventory& i) {
                                 i.gpus[2].pcie.max_width = 8;
                                 i.gpus[2].pcie.current_width = 16;
                               },
                               "preflight.pcie/max_link_width", Outcome::fail},
                      Mutation{"old_driver", [](Inventory& i) { i.node.driver_version = "535.104.05"; },
                               "preflight.inventory/driver_version", Outcome::fail},
                      Mutation{"small_memory", [](Inventory& i) { i.gpus[0].memory_bytes = 40ULL << 30; },
                               "preflight.inventory/memory_bytes", Outcome::fail},
                      Mutation{"remap_failure", [](Inventory& i) { i.gpus[7].row_remap.failure = true; },
                               "preflight.ecc/row_remap_failure", Outcome::fail},
                      Mutation{"uncorrectable", [](Inventory& i) { i.gpus[7].ecc.volatile_uncorrected = 2; },
                               "preflight.ecc/volatile_uncorrected", Outcome::fail},
                      Mutation{"ecc_off_after_reboot", [](Inventory& i) { i.gpus[0].ecc.pending_enabled = false; },
                               "preflight.ecc/ecc_mode_change_pending", Outcome::fail},
                      Mutation{"persistence_off", [](Inventory& i) { i.gpus[0].persistence_mode = false; },
                               "preflight.persistence/persistence_mode", Outcome::warn},
                      Mutation{"thermal", [](Inventory& i) { i.gpus[0].throttle_reasons = kThrottleHwThermal; },
                               "preflight.throttle/thermal_slowdown", Outcome::fail},
                      Mutation{"power_brake",
                               [](Inventory& i) { i.gpus[0].throttle_reasons = kThrottleHwPowerBrake | 1; },
                               "preflight.throttle/hw_slowdown", Outcome::fail},
                      // A field only some GPUs report is null on the others: a null never passes (fail-closed); the
                      // judge calls it an error (could not verify) rather than a failed figure.
                      Mutation{"pcie_unknown_on_one_gpu", [](Inventory& i) { i.gpus[4].pcie.max_generation.reset(); },
                               "preflight.pcie/max_link_generation", Outcome::error},
                      Mutation{"nine_gpus",
                               [](Inventory& i) {
                                 i.gpus.push_back(i.gpus[0]);
                                 i.gpus.back().index = 8;
                               },
                               "preflight.inventory/gpu_count", Outcome::fail},
                      Mutation{"idle_gen1_width_kept",
                               [](Inventory& i) {
                                 for (auto& g : i.gpus) g.pcie.current_generation = 1;
                                 i.gpus[0].pcie.current_width = 4;
                               },
                               "preflight.pcie/link_width", Outcome::fail}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(PreflightMetrics, WithoutNvmlEveryCheckIsAnErrorNamingENoNvml) {
  Inventory inv = load_fixture("healthy_hgx_h100");
  ErrorInfo e;
  e.id = "E_NO_NVML";
  e.message = "libnvidia-ml.so.1 could not be loaded";
  inv.node.nvml_error = e;
  const auto ms = preflight_measurements(inv);
  ASSERT_EQ(ms.size(), 7u);
  for (const auto& m : ms) {
    EXPECT_EQ(m.status, MeasurementStatus::error) << m.check_id;
    ASSERT_TRUE(m.error.has_value());
    EXPECT_EQ(m.error->id, "E_NO_NVML");
    EXPECT_TRUE(m.metrics.empty()) << m.check_id << ": no fake values without NVML";
  }
  const Baseline b = h100_baseline();
  for (const auto& v : judge(ms, &b)) {
    EXPECT_EQ(v.outcome, Outcome::error);
    EXPECT_EQ(v.error_id, "E_NO_NVML");
  }
}

TEST(PreflightMetrics, FieldUnsupportedOnEveryGpuIsAnOptionalSkipNotAFakeValue) {
  Inventory inv = load_fixture("healthy_hgx_h100");
  for (auto& g : inv.gpus) {
    g.persistence_mode.reset();
    g.unavailable["persistence_mode"] = "not supported";
  }
  const Measurement m = preflight_persistence_measurement(inv);
  EXPECT_EQ(m.status, MeasurementStatus::skipped);
  EXPECT_FALSE(m.required);
  EXPECT_TRUE(m.metrics.empty());
  EXPECT_NE(m.reason.find("not supported"), std::string::npos) << m.reason;
}

TEST(PreflightMetrics, RetiredPagesAbsentOnHopperAndNotRequired) {
  const Measurement m = preflight_ecc_measurement(load_fixture("healthy_hgx_h100"));
  for (const auto& x : m.metrics) EXPECT_NE(x.name, "preflight.ecc/retired_pages_pending");
  EXPECT_EQ(m.details["unavailable"]["preflight.ecc/retired_pages_pending"]["0"], "not supported");
}

TEST(PreflightMetrics, TrancheItselfIsNotAForeignProcess) {
  Inventory inv = load_fixture("healthy_hgx_h100");
  inv.gpus[0].processes->push_back(GpuProcess{*inv.node.tranche_pid, 1 << 20, "tranche"});
  EXPECT_TRUE(findings(inv).empty()) << describe(findings(inv));
}

TEST(PreflightMetrics, SkuMismatchNamesBothSkus) {
  const Measurement m = preflight_inventory_measurement(load_fixture("mixed_sku"));
  int mismatches = 0;
  for (const auto& x : m.metrics) {
    if (x.name != "preflight.inventory/sku_mismatch" || x.value != 1.0) continue;
    ++mismatches;
    EXPECT_EQ(x.labels.at("sku"), "NVIDIA H200 (0x2335)");
    EXPECT_EQ(x.labels.at("node_sku"), "NVIDIA H100 80GB HBM3 (0x2330)");
  }
  EXPECT_EQ(mismatches, 1);
}

TEST(PreflightExpectations, SkuRulesOnlyWhenTheBaselineSetsThem) {
  const auto generic = preflight_expectations(NodeExpectations{}, JudgeOptions{});
  for (const auto& e : generic) {
    EXPECT_NE(e.metric, "preflight.inventory/gpu_count");
    EXPECT_NE(e.metric, "preflight.pcie/max_link_generation");
    EXPECT_NE(e.metric, "preflight.nvlink/links_active");
    EXPECT_NE(e.metric, "preflight.inventory/driver_version");
    EXPECT_FALSE(e.next_step.empty()) << e.metric;
    EXPECT_NE(e.reference == 0.0 && e.direction != Direction::equal, true) << e.metric << ": reference 0 needs equal";
  }
  EXPECT_GE(generic.size(), 11u);
  NodeExpectations no_nvlink;
  no_nvlink.nvlinks_per_gpu = 0;
  EXPECT_EQ(preflight_expectations(no_nvlink, {}).size(), generic.size());
  EXPECT_EQ(preflight_expectations(h100_baseline().node, {}).size(), generic.size() + 7);
}

TEST(PreflightExpectations, BadMinDriverIsAnInputError) {
  NodeExpectations n;
  n.min_driver = "latest";
  EXPECT_THROW(preflight_expectations(n, {}), InputError);
}

TEST(PreflightExpectations, WarnWhenAboveZeroRule) {
  const auto expectations = preflight_expectations(h100_baseline().node, {});
  const Expectation* e = nullptr;
  for (const auto& x : expectations) e = x.metric == "preflight.processes/foreign_processes" ? &x : e;
  ASSERT_NE(e, nullptr);
  Metric m;
  m.name = e->metric;
  m.unit = "count";
  for (auto [count, outcome] : {std::pair{0.0, Outcome::pass}, {1.0, Outcome::warn}, {37.0, Outcome::warn}}) {
    m.value = count;
    EXPECT_EQ(judge_value(m, *e).outcome, outcome) << count;
  }
}

TEST(PreflightExpectations, EveryRuleNamesAMetricARegisteredCheckDeclares) {
  const Baseline b = h100_baseline();
  for (const auto& e : b.expectations) {
    const auto* entry = CheckRegistry::global().find(metric_check_id(e.metric));
    ASSERT_NE(entry, nullptr) << e.metric;
    const auto& declared = entry->info.metrics;
    EXPECT_NE(std::find(declared.begin(), declared.end(), e.metric), declared.end()) << e.metric;
  }
}

}  // namespace
}  // namespace tranche
