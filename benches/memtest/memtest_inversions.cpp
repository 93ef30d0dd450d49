// memtest.inversions: moving inversions (four solid patterns, each then its complement) over most of free memory.
#include "benches/memtest/memtest_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

const std::vector<kernels::MemtestPattern> kPatterns = {kernels::MemtestPattern::inversion};

class MemtestInversions final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo i = [] {
      CheckInfo c = memtest_check_info("memtest.inversions", "Memtest: moving inversions (four solid patterns, each then its complement) over most of free memory");
      c.estimate_s = [](const nlohmann::json& p, int) { return memtest_estimate_s(p, kPatterns); };
      return c;
    }();
    return i;
  }
  Measurement run(RunContext& ctx) override {
    return run_memtest(ctx, "memtest.inversions", kPatterns);
  }
};

TRANCHE_REGISTER_CHECK(MemtestInversions)

}  // namespace
}  // namespace tranche
