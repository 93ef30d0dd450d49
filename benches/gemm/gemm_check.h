// GemmCheck<P>: the gemm.<p> check for one precision; each precision registers it from its own small file.
#pragma once
#include "benches/gemm/gemm_core.h"
#include "harness/core/registry.h"

namespace tranche {

template <GemmPrecision P>
class GemmCheck final : public Check {
 public:
  const CheckInfo& info() const override { return gemm_check_info(P); }
  std::optional<std::string> not_applicable(const SystemInfo& system, std::optional<int> gpu) const override {
    return gemm_not_applicable(P, system, gpu);
  }
  Measurement run(RunContext& ctx) override { return run_gemm_check(P, ctx); }
};

}  // namespace tranche
