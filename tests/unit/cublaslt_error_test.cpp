// cuBLASLt wrappers that need no GPU: status -> ErrorInfo (catalog ids, names) and the library version string.
#include <gtest/gtest.h>

#include <algorithm>

#include "harness/core/error_catalog.h"
#include "harness/gpu/cublaslt_error.h"
#include "harness/gpu/cublaslt_matmul.h"

namespace tranche {
namespace {

TEST(CublasLtError, StatusBecomesCataloguedErrorInfo) {
  const ErrorInfo e = cublas_error_info(CUBLAS_STATUS_NOT_SUPPORTED, "cublasLtMatmul(...)", "x.cpp", 12);
  EXPECT_EQ(e.id, "E_CUBLAS_API");
  EXPECT_TRUE(is_known_error(e.id));
  EXPECT_EQ(e.api, "cublasLt");
  EXPECT_EQ(e.code, static_cast<long long>(CUBLAS_STATUS_NOT_SUPPORTED));
  EXPECT_EQ(e.code_name, "CUBLAS_STATUS_NOT_SUPPORTED");
  EXPECT_EQ(e.where, "x.cpp:12");
  EXPECT_NE(e.message.find("cublasLtMatmul(...) failed: CUBLAS_STATUS_NOT_SUPPORTED"), std::string::npos);
  EXPECT_EQ(cublas_error_info(CUBLAS_STATUS_ALLOC_FAILED, "f()", "x.cpp", 1).id, "E_OUT_OF_MEMORY");
}

TEST(CublasLtError, MacroThrowsGpuErrorOnlyOnFailure) {
  EXPECT_NO_THROW(TRANCHE_CUBLAS(CUBLAS_STATUS_SUCCESS));
  try {
    TRANCHE_CUBLAS(CUBLAS_STATUS_INVALID_VALUE);
    FAIL() << "no exception";
  } catch (const GpuError& e) {
    EXPECT_EQ(e.info().code_name, "CUBLAS_STATUS_INVALID_VALUE");
    EXPECT_EQ(e.info().expr, "CUBLAS_STATUS_INVALID_VALUE");
  }
}

TEST(CublasLtVersion, IsTheLoadedLibrarysMajorMinorPatch) {
  const std::string v = cublaslt_version_string();
  EXPECT_EQ(v.rfind(std::to_string(CUBLAS_VER_MAJOR) + ".", 0), 0u) << v;
  EXPECT_EQ(std::count(v.begin(), v.end(), '.'), 2);
}

// Split-K partial sums added in the output type (INPLACE, OUTPUT_TYPE) would round fp16/bf16 partials and break the
// fp32-accumulation tolerance; INPLACE's order is not fixed by cublasLt.h, so a floating-point output never uses it
// (the device checksum of every product is compared bitwise). Only exact int32 sums may reduce in place.
TEST(CublasLtReductionMask, OnlyOrderIndependentSchemesAtAccumulatorPrecision) {
  const std::uint32_t order_or_rounding = CUBLASLT_REDUCTION_SCHEME_INPLACE | CUBLASLT_REDUCTION_SCHEME_OUTPUT_TYPE;
  const MatmulTypes fp16{CUDA_R_16F, CUDA_R_16F, CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, CUDA_R_32F};
  const MatmulTypes bf16{CUDA_R_16BF, CUDA_R_16BF, CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F};
  const MatmulTypes fp8{CUDA_R_8F_E4M3, CUDA_R_8F_E4M3, CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F};
  const MatmulTypes fp64{CUDA_R_64F, CUDA_R_64F, CUDA_R_64F, CUDA_R_64F, CUBLAS_COMPUTE_64F, CUDA_R_64F};
  const MatmulTypes fp32{};
  const MatmulTypes tf32{CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, CUDA_R_32F};
  for (const MatmulTypes& t : {fp16, bf16, fp8, fp64, fp32, tf32}) {
    const std::uint32_t mask = lt_reduction_scheme_mask(t);
    EXPECT_EQ(mask & order_or_rounding, 0u);
    EXPECT_NE(mask & CUBLASLT_REDUCTION_SCHEME_COMPUTE_TYPE, 0u);
  }
  const MatmulTypes int8{CUDA_R_8I, CUDA_R_8I, CUDA_R_32I, CUDA_R_32I, CUBLAS_COMPUTE_32I, CUDA_R_32I};
  EXPECT_NE(lt_reduction_scheme_mask(int8) & CUBLASLT_REDUCTION_SCHEME_INPLACE, 0u);
  EXPECT_EQ(lt_reduction_scheme_mask(int8) & CUBLASLT_REDUCTION_SCHEME_OUTPUT_TYPE, 0u);
  // int32 output with a float scale rounds alpha * partial through fp32: no longer exact, so no INPLACE.
  const MatmulTypes int8_float_scale{CUDA_R_8I, CUDA_R_8I, CUDA_R_32I, CUDA_R_32I, CUBLAS_COMPUTE_32I, CUDA_R_32F};
  EXPECT_EQ(lt_reduction_scheme_mask(int8_float_scale) & CUBLASLT_REDUCTION_SCHEME_INPLACE, 0u);
}

// The filter candidates() applies to what the heuristic returns, in case it offers a scheme outside the preference.
TEST(CublasLtReductionMask, CandidateFilterDropsSchemesOutsideTheMask) {
  const std::uint32_t fp32_mask = lt_reduction_scheme_mask(MatmulTypes{});
  LtAlgoConfig c;
  c.splitk = 1;
  c.reduction_scheme = CUBLASLT_REDUCTION_SCHEME_NONE;
  EXPECT_TRUE(lt_reduction_allowed(c, fp32_mask));
  c.splitk = 4;
  c.reduction_scheme = CUBLASLT_REDUCTION_SCHEME_COMPUTE_TYPE;
  EXPECT_TRUE(lt_reduction_allowed(c, fp32_mask));
  c.reduction_scheme = CUBLASLT_REDUCTION_SCHEME_INPLACE;
  EXPECT_FALSE(lt_reduction_allowed(c, fp32_mask));
  c.reduction_scheme = CUBLASLT_REDUCTION_SCHEME_OUTPUT_TYPE;
  EXPECT_FALSE(lt_reduction_allowed(c, fp32_mask));
  c.reduction_scheme = CUBLASLT_REDUCTION_SCHEME_INPLACE;
  const MatmulTypes int8{CUDA_R_8I, CUDA_R_8I, CUDA_R_32I, CUDA_R_32I, CUBLAS_COMPUTE_32I, CUDA_R_32I};
  EXPECT_TRUE(lt_reduction_allowed(c, lt_reduction_scheme_mask(int8)));
}

}  // namespace
}  // namespace tranche

namespace tranche {
namespace {

// A cuBLASLt failure while the CUDA context holds a sticky error is the GPU's failure: sticky, and it says so.
TEST(CublasLtError, FailureOverAStickyContextIsSticky) {
  const ErrorInfo e =
      cublas_error_info(CUBLAS_STATUS_EXECUTION_FAILED, "cublasLtMatmul(...)", "x.cpp", 3, cudaErrorContained);
  EXPECT_TRUE(e.sticky);
  EXPECT_EQ(e.id, "E_CUDA_STICKY");
  EXPECT_NE(e.message.find("cudaErrorContained"), std::string::npos);
  EXPECT_FALSE(cublas_error_info(CUBLAS_STATUS_EXECUTION_FAILED, "f()", "x.cpp", 3).sticky);
}

}  // namespace
}  // namespace tranche
