// memtest.walking: walking ones then walking zeros (64 passes each) over most of free memory.
#include "benches/memtest/memtest_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

const std::vector<kernels::MemtestPattern> kPatterns = {kernels::MemtestPattern::walking_ones, kernels::MemtestPattern::walking_zeros};

class MemtestWalking final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo i = [] {
      CheckInfo c = memtest_check_info(
        "memtest.walking", "Memtest: walking ones then walking zeros (64 passes each) over most of free memory");
      c.estimate_s = [](const nlohmann::json& p, int) { return memtest_estimate_s(p, kPatterns); };
      return c;
    }();
    return i;
  }
  Measurement run(RunContext& ctx) override {
    return run_memtest(ctx, "memtest.walking", kPatterns);
  }
};

TRANCHE_REGISTER_CHECK(MemtestWalking)

}  // namespace
}  // namespace tranche
