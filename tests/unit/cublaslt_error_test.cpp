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
// fp32-accumulation tolerance; they stay allowed only where the output is as wide as the accumulator.
TEST(CublasLtReductionMask, NarrowOutputsNeverReduceInTheOutputType) {
  const std::uint32_t narrow_bits = CUBLASLT_REDUCTION_SCHEME_INPLACE | CUBLASLT_REDUCTION_SCHEME_OUTPUT_TYPE;
  const MatmulTypes fp16{CUDA_R_16F, CUDA_R_16F, CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, CUDA_R_32F};
  const MatmulTypes bf16{CUDA_R_16BF, CUDA_R_16BF, CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F};
  const MatmulTypes fp8{CUDA_R_8F_E4M3, CUDA_R_8F_E4M3, CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F};
  for (const MatmulTypes& t : {fp16, bf16, fp8}) {
    const std::uint32_t mask = lt_reduction_scheme_mask(t);
    EXPECT_EQ(mask & narrow_bits, 0u);
    EXPECT_NE(mask & CUBLASLT_REDUCTION_SCHEME_COMPUTE_TYPE, 0u);
  }
  const MatmulTypes fp64{CUDA_R_64F, CUDA_R_64F, CUDA_R_64F, CUDA_R_64F, CUBLAS_COMPUTE_64F, CUDA_R_64F};
  const MatmulTypes fp32{};
  const MatmulTypes int8{CUDA_R_8I, CUDA_R_8I, CUDA_R_32I, CUDA_R_32I, CUBLAS_COMPUTE_32I, CUDA_R_32I};
  for (const MatmulTypes& t : {fp64, fp32, int8}) {
    EXPECT_NE(lt_reduction_scheme_mask(t) & CUBLASLT_REDUCTION_SCHEME_INPLACE, 0u);
    EXPECT_EQ(lt_reduction_scheme_mask(t) & CUBLASLT_REDUCTION_SCHEME_OUTPUT_TYPE, 0u);
  }
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
