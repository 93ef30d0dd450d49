// memtest.random: seeded random patterns (random_passes seeds) over most of free memory.
#include "benches/memtest/memtest_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

const std::vector<kernels::MemtestPattern> kPatterns = {kernels::MemtestPattern::random};

class MemtestRandom final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo i = [] {
      CheckInfo c = memtest_check_info("memtest.random", "Memtest: seeded random patterns (random_passes seeds) over most of free memory");
      c.estimate_s = [](const nlohmann::json& p, int) { return memtest_estimate_s(p, kPatterns); };
      return c;
    }();
    return i;
  }
  Measurement run(RunContext& ctx) override {
    return run_memtest(ctx, "memtest.random", kPatterns);
  }
};

TRANCHE_REGISTER_CHECK(MemtestRandom)

}  // namespace
}  // namespace tranche
