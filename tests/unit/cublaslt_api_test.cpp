// cuBLASLt through dlopen: a missing library is a clear error naming it; the toolkit's library loads fully.
#include <gtest/gtest.h>

#include "harness/gpu/cublaslt_api.h"

namespace tranche {
namespace {

TEST(CublasLtApi, MissingLibraryIsAnErrorNamingIt) {
  std::string why;
  EXPECT_EQ(load_cublaslt_from("/nonexistent/libcublasLt.so.13", &why), nullptr);
  EXPECT_NE(why.find("/nonexistent/libcublasLt.so.13"), std::string::npos) << why;
}

TEST(CublasLtApi, LibraryWithoutTheEntryPointsIsRejected) {
  std::string why;
  EXPECT_EQ(load_cublaslt_from("libm.so.6", &why), nullptr);
  EXPECT_NE(why.find("has no cublasLt"), std::string::npos) << why;
}

TEST(CublasLtApi, ToolkitLibraryResolvesEveryEntryPoint) {
  std::string why;
  // The loader's path first, as tranche opens it; else the toolkit this was built with (it ships cuBLASLt).
  auto api = load_cublaslt_from(cublaslt_library_name(), &why);
  if (!api) api = load_cublaslt_from(std::string(TRANCHE_CUDA_LIBRARY_DIR) + "/" + cublaslt_library_name(), &why);
  ASSERT_NE(api, nullptr) << "the toolkit's cuBLASLt did not load: " << why;
  EXPECT_NE(api->cublasLtMatmul, nullptr);
  EXPECT_EQ(api->cublasLtGetVersion() / 10000, static_cast<std::size_t>(CUBLAS_VER_MAJOR));
}

TEST(CublasLtApi, LibraryNameFollowsTheHeadersMajorVersion) {
  EXPECT_EQ(cublaslt_library_name(), "libcublasLt.so." + std::to_string(CUBLAS_VER_MAJOR));
}

}  // namespace
}  // namespace tranche
