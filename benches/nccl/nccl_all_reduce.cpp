// nccl.all_reduce: one NCCL collective over every local GPU, swept like nccl-tests and verified (nccl_core.h).
#include "benches/nccl/nccl_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class NcclAllReduce final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = nccl::collective_check_info(nccl::CollectiveOp::all_reduce, "NCCL all_reduce (sum) over every GPU: size sweep, busbw = algbw x 2(n-1)/n, verified at every size");
    return kInfo;
  }
  Measurement run(RunContext& ctx) override { return nccl::run_collective_check(ctx, nccl::CollectiveOp::all_reduce); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(NcclAllReduce)

}  // namespace tranche
