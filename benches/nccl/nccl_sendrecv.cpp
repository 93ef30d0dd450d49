// nccl.sendrecv: one NCCL collective over every local GPU, swept like nccl-tests and verified (nccl_core.h).
#include "benches/nccl/nccl_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class NcclSendrecv final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = nccl::collective_check_info(nccl::CollectiveOp::sendrecv, "NCCL ring send/recv (rank r -> r+1) over every GPU: size sweep, busbw = algbw, verified at every size");
    return kInfo;
  }
  Measurement run(RunContext& ctx) override { return nccl::run_collective_check(ctx, nccl::CollectiveOp::sendrecv); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(NcclSendrecv)

}  // namespace tranche
