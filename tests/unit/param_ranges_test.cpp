// Every check's parameters carry their valid range (or choices) and every check its duration estimate, and the
// planner refuses a value outside them before anything runs, naming check, parameter and range.
#include <gtest/gtest.h>

#include <cmath>

#include "harness/core/duration_estimate.h"
#include "harness/core/errors.h"
#include "harness/core/plan.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

bool numeric(const nlohmann::json& v) {
  if (v.is_array()) return !v.empty() && v.front().is_number();
  return v.is_number();
}

TEST(ParamRanges, EveryNumericParameterDeclaresARangeItsDefaultLiesIn) {
  for (const auto& e : CheckRegistry::global().entries()) {
    for (const auto& p : e.info.params) {
      const std::string where = e.info.id + "." + p.name;
      if (!numeric(p.default_value)) continue;
      ASSERT_TRUE(p.min && p.max) << where << " has no declared range";
      const nlohmann::json values = p.default_value.is_array() ? p.default_value : nlohmann::json::array({p.default_value});
      for (const auto& v : values) {
        EXPECT_GE(v.get<double>(), *p.min) << where;
        EXPECT_LE(v.get<double>(), *p.max) << where;
        if (p.multiple_of > 0) {
          EXPECT_EQ(v.get<std::int64_t>() % p.multiple_of, 0) << where;
        }
      }
    }
  }
}

TEST(ParamRanges, ChoicesHoldTheDefaultAndTestOnlyParametersSayTheyAre) {
  for (const auto& e : CheckRegistry::global().entries()) {
    for (const auto& p : e.info.params) {
      const std::string where = e.info.id + "." + p.name;
      EXPECT_EQ(p.test_only, p.help.find("TEST-ONLY") != std::string::npos) << where;
      if (p.choices.empty()) continue;
      const nlohmann::json values = p.default_value.is_array() ? p.default_value : nlohmann::json::array({p.default_value});
      for (const auto& v : values) {
        ASSERT_TRUE(v.is_string()) << where;
        // A comma-separated default (nccl dtypes) holds only choices too.
        std::string text = v.get<std::string>() + ",";
        for (size_t start = 0, comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1) {
          const std::string part = text.substr(start, comma - start);
          EXPECT_NE(std::find(p.choices.begin(), p.choices.end(), part), p.choices.end()) << where << ": " << part;
        }
      }
    }
  }
}

TEST(ParamRanges, EveryCheckEstimatesItsDuration) {
  for (const auto& e : CheckRegistry::global().entries()) {
    ASSERT_NE(e.info.estimate_s, nullptr) << e.info.id << " declares no duration estimate";
    nlohmann::json defaults = nlohmann::json::object();
    for (const auto& p : e.info.params) defaults[p.name] = p.default_value;
    for (int gpus : {1, 8}) {
      const double s = e.info.estimate_s(defaults, gpus);
      EXPECT_TRUE(std::isfinite(s) && s >= 0 && s < 3 * 86400.0) << e.info.id << " on " << gpus << " GPUs: " << s;
    }
  }
}

SystemInfo node_of(int gpus) {
  SystemInfo s;
  for (int i = 0; i < gpus; ++i) {
    s.gpus.emplace_back();
    s.gpus.back().index = i;
  }
  return s;
}

std::string plan_error(const std::string& check, const std::string& key, const std::string& value) {
  Profile p;
  p.name = "t";
  p.checks.push_back({check});
  PlanOptions o;
  o.overrides[key] = value;
  try {
    make_plan(CheckRegistry::global(), node_of(2), p, o);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

struct BadValue {
  const char* check;
  const char* key;
  const char* value;
  const char* expected;  // part of the one-line error
};

TEST(ParamRanges, PlanRefusesOutOfRangeValuesOfEveryFamily) {
  const BadValue cases[] = {
      {"membw.triad", "membw.triad.samples", "0", "membw.triad.samples = 0 is out of range; valid: 1..100000"},
      {"membw.triad", "membw.triad.block_size", "100", "membw.triad.block_size = 100 must be a multiple of 32"},
      {"membw.triad", "membw.triad.array_bytes", "8", "membw.triad.array_bytes = 8 is out of range"},
      {"pcie.h2d", "pcie.h2d.size_bytes", "4", "pcie.h2d.size_bytes = 4 is out of range; valid: 8.."},
      {"pcie.h2d", "pcie.h2d.warmup", "-1", "pcie.h2d.warmup = -1 is out of range; valid: 0..1000"},
      {"p2p.unidir", "p2p.unidir.latency_steps", "0", "p2p.unidir.latency_steps = 0 is out of range"},
      {"nccl.all_reduce", "nccl.all_reduce.iters", "0", "nccl.all_reduce.iters = 0 is out of range"},
      {"nccl.all_reduce", "nccl.all_reduce.step_factor", "1", "nccl.all_reduce.step_factor = 1 is out of range"},
      {"nccl.all_reduce", "nccl.all_reduce.dtypes", "float,int4", "nccl.all_reduce.dtypes = 'int4' is not allowed; "
                                                                  "valid: float, bf16"},
      {"burnin.gemm", "burnin.gemm.size", "100", "burnin.gemm.size = 100 must be a multiple of 8"},
      {"burnin.gemm", "burnin.gemm.precisions", "bf16,fp4", "burnin.gemm.precisions = 'fp4' is not allowed"},
      {"burnin.gemm", "burnin.gemm.sample_interval_s", "0.01", "burnin.gemm.sample_interval_s = 0.01 is out of range"},
      {"burnin.power", "burnin.power.load_s", "0", "burnin.power.load_s = 0.0 is out of range"},
      {"memtest.walking", "memtest.walking.memory_fraction", "0.99", "memtest.walking.memory_fraction = 0.99 is out"},
      {"memtest.walking", "memtest.walking.chunk_bytes", "1KiB", "memtest.walking.chunk_bytes = 1024 is out of range"},
      {"memtest.walking", "memtest.walking.inject_fault", "true", "memtest.walking.inject_fault is a test-only"},
      {"gemm.bf16", "gemm.bf16.plant_error", "nonsense", "is a test-only"},
      {"gemm.bf16", "gemm.bf16.workspace_bytes", "8GiB", "gemm.bf16.workspace_bytes = 8589934592 is out of range"},
      {"host.memcpy", "host.memcpy.samples", "5000", "host.memcpy.samples = 5000 is out of range; valid: 1..1000"},
  };
  for (const auto& c : cases) {
    const std::string err = plan_error(c.check, c.key, c.value);
    EXPECT_NE(err.find(c.expected), std::string::npos) << c.key << "=" << c.value << " gave: " << err;
    EXPECT_EQ(err.find('\n'), std::string::npos) << err;
  }
}

TEST(ParamRanges, ChoicesAreCheckedWhenTestParametersAreAllowed) {
  Profile p;
  p.name = "t";
  p.checks.push_back({"gemm.bf16"});
  PlanOptions o;
  o.allow_test_params = true;
  o.overrides["gemm.bf16.plant_error"] = "nonsense";
  try {
    make_plan(CheckRegistry::global(), node_of(1), p, o);
    FAIL() << "accepted plant_error=nonsense";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("valid: none, zero, above_bound, stale"), std::string::npos) << e.what();
  }
  o.overrides["gemm.bf16.plant_error"] = "zero";
  EXPECT_NO_THROW(make_plan(CheckRegistry::global(), node_of(1), p, o));
}

TEST(DurationEstimate, PlanAddsItsChecksAndBurninFollowsTheDuration) {
  Profile p;
  p.name = "t";
  p.checks.push_back({"burnin.gemm"});
  PlanOptions o;
  o.duration_s = 3600;
  const Plan plan = make_plan(CheckRegistry::global(), node_of(8), p, o);
  EXPECT_NEAR(estimate_plan_s(plan), 3630.0, 1e-9);  // the load plus its declared setup and verification
  o.sequential = true;                               // one GPU at a time: eight loads
  EXPECT_NEAR(estimate_plan_s(make_plan(CheckRegistry::global(), node_of(8), p, o)), 8 * 3630.0, 1e-9);
}

TEST(DurationEstimate, GemmGrowsWithItsShapesAndP2pWithItsPairs) {
  Profile p;
  p.name = "t";
  p.checks.push_back({"gemm.bf16"});
  p.checks.push_back({"p2p.unidir"});
  PlanOptions o;
  const Plan one = make_plan(CheckRegistry::global(), node_of(2), p, o);
  o.overrides["gemm.bf16.m"] = "1024,2048,4096";
  const Plan three = make_plan(CheckRegistry::global(), node_of(2), p, o);
  EXPECT_NEAR(estimate_item_s(three.items[0], 2, false), 3 * estimate_item_s(one.items[0], 2, false), 1e-9);
  // p2p: its setup, then every ordered pair (56 on 8 GPUs, 2 on 2).
  const double setup = kNominalSetupS;
  EXPECT_NEAR((estimate_item_s(one.items[1], 8, false) - setup) / (estimate_item_s(one.items[1], 2, false) - setup),
              28.0, 1e-9);
}

}  // namespace
}  // namespace tranche
