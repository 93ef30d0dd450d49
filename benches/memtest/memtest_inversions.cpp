// memtest.inversions: moving inversions (four solid patterns, each then its complement) over most of free memory.
#include "benches/memtest/memtest_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class MemtestInversions final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo i = memtest_check_info("memtest.inversions", "Memtest: moving inversions (four solid patterns, each then its complement) over most of free memory");
    return i;
  }
  Measurement run(RunContext& ctx) override {
    return run_memtest(ctx, "memtest.inversions", {kernels::MemtestPattern::inversion});
  }
};

TRANCHE_REGISTER_CHECK(MemtestInversions)

}  // namespace
}  // namespace tranche
