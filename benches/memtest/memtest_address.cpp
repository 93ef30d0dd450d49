// memtest.address: address in address (each word holds its own index, then the complement) over most of free memory.
#include "benches/memtest/memtest_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

const std::vector<kernels::MemtestPattern> kPatterns = {kernels::MemtestPattern::address};

class MemtestAddress final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo i = [] {
      CheckInfo c = memtest_check_info("memtest.address", "Memtest: address in address (each word holds its own index, then the complement) over most of free memory");
      c.estimate_s = [](const nlohmann::json& p, int) { return memtest_estimate_s(p, kPatterns); };
      return c;
    }();
    return i;
  }
  Measurement run(RunContext& ctx) override {
    return run_memtest(ctx, "memtest.address", kPatterns);
  }
};

TRANCHE_REGISTER_CHECK(MemtestAddress)

}  // namespace
}  // namespace tranche
