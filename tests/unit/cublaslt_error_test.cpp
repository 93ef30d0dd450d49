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

}  // namespace
}  // namespace tranche
