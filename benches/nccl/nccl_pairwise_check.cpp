// nccl.pairwise: the slow-node localisation's place in `tranche list` and its parameters; a node run skips it with
// the reason and the launch line, and `tranche run --multinode` runs it across nodes (harness/cli/cross_node_run,
// docs/multinode.md).
#include "benches/nccl/nccl_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class NcclPairwise final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = [] {
      CheckInfo info;
      info.id = "nccl.pairwise";
      info.summary = "Node pairs in round-robin rounds run sendrecv over the network; a node whose median pair "
                     "bandwidth is below its peers' by `margin` is named (multi-node runs only)";
      info.scope = Scope::node;
      info.params = {
          {"size_bytes", 1ll << 30, "B", "bytes each pair exchanges per sendrecv", 8, 68719476736.0},
          {"margin", 0.1, "", "a node scoring below (1 - margin) x the median node score is slow", 0, 0.99},
          {"random_rounds", 0, "count", "0: round-robin (every pair meets once); N: N random pairings (large racks)",
           0, 100000},
          {"seed", 1, "", "seed of the random pairings", 0, 9223372036854775807.0},
      };
      info.metrics = {"nccl.pairwise/bus_bandwidth"};
      info.timeout_s = 1800.0;
      // On one node it skips at once; across nodes it depends on the node count, which no plan knows.
      info.estimate_s = [](const nlohmann::json&, int) { return 0.0; };
      info.order = 47;
      return info;
    }();
    return kInfo;
  }
  std::optional<std::string> not_applicable(const SystemInfo& /*system*/, std::optional<int> /*gpu*/) const override {
    return std::string("pairs nodes over the network: needs a multi-node run (tranche run --multinode under srun or "
                       "mpirun across >= 2 nodes, docs/multinode.md)");
  }
  Measurement run(RunContext& /*ctx*/) override {
    throw InputError("nccl.pairwise runs only across nodes (tranche run --multinode); see docs/multinode.md");
  }
};

}  // namespace

TRANCHE_REGISTER_CHECK(NcclPairwise)

}  // namespace tranche
