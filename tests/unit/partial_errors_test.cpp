// Per-GPU and per-pair isolation in node-scoped checks, driven by a fake copy function (no GPU): one bad pair
// costs only its own figure, a sticky error skips its GPU afterwards, and the judge and runner see each entry.
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "harness/core/partial_errors.h"
#include "harness/core/runner.h"
#include "harness/judge/judge.h"

namespace tranche {
namespace {

GpuError fake_cuda_error(bool sticky, std::optional<int> gpu) {
  ErrorInfo e;
  e.id = sticky ? "E_CUDA_STICKY" : "E_CUDA_API";
  e.api = "cuda";
  e.code_name = sticky ? "cudaErrorIllegalAddress" : "cudaErrorInvalidValue";
  e.message = "copy failed";
  e.sticky = sticky;
  e.gpu = gpu;
  return GpuError(e);
}

// An 8-GPU matrix where pair 2 -> 5 fails (not sticky) and GPU 6 hits a sticky error on its first pair.
TEST(GpuIsolation, OneBadPairCostsOnlyItsOwnFigure) {
  GpuIsolation iso;
  std::set<std::pair<int, int>> measured;
  auto fake_copy = [&](int src, int dst) {
    if (src == 2 && dst == 5) throw fake_cuda_error(false, 2);
    if (src == 6) throw fake_cuda_error(true, std::nullopt);  // a sticky error that named no GPU
    measured.insert({src, dst});
  };
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 8; ++j) {
      if (i != j) iso.attempt(i, j, [&] { fake_copy(i, j); });
    }
  }
  // 56 pairs: 2->5 failed; 6->0 failed sticky; the 7 pairs with GPU 6 that came after it (6->1..7, 7->6) were
  // skipped; the 6 pairs i->6 before it were measured.
  EXPECT_EQ(measured.size(), 56u - 1 - 1 - 7);
  EXPECT_TRUE(measured.count({5, 2}));
  EXPECT_TRUE(measured.count({0, 6}));
  EXPECT_FALSE(measured.count({7, 6}));
  ASSERT_EQ(iso.errors().size(), 2u);
  EXPECT_EQ(iso.errors()[0].gpu, 2);
  EXPECT_NE(iso.errors()[0].message.find("GPU 2 -> GPU 5"), std::string::npos);
  EXPECT_EQ(iso.errors()[1].gpu, 6);  // recorded on the pair's source when the error named no GPU
  EXPECT_TRUE(iso.errors()[1].sticky);
  EXPECT_TRUE(iso.dead_reason(6).has_value());
  EXPECT_FALSE(iso.dead_reason(2).has_value());

  Measurement m;
  m.check_id = "p2p.unidir";
  iso.write(m);
  ASSERT_EQ(m.details.at("errors").size(), 2u);
  EXPECT_EQ(m.details.at("errors").at(0).at("peer"), 5);
  EXPECT_EQ(m.details.at("skipped").size(), 7u);
  const auto back = partial_errors(m);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].gpu, 6);
  EXPECT_TRUE(back[1].sticky);
}

TEST(GpuIsolation, StickyErrorIsBlamedOnTheGpuItNames) {
  GpuIsolation iso;
  EXPECT_FALSE(iso.attempt(1, 3, [] { throw fake_cuda_error(true, 3); }));
  EXPECT_TRUE(iso.dead_reason(3).has_value());
  EXPECT_FALSE(iso.dead_reason(1).has_value());
  EXPECT_TRUE(iso.attempt(1, 2, [] {}));
  EXPECT_FALSE(iso.attempt(2, 3, [] { FAIL() << "a dead GPU's pair ran"; }));
}

TEST(GpuIsolation, InputErrorsPassThrough) {
  GpuIsolation iso;
  EXPECT_THROW(iso.attempt(0, std::nullopt, [] { throw InputError("bad size"); }), InputError);
}

// The judge turns each entry into an error verdict of its GPU; the check's other figures are judged as usual.
TEST(GpuIsolation, EachEntryIsAnErrorVerdictOfItsGpu) {
  GpuIsolation iso;
  iso.attempt(2, 5, [] { throw fake_cuda_error(false, 2); });
  Measurement m;
  m.check_id = "p2p.unidir";
  m.add_metric("bandwidth", 1e11, "B/s").device = 0;
  iso.write(m);
  const auto verdicts = judge({m}, nullptr);
  int errors = 0;
  for (const Verdict& v : verdicts) {
    if (v.outcome != Outcome::error) continue;
    ++errors;
    EXPECT_EQ(v.device, 2);
    EXPECT_EQ(v.error_id, "E_CUDA_API");
  }
  EXPECT_EQ(errors, 1);
}

}  // namespace
}  // namespace tranche

namespace tranche {
namespace {

// GPU 1 fails sticky in a gpu-scoped check.
class StickyOnGpu1 final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo{"iso.sticky_gpu1", "sticky error on GPU 1", Scope::gpu, {}, {}, 5.0, 1};
    return kInfo;
  }
  Measurement run(RunContext& ctx) override {
    if (ctx.device() == 1) throw fake_cuda_error(true, 1);
    return {};
  }
};

// A node-scoped pair matrix: records the GPUs it was given; pair 0 -> 2 hits a sticky error naming GPU 2.
class PairMatrix final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo{"iso.pairs", "pair matrix", Scope::node, {}, {}, 5.0, 2};
    return kInfo;
  }
  Measurement run(RunContext& ctx) override {
    Measurement m;
    GpuIsolation iso;
    for (int a : ctx.gpus()) {
      for (int b : ctx.gpus()) {
        if (a != b) iso.attempt(a, b, [&] {
            if (a == 0 && b == 2) throw fake_cuda_error(true, 2);
          });
      }
    }
    m.details["gpus"] = ctx.gpus();
    iso.write(m);
    return m;
  }
};

class Later final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo{"iso.later", "runs last", Scope::gpu, {}, {}, 5.0, 3};
    return kInfo;
  }
  Measurement run(RunContext&) override { return {}; }
};

// Dead GPUs are not handed to node-scoped checks, and a sticky entry of a node-scoped check ends its GPU.
TEST(GpuIsolationRunner, NodeChecksSkipDeadGpusAndMarkStickyOnes) {
  CheckRegistry registry;
  registry.add([] { return std::make_unique<StickyOnGpu1>(); });
  registry.add([] { return std::make_unique<PairMatrix>(); });
  registry.add([] { return std::make_unique<Later>(); });
  SystemInfo sys;
  for (int i = 0; i < 4; ++i) {
    GpuInfo g;
    g.index = i;
    sys.gpus.push_back(g);
  }
  Profile p;
  p.name = p.source = "t";
  p.checks = {{"iso.", {}, true}};
  const auto ms = run_plan(make_plan(registry, sys, p, {}), sys, nullptr);
  ASSERT_EQ(ms.size(), 4u + 1u + 4u);
  const Measurement& node = ms[4];
  EXPECT_EQ(node.check_id, "iso.pairs");
  EXPECT_EQ(node.details.at("gpus"), nlohmann::json({0, 2, 3}));
  ASSERT_TRUE(node.details.contains("skipped"));
  bool gpu1_skipped = false;
  for (const auto& s : node.details.at("skipped")) gpu1_skipped |= s.at("gpu") == 1;
  EXPECT_TRUE(gpu1_skipped);
  ASSERT_EQ(partial_errors(node).size(), 1u);
  EXPECT_EQ(partial_errors(node)[0].gpu, 2);
  for (std::size_t i = 5; i < 9; ++i) {
    const int gpu = ms[i].device.value_or(-1);
    if (gpu == 1 || gpu == 2) {
      EXPECT_EQ(ms[i].status, MeasurementStatus::error) << gpu;
      EXPECT_EQ(ms[i].error->id, "E_SKIPPED_AFTER_STICKY") << gpu;
    } else {
      EXPECT_EQ(ms[i].status, MeasurementStatus::ok) << gpu;
    }
  }
}

}  // namespace
}  // namespace tranche
