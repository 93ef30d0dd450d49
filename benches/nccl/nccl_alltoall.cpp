// nccl.alltoall: one NCCL collective over every local GPU, swept like nccl-tests and verified (nccl_core.h).
#include "benches/nccl/nccl_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class NcclAlltoall final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = nccl::collective_check_info(nccl::CollectiveOp::alltoall, "NCCL all-to-all (grouped send/recv) over every GPU: size sweep, busbw = algbw x (n-1)/n, verified");
    return kInfo;
  }
  Measurement run(RunContext& ctx) override { return nccl::run_collective_check(ctx, nccl::CollectiveOp::alltoall); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(NcclAlltoall)

}  // namespace tranche
