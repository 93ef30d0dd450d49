// The shared procedure behind every nccl.<op> check: sweep sizes like nccl-tests, out-of-place and in-place,
// float and bf16 (sum), verify every size on the device, time on the GPU clock, and report busbw
// (docs/methodology/nccl.md).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "benches/nccl/nccl_math.h"
#include "harness/core/check.h"
#include "harness/gpu/nccl_comms.h"

namespace tranche::nccl {

// Parameters every collective check accepts (min_bytes, max_bytes, step_factor, warmup, iters, plateau_bytes,
// dtypes, in_place, timeout_s is the runner's).
std::vector<ParamSpec> collective_params();
// CheckInfo for nccl.<op>: node scope, order 46, metrics bus_bandwidth and mismatches.
CheckInfo collective_check_info(CollectiveOp op, const std::string& summary);

// The NCCL_* variables of this process's environment, for the report (NCCL reads them at init).
std::map<std::string, std::string> nccl_environment();

// Runs `op` over every GPU of ctx.gpus() in one process (one communicator per GPU, grouped calls). Metrics:
// nccl.<op>/bus_bandwidth {dtype, placement, sizes=plateau|largest, size_bytes for largest}, nccl.<op>/mismatches
// {dtype, placement}; Measurement.details holds the per-size table, NCCL version and environment. Throws
// GpuError E_NO_DEVICE (the probe's error) when the node has no usable GPU, then E_NO_NCCL when NCCL is missing, E_NCCL_TIMEOUT / E_NCCL_API from a collective, InputError for bad
// parameters.
Measurement run_collective_check(RunContext& ctx, CollectiveOp op);

// As run_collective_check, with this process's GPUs as world ranks first_rank.. of `world` (a multi-node run: the
// other ranks are other processes that make the same call with the same id and parameters). max_bytes is swept
// as given on every process (E_OUT_OF_MEMORY where it does not fit). sendrecv sends to rank + sendrecv_shift
// (1: nccl-tests' ring; half the world: every GPU exchanges with its counterpart on the other node). The
// details' table is this process's view (its own ranks' times and mismatches); merge_world_tables combines them.
Measurement run_collective_in_world(RunContext& ctx, CollectiveOp op, const NcclWorld& world, int sendrecv_shift);

}  // namespace tranche::nccl
