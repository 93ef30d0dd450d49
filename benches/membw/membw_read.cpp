// membw.read: read-only HBM bandwidth, a reduction sum(a) verified against its closed form; 1 array.
#include "benches/membw/membw_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class MembwRead final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = membw::membw_check_info(
        membw::StreamOp::read, "HBM read bandwidth: a two-pass sum of one array, checked against the closed-form sum");
    return kInfo;
  }
  Measurement run(RunContext& ctx) override { return membw::run_membw_check(ctx, membw::StreamOp::read); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(MembwRead)

}  // namespace tranche
