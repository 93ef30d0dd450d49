// membw.add: STREAM add c = a + b on each GPU; 3 arrays per element.
#include "benches/membw/membw_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class MembwAdd final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo =
        membw::membw_check_info(membw::StreamOp::add, "HBM bandwidth of STREAM add c=a+b (read+write bytes), verified");
    return kInfo;
  }
  Measurement run(RunContext& ctx) override { return membw::run_membw_check(ctx, membw::StreamOp::add); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(MembwAdd)

}  // namespace tranche
