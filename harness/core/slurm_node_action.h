// What the Slurm health check does to its node, decided from the verdict and the node's current reason.
#pragma once
#include <string_view>

#include "harness/core/outcome.h"

namespace tranche {

// drain: set tranche's reason. resume: lift tranche's own drain. leave_foreign: another reason is on the node (a
// person's drain, a DOWN reason) and tranche never overwrites or lifts it. none: nothing to do.
enum class SlurmNodeAction { none, drain, resume, leave_foreign };

// `current_reason` as `sinfo -o %E` prints it ("none" or "" when the node has no reason). Not accepted: drain,
// unless a foreign reason is set. Accepted with `resume`: resume when the reason is tranche's, leave_foreign when
// it is someone else's. Pure.
SlurmNodeAction slurm_node_action(Acceptance acceptance, std::string_view current_reason, bool resume);

}  // namespace tranche
