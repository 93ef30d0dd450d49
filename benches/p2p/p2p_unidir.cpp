// p2p.unidir: peer access and one-direction GPU-to-GPU bandwidth (copy engine, SM copy), every ordered pair.
#include "benches/p2p/p2p_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class P2pUnidir final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = p2p::p2p_check_info(
        p2p::P2pTest::unidir,
        "GPU-to-GPU bandwidth for every ordered pair, copy engine and SM copy, one direction, verified");
    return kInfo;
  }
  std::optional<std::string> not_applicable(const SystemInfo& system, std::optional<int> /*gpu*/) const override {
    return p2p::p2p_not_applicable(system);
  }
  Measurement run(RunContext& ctx) override { return p2p::run_p2p_check(ctx, p2p::P2pTest::unidir); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(P2pUnidir)

}  // namespace tranche
