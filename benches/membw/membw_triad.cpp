// membw.triad: STREAM triad a = b + s*c on each GPU; 3 arrays per element.
#include "benches/membw/membw_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class MembwTriad final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = membw::membw_check_info(
        membw::StreamOp::triad, "HBM bandwidth of STREAM triad a=b+s*c (read+write bytes), verified");
    return kInfo;
  }
  Measurement run(RunContext& ctx) override { return membw::run_membw_check(ctx, membw::StreamOp::triad); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(MembwTriad)

}  // namespace tranche
