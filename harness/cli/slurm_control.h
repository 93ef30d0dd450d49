// The Slurm commands the health check runs on its own node: read the node's reason, drain it, resume it.
#pragma once
#include <string>
#include <vector>

namespace tranche::cli {

// This node's Slurm name: $SLURMD_NODENAME (set by slurmd for its health check and prologs), else the short host
// name.
std::string slurm_node_name();

// A command as argv, and as one line for people and --dry-run (arguments with spaces or quotes single-quoted).
std::string shell_line(const std::vector<std::string>& argv);

// scontrol update NodeName=NODE State=DRAIN Reason=REASON / State=RESUME, as argv.
std::vector<std::string> drain_command(const std::string& node, const std::string& reason);
std::vector<std::string> resume_command(const std::string& node);

// The node's current reason as `sinfo -h -N -n NODE -o %E` prints it ("none" when it has none; the first line
// when the node is in several partitions). Throws
// std::runtime_error naming the command when sinfo cannot be run or fails (slurmctld unreachable).
std::string current_reason(const std::string& node);

// Runs argv (PATH lookup, no shell) and waits; its stderr goes to ours. Returns its stdout. Throws
// std::runtime_error naming the command when it cannot start or exits non-zero.
std::string run_command(const std::vector<std::string>& argv);

}  // namespace tranche::cli
