// slurm_node_action: every verdict against no reason, tranche's reason and a person's, with and without --resume.
#include <gtest/gtest.h>

#include "harness/core/slurm_node_action.h"

namespace tranche {
namespace {

using A = SlurmNodeAction;
constexpr const char* kOurs = "tranche: pcie gpu1 x8; report=/r.json";
constexpr const char* kPerson = "disk swap, ask ops";

TEST(SlurmNodeAction, AFailureDrainsUnlessSomeoneElsesReasonIsSet) {
  for (Acceptance a : {Acceptance::rejected, Acceptance::incomplete}) {
    for (bool resume : {false, true}) {
      EXPECT_EQ(slurm_node_action(a, "none", resume), A::drain);
      EXPECT_EQ(slurm_node_action(a, "", resume), A::drain);
      EXPECT_EQ(slurm_node_action(a, kOurs, resume), A::drain);  // refreshed with the new report
      EXPECT_EQ(slurm_node_action(a, kPerson, resume), A::leave_foreign);
      EXPECT_EQ(slurm_node_action(a, "Not responding", resume), A::leave_foreign);
    }
  }
}

TEST(SlurmNodeAction, APassResumesOnlyTranchesOwnDrainAndOnlyWithResume) {
  EXPECT_EQ(slurm_node_action(Acceptance::accepted, kOurs, false), A::none);
  EXPECT_EQ(slurm_node_action(Acceptance::accepted, kOurs, true), A::resume);
  EXPECT_EQ(slurm_node_action(Acceptance::accepted, kPerson, true), A::leave_foreign);
  EXPECT_EQ(slurm_node_action(Acceptance::accepted, kPerson, false), A::none);
  EXPECT_EQ(slurm_node_action(Acceptance::accepted, "none", true), A::none);
  EXPECT_EQ(slurm_node_action(Acceptance::accepted, "tranche:no space", true), A::leave_foreign);
}

}  // namespace
}  // namespace tranche
