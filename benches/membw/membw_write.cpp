// membw.write: write-only HBM bandwidth, a = constant; 1 array.
#include "benches/membw/membw_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class MembwWrite final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo =
        membw::membw_check_info(membw::StreamOp::write, "HBM write bandwidth: one array set to a constant, verified");
    return kInfo;
  }
  Measurement run(RunContext& ctx) override { return membw::run_membw_check(ctx, membw::StreamOp::write); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(MembwWrite)

}  // namespace tranche
