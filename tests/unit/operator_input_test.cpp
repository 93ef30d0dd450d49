// Operator input handled before anything runs: --gpus selection, parameter ranges, zipped lists, test-only
// parameters, size suffixes, and the nearest-name suggestions of errors.
#include <gtest/gtest.h>

#include <filesystem>

#include "harness/core/errors.h"
#include "harness/core/gpu_selection.h"
#include "harness/core/plan.h"
#include "harness/core/run_files.h"
#include "harness/core/suggest.h"
#include "tests/unit/fake_checks.h"

namespace tranche {
namespace {

std::vector<SelectableGpu> eight_gpus() {
  std::vector<SelectableGpu> g;
  for (int i = 0; i < 8; ++i) {
    g.push_back({i, "GPU-0000000" + std::to_string(i) + "-aaaa", "165000000000" + std::to_string(i), std::nullopt,
                 std::nullopt});
  }
  return g;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(GpuSelection, IndicesRangesAllUuidsAndSerials) {
  const auto g = eight_gpus();
  EXPECT_EQ(select_gpus("0-1", g), (std::vector<int>{0, 1}));
  EXPECT_EQ(select_gpus("6,0-2,1", g), (std::vector<int>{0, 1, 2, 6}));
  EXPECT_EQ(select_gpus("all", g).size(), 8u);
  EXPECT_EQ(select_gpus("gpu-00000003-AAAA", g), (std::vector<int>{3}));  // UUIDs compare case-insensitively
  EXPECT_EQ(select_gpus("1650000000005,7", g), (std::vector<int>{5, 7}));
}

TEST(GpuSelection, ANameOfNoGpuIsAnInputErrorNamingIt) {
  const auto g = eight_gpus();
  for (const std::string bad : {"9", "-1", "3-1", "0-8", "", "0,,1", "GPU-nope", "x"}) {
    const std::string e = error_of([&] { select_gpus(bad, g); });
    EXPECT_NE(e.find("--gpus " + bad + ":"), std::string::npos) << bad << ": " << e;
    EXPECT_NE(e.find("0-7"), std::string::npos) << "says what the node has: " << e;
  }
  EXPECT_NE(error_of([] { select_gpus("0", {}); }).find("no GPU"), std::string::npos);
}

TEST(Suggest, NearestNamesFirstAndNothingWhenFar) {
  const std::vector<std::string> ids{"gemm.bf16", "gemm.fp16", "gemm.fp8", "membw.triad", "pcie.h2d"};
  const auto near = nearest_names("gemm.bf61", ids);
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near.front(), "gemm.bf16");
  EXPECT_EQ(did_you_mean({"gemm.bf16"}), "; did you mean gemm.bf16?");
  EXPECT_EQ(did_you_mean({"a", "b", "c"}), "; did you mean a, b or c?");
  EXPECT_TRUE(nearest_names("nvlink.bandwidth", ids).empty());
  EXPECT_EQ(nearest_names("lst", {"run", "list", "show", "judge"}), (std::vector<std::string>{"list"}));
}

// A check whose parameters carry ranges, a zip group and a test-only flag, like the GEMM checks.
class RangedCheck final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo{"ranged.one", "parameters with ranges", Scope::gpu,
                                 {{"m", nlohmann::json::array({8}), "count", "rows", 1, 1 << 20, "shape"},
                                  {"n", nlohmann::json::array({8}), "count", "cols", 1, 1 << 20, "shape"},
                                  {"bytes", 1024, "B", "a size"},
                                  {"plant", false, "", "TEST-ONLY: break it", std::nullopt, std::nullopt, "", true}},
                                 {"ranged.one/x"}, 5.0, 1};
    return kInfo;
  }
  Measurement run(RunContext&) override { return {}; }
};

struct PlanFixture {
  CheckRegistry registry;
  SystemInfo sys = test::fake_system(1);
  PlanFixture() { registry.add([] { return std::make_unique<RangedCheck>(); }); }
  Plan plan(std::map<std::string, std::string> sets, bool allow_test = false) {
    Profile p;
    p.name = "t";
    p.source = "t.json";
    p.checks = {{"ranged.", {}, true}};
    PlanOptions o;
    o.overrides = std::move(sets);
    o.allow_test_params = allow_test;
    return make_plan(registry, sys, p, o);
  }
};

TEST(PlanValidation, OutOfRangeValuesAreRefusedNamingTheRange) {
  PlanFixture f;
  for (const std::string v : {"-5", "0", "8,0"}) {
    const std::string e = error_of([&] { f.plan({{"ranged.one.m", v}}); });
    EXPECT_NE(e.find("ranged.one.m"), std::string::npos) << e;
    EXPECT_NE(e.find("valid: 1..1048576"), std::string::npos) << e;
  }
  EXPECT_NE(error_of([&] { f.plan({{"ranged.one.bytes", "-1"}}); }).find("at least 0"), std::string::npos);
  EXPECT_EQ(f.plan({{"ranged.one.m", "4096"}}).items[0].params["m"], nlohmann::json::array({4096}));
}

TEST(PlanValidation, ZippedListsMustHaveTheSameLengthOrOne) {
  PlanFixture f;
  const std::string e = error_of([&] { f.plan({{"ranged.one.m", "1,2,3"}, {"ranged.one.n", "1,2"}}); });
  EXPECT_NE(e.find("3 values"), std::string::npos) << e;
  EXPECT_NE(e.find("has 2"), std::string::npos) << e;
  EXPECT_NO_THROW(f.plan({{"ranged.one.m", "1,2,3"}, {"ranged.one.n", "4"}}));
  EXPECT_NO_THROW(f.plan({{"ranged.one.m", "1,2"}, {"ranged.one.n", "3,4"}}));
}

TEST(PlanValidation, TestOnlyParametersNeedTheTestFlag) {
  PlanFixture f;
  const std::string e = error_of([&] { f.plan({{"ranged.one.plant", "true"}}); });
  EXPECT_NE(e.find("test-only"), std::string::npos) << e;
  EXPECT_EQ(f.plan({{"ranged.one.plant", "true"}}, true).items[0].params["plant"], true);
  EXPECT_NO_THROW(f.plan({{"ranged.one.plant", "false"}}));  // its default is harmless
}

TEST(PlanValidation, SizesAcceptSuffixesAndListsTheListForm) {
  EXPECT_EQ(convert_param(1, "64M", "t", "B"), 64000000);
  EXPECT_EQ(convert_param(1, "4GiB", "t", "B"), 4LL << 30);
  EXPECT_EQ(convert_param(1, "1.5KiB", "t", "B"), 1536);
  EXPECT_THROW(convert_param(1, "64M", "t", "count"), InputError);  // suffixes are for bytes only
  EXPECT_THROW(convert_param(1, "1.5B", "t", "B"), InputError);
  EXPECT_EQ(convert_param(nlohmann::json::array({1}), "[1,2,3]", "t"), nlohmann::json::array({1, 2, 3}));
  EXPECT_EQ(convert_param(nlohmann::json::array({1}), "1,2", "t"), nlohmann::json::array({1, 2}));
  EXPECT_EQ(convert_param(nlohmann::json::array({1}), "[1MiB,2K]", "t", "B"), nlohmann::json::array({1048576, 2000}));
}

TEST(RunFiles, RunsStartedInTheSameMillisecondGetDifferentNames) {
  const auto dir = std::filesystem::temp_directory_path() / "tranche-run-files-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto t = std::chrono::system_clock::now();
  const std::string a = reserve_run_files(dir.string(), "node", t);
  const std::string b = reserve_run_files(dir.string(), "node", t);
  EXPECT_NE(a, b);
  EXPECT_EQ(b, a + "-2");
  EXPECT_TRUE(std::filesystem::exists(a + ".events.jsonl"));
  EXPECT_TRUE(std::filesystem::exists(b + ".events.jsonl"));
  EXPECT_THROW(reserve_run_files((dir / "absent" / "deeper").string(), "node", t), InputError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tranche
