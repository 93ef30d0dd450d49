// NCCL loaded at run time (dlopen of libnccl.so.2), so tranche runs every other check on a node without NCCL; the
// NCCL checks then end in E_NO_NCCL with the fix. TRANCHE_NCCL turns a failed call into GpuError E_NCCL_API.
#pragma once
#include <memory>
#include <string>

#include "harness/core/errors.h"
#include "harness/gpu/nccl_abi.h"

namespace tranche {

// The entry points tranche calls, named after the C functions.
struct NcclApi {
  nccl_abi::GetVersion ncclGetVersion = nullptr;
  nccl_abi::GetUniqueId ncclGetUniqueId = nullptr;
  nccl_abi::CommInitRank ncclCommInitRank = nullptr;
  nccl_abi::CommDestroy ncclCommDestroy = nullptr;
  nccl_abi::CommAbort ncclCommAbort = nullptr;
  nccl_abi::CommGetAsyncError ncclCommGetAsyncError = nullptr;
  nccl_abi::GetErrorString ncclGetErrorString = nullptr;
  nccl_abi::GetLastError ncclGetLastError = nullptr;
  nccl_abi::AllReduce ncclAllReduce = nullptr;
  nccl_abi::AllGather ncclAllGather = nullptr;
  nccl_abi::ReduceScatter ncclReduceScatter = nullptr;
  nccl_abi::Broadcast ncclBroadcast = nullptr;
  nccl_abi::Reduce ncclReduce = nullptr;
  nccl_abi::Send ncclSend = nullptr;
  nccl_abi::Recv ncclRecv = nullptr;
  nccl_abi::GroupStart ncclGroupStart = nullptr;
  nccl_abi::GroupEnd ncclGroupEnd = nullptr;
};

// $TRANCHE_NCCL_LIBRARY when set, else "libnccl.so.2".
std::string nccl_library_name();

// Opens `library` and resolves every entry point; null with `error` naming the library (dlerror's text) or the
// missing symbol. The library stays open for the process's lifetime. Does not cache (tests use it).
std::unique_ptr<const NcclApi> load_nccl_from(const std::string& library, std::string* error);

// The process-wide table, loaded once from nccl_library_name(). Never throws: nullptr with `error`.
const NcclApi* try_nccl(std::string* error = nullptr);

// As try_nccl, but throws GpuError E_NO_NCCL naming the library and why.
const NcclApi& nccl_api();

// "2.28.9" from ncclGetVersion (codes >= 20900 are major*10000 + minor*100 + patch, older ones
// major*1000 + minor*100 + patch); "" when NCCL cannot be loaded.
std::string nccl_version_string();
std::string nccl_version_from_code(int code);

// "ncclSuccess", "ncclInProgress", ... ("ncclUnknownResult" for a code NCCL may add later).
const char* nccl_result_name(nccl_abi::Result result);

// ErrorInfo E_NCCL_API for a failed call: the result's name, NCCL's error string and last-error text.
ErrorInfo nccl_error_info(nccl_abi::Result result, const char* expr, const char* file, int line);
[[noreturn]] void throw_nccl_error(nccl_abi::Result result, const char* expr, const char* file, int line);

}  // namespace tranche

#define TRANCHE_NCCL(expr)                                                                \
  do {                                                                                    \
    const ::tranche::nccl_abi::Result tranche_nccl_status_ = (expr);                      \
    if (tranche_nccl_status_ != ::tranche::nccl_abi::kSuccess) {                          \
      ::tranche::throw_nccl_error(tranche_nccl_status_, #expr, __FILE__, __LINE__);       \
    }                                                                                     \
  } while (0)
