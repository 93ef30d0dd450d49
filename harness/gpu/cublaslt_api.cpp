// dlopen/dlsym of cuBLASLt: one table per process, kept loaded for its lifetime.
#include "harness/gpu/cublaslt_api.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>

#include "harness/core/errors.h"

namespace tranche {

std::string cublaslt_library_name() {
  if (const char* env = std::getenv("TRANCHE_CUBLASLT_LIBRARY"); env && *env) return env;
  return "libcublasLt.so." + std::to_string(CUBLAS_VER_MAJOR);
}

std::unique_ptr<const CublasLtApi> load_cublaslt_from(const std::string& library, std::string* error) {
  void* lib = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    if (error) *error = dlerror();
    return nullptr;
  }
  auto api = std::make_unique<CublasLtApi>();
  bool ok = true;
  auto resolve = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
    if (!fn && ok) {
      ok = false;
      if (error) *error = library + " has no " + name + " (a cuBLASLt older than tranche's " +
                          std::to_string(CUBLAS_VER_MAJOR) + ".x)";
    }
  };
#define TRANCHE_RESOLVE(name) resolve(api->name, #name)
  TRANCHE_RESOLVE(cublasLtGetVersion);
  TRANCHE_RESOLVE(cublasLtGetStatusName);
  TRANCHE_RESOLVE(cublasLtGetStatusString);
  TRANCHE_RESOLVE(cublasLtCreate);
  TRANCHE_RESOLVE(cublasLtDestroy);
  TRANCHE_RESOLVE(cublasLtMatmulDescCreate);
  TRANCHE_RESOLVE(cublasLtMatmulDescDestroy);
  TRANCHE_RESOLVE(cublasLtMatmulDescSetAttribute);
  TRANCHE_RESOLVE(cublasLtMatrixLayoutCreate);
  TRANCHE_RESOLVE(cublasLtMatrixLayoutDestroy);
  TRANCHE_RESOLVE(cublasLtMatmulPreferenceCreate);
  TRANCHE_RESOLVE(cublasLtMatmulPreferenceDestroy);
  TRANCHE_RESOLVE(cublasLtMatmulPreferenceSetAttribute);
  TRANCHE_RESOLVE(cublasLtMatmulAlgoGetHeuristic);
  TRANCHE_RESOLVE(cublasLtMatmulAlgoConfigGetAttribute);
  TRANCHE_RESOLVE(cublasLtMatmul);
#undef TRANCHE_RESOLVE
  if (!ok) {
    dlclose(lib);
    return nullptr;
  }
  return api;
}

const CublasLtApi* try_cublaslt(std::string* error) {
  static std::once_flag once;
  static std::unique_ptr<const CublasLtApi> api;
  static std::string load_error;
  std::call_once(once, [] { api = load_cublaslt_from(cublaslt_library_name(), &load_error); });
  if (!api && error) *error = load_error;
  return api.get();
}

const CublasLtApi& cublaslt() {
  std::string why;
  if (const CublasLtApi* api = try_cublaslt(&why)) return *api;
  ErrorInfo e;
  e.id = "E_NO_CUBLAS";
  e.api = "cublasLt";
  e.expr = "dlopen(\"" + cublaslt_library_name() + "\")";
  e.message = "cuBLASLt could not be loaded: " + why;
  throw GpuError(e);
}

}  // namespace tranche
