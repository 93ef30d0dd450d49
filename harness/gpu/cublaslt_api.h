// cuBLASLt loaded at run time (dlopen), so tranche starts, and runs every check but GEMM, on a node whose CUDA
// toolkit libraries are missing; only the GEMM checks need it, and they then end in E_NO_CUBLAS with the fix.
#pragma once
#include <cublasLt.h>

#include <memory>
#include <string>

namespace tranche {

// The entry points tranche calls, named as the C functions so calls read the same as direct ones.
struct CublasLtApi {
  decltype(&::cublasLtGetVersion) cublasLtGetVersion = nullptr;
  decltype(&::cublasLtGetStatusName) cublasLtGetStatusName = nullptr;
  decltype(&::cublasLtGetStatusString) cublasLtGetStatusString = nullptr;
  decltype(&::cublasLtCreate) cublasLtCreate = nullptr;
  decltype(&::cublasLtDestroy) cublasLtDestroy = nullptr;
  decltype(&::cublasLtMatmulDescCreate) cublasLtMatmulDescCreate = nullptr;
  decltype(&::cublasLtMatmulDescDestroy) cublasLtMatmulDescDestroy = nullptr;
  decltype(&::cublasLtMatmulDescSetAttribute) cublasLtMatmulDescSetAttribute = nullptr;
  decltype(&::cublasLtMatrixLayoutCreate) cublasLtMatrixLayoutCreate = nullptr;
  decltype(&::cublasLtMatrixLayoutDestroy) cublasLtMatrixLayoutDestroy = nullptr;
  decltype(&::cublasLtMatmulPreferenceCreate) cublasLtMatmulPreferenceCreate = nullptr;
  decltype(&::cublasLtMatmulPreferenceDestroy) cublasLtMatmulPreferenceDestroy = nullptr;
  decltype(&::cublasLtMatmulPreferenceSetAttribute) cublasLtMatmulPreferenceSetAttribute = nullptr;
  decltype(&::cublasLtMatmulAlgoGetHeuristic) cublasLtMatmulAlgoGetHeuristic = nullptr;
  decltype(&::cublasLtMatmulAlgoConfigGetAttribute) cublasLtMatmulAlgoConfigGetAttribute = nullptr;
  decltype(&::cublasLtMatmul) cublasLtMatmul = nullptr;
};

// $TRANCHE_CUBLASLT_LIBRARY when set, else libcublasLt.so.<major version of the headers tranche was built with>.
std::string cublaslt_library_name();

// Opens `library` and resolves every entry point; null with `error` (library or symbol, dlerror's text) when it
// cannot. The library stays open for the process's lifetime (the table points into it). Does not cache (tests
// use it); thread-safe.
std::unique_ptr<const CublasLtApi> load_cublaslt_from(const std::string& library, std::string* error);

// The process-wide table, loaded on first use from cublaslt_library_name(). Never throws: nullptr with `error`.
const CublasLtApi* try_cublaslt(std::string* error = nullptr);

// As try_cublaslt, but throws GpuError E_NO_CUBLAS naming the library and the fix when it is missing.
const CublasLtApi& cublaslt();

}  // namespace tranche
