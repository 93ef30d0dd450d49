// membw.copy: STREAM copy c = a on each GPU; bandwidth counts the read and the write (2 arrays).
#include "benches/membw/membw_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class MembwCopy final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo =
        membw::membw_check_info(membw::StreamOp::copy, "HBM bandwidth of STREAM copy c=a (read+write bytes), verified");
    return kInfo;
  }
  Measurement run(RunContext& ctx) override { return membw::run_membw_check(ctx, membw::StreamOp::copy); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(MembwCopy)

}  // namespace tranche
