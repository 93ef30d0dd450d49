// memtest.address: address in address (each word holds its own index, then the complement) over most of free memory.
#include "benches/memtest/memtest_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class MemtestAddress final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo i = memtest_check_info("memtest.address", "Memtest: address in address (each word holds its own index, then the complement) over most of free memory");
    return i;
  }
  Measurement run(RunContext& ctx) override {
    return run_memtest(ctx, "memtest.address", {kernels::MemtestPattern::address});
  }
};

TRANCHE_REGISTER_CHECK(MemtestAddress)

}  // namespace
}  // namespace tranche
