// driver_too_old_hint: the branch each CUDA major needs (R580 for 13) and the matching cuda-compat package.
#include <gtest/gtest.h>

#include "harness/core/driver_compat_hint.h"

namespace tranche {
namespace {

TEST(DriverCompatHint, Cuda13NeedsR580OrCudaCompat) {
  EXPECT_EQ(driver_too_old_hint(13000),
            "the CUDA 13.0 runtime tranche was built with needs NVIDIA driver R580 or later; upgrade the driver, or "
            "on a datacenter GPU install NVIDIA's forward-compatibility package cuda-compat-13-0 and put "
            "/usr/local/cuda-13.0/compat on LD_LIBRARY_PATH, or run a tranche built with an older CUDA");
  EXPECT_NE(driver_too_old_hint(13020).find("cuda-compat-13-2 and put /usr/local/cuda-13.2/compat"),
            std::string::npos);
}

TEST(DriverCompatHint, OlderMajorsAndUnknownRuntimes) {
  EXPECT_NE(driver_too_old_hint(12080).find("CUDA 12.8 runtime tranche was built with needs NVIDIA driver R525"),
            std::string::npos);
  EXPECT_NE(driver_too_old_hint(11080).find("R450"), std::string::npos);
  EXPECT_EQ(driver_too_old_hint(0),
            "upgrade the NVIDIA driver to one that supports the CUDA runtime tranche was built with");
}

}  // namespace
}  // namespace tranche
