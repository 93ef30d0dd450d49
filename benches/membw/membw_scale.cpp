// membw.scale: STREAM scale b = s*c on each GPU; 2 arrays per element.
#include "benches/membw/membw_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class MembwScale final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = membw::membw_check_info(
        membw::StreamOp::scale, "HBM bandwidth of STREAM scale b=s*c (read+write bytes), verified");
    return kInfo;
  }
  Measurement run(RunContext& ctx) override { return membw::run_membw_check(ctx, membw::StreamOp::scale); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(MembwScale)

}  // namespace tranche
