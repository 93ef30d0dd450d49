// NCCL through dlopen: a missing library is E_NO_NCCL naming it; where NCCL is installed it loads and reports its
// version; tranche's own ABI declarations agree with nccl.h wherever that header exists.
#include <gtest/gtest.h>

#include <cstdlib>
#include <type_traits>

#include "harness/core/error_catalog.h"
#include "harness/gpu/nccl_api.h"

#if __has_include(<nccl.h>)
#include <nccl.h>
#define TRANCHE_HAVE_NCCL_H 1
namespace tabi = tranche::nccl_abi;
static_assert(sizeof(tabi::UniqueId) == sizeof(ncclUniqueId));
static_assert(static_cast<int>(tabi::kInProgress) == static_cast<int>(ncclInProgress));
static_assert(static_cast<int>(tabi::kRemoteError) == static_cast<int>(ncclRemoteError));
static_assert(static_cast<int>(tabi::kFloat32) == static_cast<int>(ncclFloat32));
static_assert(static_cast<int>(tabi::kBfloat16) == static_cast<int>(ncclBfloat16));
static_assert(static_cast<int>(tabi::kSum) == static_cast<int>(ncclSum));
// Same parameter list, with tranche's enum and handle types standing in for NCCL's (same size and layout).
static_assert(sizeof(tabi::Result) == sizeof(ncclResult_t) && sizeof(tabi::DataType) == sizeof(ncclDataType_t));
static_assert(sizeof(tabi::RedOp) == sizeof(ncclRedOp_t));
#endif

namespace tranche {
namespace {

TEST(NcclApi, MissingLibraryIsAnErrorNamingIt) {
  std::string why;
  EXPECT_EQ(load_nccl_from("/nonexistent/libnccl.so.2", &why), nullptr);
  EXPECT_NE(why.find("/nonexistent/libnccl.so.2"), std::string::npos) << why;
}

TEST(NcclApi, LibraryWithoutTheEntryPointsIsRejected) {
  std::string why;
  EXPECT_EQ(load_nccl_from("libm.so.6", &why), nullptr);
  EXPECT_NE(why.find("has no nccl"), std::string::npos) << why;
}

TEST(NcclApi, InstalledLibraryResolvesEveryEntryPointAndReportsItsVersion) {
  std::string why;
  // As tranche opens it; else next to the toolkit's libraries (where the CUDA image installs NCCL).
  auto api = load_nccl_from("libnccl.so.2", &why);
  if (!api) api = load_nccl_from(std::string(TRANCHE_CUDA_LIBRARY_DIR) + "/libnccl.so.2", &why);
  if (!api) {
    // No NCCL on this machine: what an operator would see is the loader naming the library.
    EXPECT_NE(why.find("libnccl.so.2"), std::string::npos) << why;
    return;
  }
  int code = 0;
  ASSERT_EQ(api->ncclGetVersion(&code), nccl_abi::kSuccess);
  EXPECT_GE(code, 21200);
#ifdef TRANCHE_HAVE_NCCL_H
  EXPECT_EQ(code / 100, NCCL_VERSION_CODE / 100) << "nccl.h and libnccl.so.2 differ in major.minor";
#endif
  EXPECT_EQ(nccl_version_from_code(code).substr(0, 2), "2.");
}

TEST(NcclApi, VersionCodesOfBothSchemes) {
  EXPECT_EQ(nccl_version_from_code(22809), "2.28.9");
  EXPECT_EQ(nccl_version_from_code(2804), "2.8.4");  // before 2.9 the major was multiplied by 1000
  EXPECT_EQ(nccl_version_from_code(0), "");
}

TEST(NcclApi, NoNcclIsACatalogedErrorWithTheFix) {
  ASSERT_TRUE(is_known_error("E_NO_NCCL"));
  EXPECT_NE(std::string(error_entry("E_NO_NCCL").next_step).find("TRANCHE_NCCL_LIBRARY"), std::string::npos);
  EXPECT_TRUE(is_known_error("E_NCCL_TIMEOUT"));
}

// In a forked child, so the process-wide table is loaded fresh from the overridden path.
TEST(NcclApiDeathTest, UnloadableNcclThrowsNoNcclNamingTheLibrary) {
  EXPECT_EXIT(
      {
        setenv("TRANCHE_NCCL_LIBRARY", "/nonexistent/libnccl.so.2", 1);
        int rc = 1;
        try {
          nccl_api();
        } catch (const GpuError& e) {
          const bool named = e.info().expr.find("/nonexistent/libnccl.so.2") != std::string::npos;
          rc = e.info().id == "E_NO_NCCL" && named && nccl_version_string().empty() ? 0 : 2;
        }
        std::exit(rc);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(NcclApi, ErrorInfoNamesTheResult) {
  const ErrorInfo e = nccl_error_info(nccl_abi::kRemoteError, "ncclAllReduce(...)", "f.cpp", 7);
  EXPECT_EQ(e.id, "E_NCCL_API");
  EXPECT_EQ(e.code_name, "ncclRemoteError");
  EXPECT_EQ(e.where, "f.cpp:7");
  EXPECT_NE(e.message.find("ncclAllReduce"), std::string::npos);
}

}  // namespace
}  // namespace tranche
