// TRANCHE_FAULT parsing and the runner-side injection points (no process is hung or crashed here).
#include <gtest/gtest.h>

#include <cmath>

#include "harness/core/errors.h"
#include "harness/core/fault.h"

namespace tranche {
namespace {

TEST(FaultSpec, ParsesEveryDocumentedForm) {
  const auto f = parse_faults("cuda_error@gemm.bf16:gpu1;sticky@membw.triad:gpu0;hang@membw.triad;crash@gemm.fp16;"
                              "nan@pcie.h2d;no_nvml;nvml_hang;slow@gemm:0.8");
  ASSERT_EQ(f.size(), 8u);
  EXPECT_EQ(f[0].kind, FaultKind::cuda_error);
  EXPECT_EQ(f[0].check, "gemm.bf16");
  EXPECT_EQ(f[0].gpu, 1);
  EXPECT_EQ(f[1].kind, FaultKind::sticky);
  EXPECT_EQ(f[1].gpu, 0);
  EXPECT_EQ(f[2].kind, FaultKind::hang);
  EXPECT_FALSE(f[2].gpu);
  EXPECT_EQ(f[5].kind, FaultKind::no_nvml);
  EXPECT_EQ(f[6].kind, FaultKind::nvml_hang);
  EXPECT_EQ(f[7].kind, FaultKind::slow);
  EXPECT_DOUBLE_EQ(f[7].factor, 0.8);
  EXPECT_TRUE(parse_faults("").empty());
}

TEST(FaultSpec, RejectsMalformedItemsNamingThem) {
  for (const char* bad : {"boom@gemm", "hang", "hang@", "slow@gemm", "slow@gemm:0", "slow@gemm:x", "nan@gemm:gpu",
                          "nan@gemm:gpu-1", "crash@gemm:1", "no_nvml@gemm", "nvml_hang@x:gpu0"}) {
    try {
      parse_faults(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("TRANCHE_FAULT"), std::string::npos);
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace tranche
