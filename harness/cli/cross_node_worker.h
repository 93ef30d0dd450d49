// The worker side of a collective across nodes (`tranche __worker cross`): one process per MPI rank runs one NCCL
// job on its node's GPUs as a slice of a multi-process world; started by cross_node_run.
#pragma once
#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/gpu/nccl_abi.h"

namespace tranche::cli {

// 128 bytes <-> 256 lowercase hex digits. from_hex throws InputError naming the job key on a malformed id.
std::string unique_id_to_hex(const nccl_abi::UniqueId& id);
nccl_abi::UniqueId unique_id_from_hex(const std::string& hex);

// Runs the job (JSON, see cross_node_run.cpp make_job): {"check", "params", "gpus", "timeout_s", "role":
// "root"|"member", "id" (member: hex), "world": {"nranks", "first_rank", "shift"}}. A root first creates the
// NCCL id and emits {"event":"nccl_id","id":HEX}, or {"event":"nccl_id","error":{...}} when it cannot (E_NO_NCCL);
// then every role emits {"event":"measurement","measurement":{...}} (errors as status error, never thrown).
// Throws InputError for a malformed job only.
void run_cross_node_job(const nlohmann::json& job, const std::function<void(const nlohmann::json&)>& emit,
                        const std::atomic<bool>* cancel);

}  // namespace tranche::cli
