// dlopen/dlsym of NCCL: one table per process, kept loaded for its lifetime; NCCL's errors as GpuError.
#include "harness/gpu/nccl_api.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>

namespace tranche {

std::string nccl_library_name() {
  if (const char* env = std::getenv("TRANCHE_NCCL_LIBRARY"); env && *env) return env;
  return "libnccl.so.2";
}

std::unique_ptr<const NcclApi> load_nccl_from(const std::string& library, std::string* error) {
  void* lib = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    if (error) *error = dlerror();
    return nullptr;
  }
  auto api = std::make_unique<NcclApi>();
  bool ok = true;
  auto resolve = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
    if (!fn && ok) {
      ok = false;
      if (error) *error = library + " has no " + name + " (tranche needs NCCL 2.12 or later)";
    }
  };
#define TRANCHE_RESOLVE(name) resolve(api->name, #name)
  TRANCHE_RESOLVE(ncclGetVersion);
  TRANCHE_RESOLVE(ncclGetUniqueId);
  TRANCHE_RESOLVE(ncclCommInitRank);
  TRANCHE_RESOLVE(ncclCommDestroy);
  TRANCHE_RESOLVE(ncclCommAbort);
  TRANCHE_RESOLVE(ncclCommGetAsyncError);
  TRANCHE_RESOLVE(ncclGetErrorString);
  TRANCHE_RESOLVE(ncclGetLastError);
  TRANCHE_RESOLVE(ncclAllReduce);
  TRANCHE_RESOLVE(ncclAllGather);
  TRANCHE_RESOLVE(ncclReduceScatter);
  TRANCHE_RESOLVE(ncclBroadcast);
  TRANCHE_RESOLVE(ncclReduce);
  TRANCHE_RESOLVE(ncclSend);
  TRANCHE_RESOLVE(ncclRecv);
  TRANCHE_RESOLVE(ncclGroupStart);
  TRANCHE_RESOLVE(ncclGroupEnd);
#undef TRANCHE_RESOLVE
  if (!ok) {
    dlclose(lib);
    return nullptr;
  }
  return api;
}

const NcclApi* try_nccl(std::string* error) {
  static std::once_flag once;
  static std::unique_ptr<const NcclApi> api;
  static std::string load_error;
  std::call_once(once, [] { api = load_nccl_from(nccl_library_name(), &load_error); });
  if (!api && error) *error = load_error;
  return api.get();
}

const NcclApi& nccl_api() {
  std::string why;
  if (const NcclApi* api = try_nccl(&why)) return *api;
  ErrorInfo e;
  e.id = "E_NO_NCCL";
  e.api = "nccl";
  e.expr = "dlopen(\"" + nccl_library_name() + "\")";
  e.message = "NCCL could not be loaded: " + why;
  throw GpuError(e);
}

std::string nccl_version_from_code(int code) {
  if (code <= 0) return "";
  const bool new_scheme = code >= 20900;  // NCCL_VERSION(): 2.9 onwards multiplies the major by 10000
  const int major = new_scheme ? code / 10000 : code / 1000;
  const int rest = new_scheme ? code % 10000 : code % 1000;
  return std::to_string(major) + "." + std::to_string(rest / 100) + "." + std::to_string(rest % 100);
}

std::string nccl_version_string() {
  const NcclApi* api = try_nccl();
  int code = 0;
  if (!api || api->ncclGetVersion(&code) != nccl_abi::kSuccess) return "";
  return nccl_version_from_code(code);
}

const char* nccl_result_name(nccl_abi::Result r) {
  switch (r) {
    case nccl_abi::kSuccess: return "ncclSuccess";
    case nccl_abi::kUnhandledCudaError: return "ncclUnhandledCudaError";
    case nccl_abi::kSystemError: return "ncclSystemError";
    case nccl_abi::kInternalError: return "ncclInternalError";
    case nccl_abi::kInvalidArgument: return "ncclInvalidArgument";
    case nccl_abi::kInvalidUsage: return "ncclInvalidUsage";
    case nccl_abi::kRemoteError: return "ncclRemoteError";
    case nccl_abi::kInProgress: return "ncclInProgress";
  }
  return "ncclUnknownResult";
}

ErrorInfo nccl_error_info(nccl_abi::Result result, const char* expr, const char* file, int line) {
  ErrorInfo e;
  e.id = "E_NCCL_API";
  e.api = "nccl";
  e.code = result;
  e.code_name = nccl_result_name(result);
  e.expr = expr;
  e.where = std::string(file) + ":" + std::to_string(line);
  e.message = std::string(expr) + " failed: " + e.code_name;
  if (const NcclApi* api = try_nccl()) {
    e.message += std::string(" (") + api->ncclGetErrorString(result) + ")";
    if (const char* last = api->ncclGetLastError(nullptr); last && *last) e.message += std::string(": ") + last;
  }
  int dev = -1;
  if (cudaGetDevice(&dev) == cudaSuccess) e.gpu = dev;
  cudaGetLastError();  // a failed cudaGetDevice must not leave a last error behind for the next check
  return e;
}

void throw_nccl_error(nccl_abi::Result result, const char* expr, const char* file, int line) {
  throw GpuError(nccl_error_info(result, expr, file, line));
}

}  // namespace tranche
