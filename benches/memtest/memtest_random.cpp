// memtest.random: seeded random patterns (random_passes seeds) over most of free memory.
#include "benches/memtest/memtest_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class MemtestRandom final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo i = memtest_check_info("memtest.random", "Memtest: seeded random patterns (random_passes seeds) over most of free memory");
    return i;
  }
  Measurement run(RunContext& ctx) override {
    return run_memtest(ctx, "memtest.random", {kernels::MemtestPattern::random});
  }
};

TRANCHE_REGISTER_CHECK(MemtestRandom)

}  // namespace
}  // namespace tranche
