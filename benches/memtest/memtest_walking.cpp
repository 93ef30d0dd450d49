// memtest.walking: walking ones then walking zeros (64 passes each) over most of free memory.
#include "benches/memtest/memtest_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class MemtestWalking final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo i = memtest_check_info(
        "memtest.walking", "Memtest: walking ones then walking zeros (64 passes each) over most of free memory");
    return i;
  }
  Measurement run(RunContext& ctx) override {
    return run_memtest(ctx, "memtest.walking",
                       {kernels::MemtestPattern::walking_ones, kernels::MemtestPattern::walking_zeros});
  }
};

TRANCHE_REGISTER_CHECK(MemtestWalking)

}  // namespace
}  // namespace tranche
