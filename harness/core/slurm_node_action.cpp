// slurm_node_action: tranche drains and resumes only its own drains.
#include "harness/core/slurm_node_action.h"

#include "harness/core/drain_reason.h"

namespace tranche {

SlurmNodeAction slurm_node_action(Acceptance acceptance, std::string_view current_reason, bool resume) {
  const bool has_reason = !current_reason.empty() && current_reason != "none";
  const bool foreign = has_reason && !is_tranche_reason(current_reason);
  if (acceptance != Acceptance::accepted) return foreign ? SlurmNodeAction::leave_foreign : SlurmNodeAction::drain;
  if (!resume || !has_reason) return SlurmNodeAction::none;
  return foreign ? SlurmNodeAction::leave_foreign : SlurmNodeAction::resume;
}

}  // namespace tranche
