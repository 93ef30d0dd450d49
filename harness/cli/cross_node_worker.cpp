// Cross-node worker: create or receive the NCCL id, run the collective on this node's GPUs, report the result.
#include "harness/cli/cross_node_worker.h"

#include <chrono>

#include "benches/nccl/nccl_core.h"
#include "benches/nccl/nccl_tuning_capture.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"
#include "harness/gpu/nccl_api.h"

namespace tranche::cli {

std::string unique_id_to_hex(const nccl_abi::UniqueId& id) {
  static const char* kDigits = "0123456789abcdef";
  std::string hex;
  for (std::size_t i = 0; i < nccl_abi::kUniqueIdBytes; ++i) {
    const auto b = static_cast<unsigned char>(id.internal[i]);
    hex += kDigits[b >> 4];
    hex += kDigits[b & 15];
  }
  return hex;
}

nccl_abi::UniqueId unique_id_from_hex(const std::string& hex) {
  if (hex.size() != 2 * nccl_abi::kUniqueIdBytes) {
    throw InputError("cross-node job: id must be " + std::to_string(2 * nccl_abi::kUniqueIdBytes) +
                     " hex digits (got " + std::to_string(hex.size()) + ")");
  }
  auto digit = [&](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    throw InputError("cross-node job: id has a character that is not a lowercase hex digit");
  };
  nccl_abi::UniqueId id{};
  for (std::size_t i = 0; i < nccl_abi::kUniqueIdBytes; ++i) {
    id.internal[i] = static_cast<char>(digit(hex[2 * i]) * 16 + digit(hex[2 * i + 1]));
  }
  return id;
}

namespace {

nccl::CollectiveOp op_of(const std::string& check) {
  if (const auto op = nccl::op_from_check_id(check)) return *op;
  throw InputError("cross-node job: '" + check + "' is not an NCCL collective check");
}

}  // namespace

void run_cross_node_job(const nlohmann::json& job, const std::function<void(const nlohmann::json&)>& emit,
                        const std::atomic<bool>* cancel) {
  const std::string where = "cross-node job";
  const std::string check = json_string(job, "check", where);
  const nccl::CollectiveOp op = op_of(check);
  const nlohmann::json& params = json_at(job, "params", where);
  const std::vector<int> gpus = json_at(job, "gpus", where).get<std::vector<int>>();
  const double timeout_s = json_number(job, "timeout_s", where);
  const std::string role = json_string(job, "role", where);
  if (role != "root" && role != "member") throw InputError(where + ": role must be root or member");
  const nlohmann::json& w = json_at(job, "world", where);
  NcclWorld world;
  world.nranks = static_cast<int>(json_integer(w, "nranks", where + ": world"));
  world.first_rank = static_cast<int>(json_integer(w, "first_rank", where + ": world"));
  const int shift = static_cast<int>(json_integer(w, "shift", where + ": world"));
  if (role == "member") world.id = unique_id_from_hex(json_string(job, "id", where));

  Measurement m;
  const auto started = std::chrono::system_clock::now();
  const auto t0 = std::chrono::steady_clock::now();
  bool id_sent = role == "member";
  auto fail = [&](const ErrorInfo& e) {
    if (!id_sent) emit({{"event", "nccl_id"}, {"error", to_json(e)}});
    id_sent = true;
    m = Measurement{};
    m.status = MeasurementStatus::error;
    m.error = e;
    m.reason = e.message;
  };
  try {
    if (role == "root") {
      nccl::TuningCapture::process();  // before NCCL's first use: NCCL reads NCCL_DEBUG* once
      const NcclApi& api = nccl_api();
      TRANCHE_NCCL(api.ncclGetUniqueId(&world.id));
      emit({{"event", "nccl_id"}, {"id", unique_id_to_hex(world.id)}});
      id_sent = true;
    }
    const SystemInfo system;  // what a check may ask of it (a device error) the job does not carry
    const auto deadline = t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(timeout_s));
    RunContext ctx(system, std::nullopt, gpus, params, deadline, nullptr, cancel);
    m = nccl::run_collective_in_world(ctx, op, world, shift);
  } catch (const GpuError& e) {
    fail(e.info());
  } catch (const InputError& e) {
    ErrorInfo info;
    info.id = "E_BAD_INPUT";
    info.message = e.what();
    fail(info);
  } catch (const std::exception& e) {
    ErrorInfo info;
    info.id = "E_INTERNAL";
    info.message = e.what();
    fail(info);
  }
  m.check_id = check;
  m.params = params;
  m.params["timeout_s"] = timeout_s;
  m.started_at = started;
  m.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.details["world"] = {{"nranks", world.nranks}, {"first_rank", world.first_rank}, {"shift", shift}};
  emit({{"event", "measurement"}, {"measurement", to_json(m)}});
}

}  // namespace tranche::cli
