// drain_reason: Slurm's 255-byte limit, the first 20 characters (what sinfo -R shows) naming the check, UTF-8 cuts.
#include <gtest/gtest.h>

#include "harness/core/drain_reason.h"

namespace tranche {
namespace {

Verdict verdict(const std::string& check, std::optional<int> gpu, Outcome o, const std::string& message) {
  Verdict v;
  v.check_id = check;
  v.device = gpu;
  v.outcome = o;
  v.message = message;
  return v;
}

TEST(DrainReason, NamesTheFirstFailureAndTheReport) {
  const std::vector<Verdict> vs = {verdict("preflight.ecc", 0, Outcome::pass, "0 pending"),
                                   verdict("preflight.pcie_link", 1, Outcome::fail, "x8 of x16"),
                                   verdict("preflight.nvlink", 1, Outcome::fail, "link 3 down")};
  const std::string r = drain_reason(vs, "/var/lib/tranche/health/vm.json");
  EXPECT_EQ(r, "tranche: pcie_link gpu1 x8 of x16; +1 more; report=/var/lib/tranche/health/vm.json");
  EXPECT_EQ(r.substr(0, 20), "tranche: pcie_link g");
  EXPECT_TRUE(is_tranche_reason(r));
}

TEST(DrainReason, FailBeforeErrorBeforeRequiredSkipAndNodeChecksHaveNoGpu) {
  const std::vector<Verdict> vs = {verdict("preflight.driver", std::nullopt, Outcome::error, "no CUDA device"),
                                   verdict("gemm.bf16", 2, Outcome::fail, "0.61 x reference")};
  EXPECT_EQ(drain_reason(vs, ""), "tranche: gemm.bf16 gpu2 0.61 x reference; +1 more");
  EXPECT_EQ(drain_reason({vs[0]}, "r.json"), "tranche: driver no CUDA device; report=r.json");
  Verdict skipped = verdict("preflight.nvlink", std::nullopt, Outcome::skip, "");
  skipped.error_id = "E_NO_NVML";
  EXPECT_EQ(drain_reason({skipped}, ""), "tranche: nvlink E_NO_NVML");
  skipped.required = false;
  EXPECT_EQ(drain_reason({skipped}, ""), "tranche: not accepted");
}

TEST(DrainReason, QuotesAndNewlinesBecomeSpaces) {
  EXPECT_EQ(drain_reason({verdict("x", 0, Outcome::fail, "say \"no\"\nit's")}, ""), "tranche: x gpu0 say  no  it s");
}

TEST(DrainReason, AtMost255BytesKeepingTheReportPath) {
  const std::string path = "/shared/reports/rack07/node0042-20261201T170000Z.json";
  const std::string r = drain_reason({verdict("preflight.ecc", 3, Outcome::fail, std::string(400, 'e'))}, path);
  EXPECT_EQ(r.size(), kDrainReasonMaxBytes);
  EXPECT_EQ(r.substr(r.size() - path.size()), path);
  EXPECT_EQ(r.rfind("tranche: ecc gpu3 eee", 0), 0u);
}

TEST(DrainReason, AVeryLongReportPathKeepsItsFileName) {
  const std::string path = "/" + std::string(300, 'd') + "/node.json";
  const std::string r = drain_reason({verdict("preflight.ecc", 0, Outcome::fail, "pending remap")}, path);
  EXPECT_EQ(r, "tranche: ecc gpu0 pending remap; report=node.json");
}

TEST(DrainReason, CutsOnAUtf8Boundary) {
  // 'é' is two bytes; a cut in the middle would leave an invalid byte in Slurm's database.
  std::string msg;
  for (int i = 0; i < 200; ++i) msg += "\xC3\xA9";
  const std::string r = drain_reason({verdict("x", std::nullopt, Outcome::fail, msg)}, "");
  EXPECT_LE(r.size(), kDrainReasonMaxBytes);
  EXPECT_GE(r.size(), kDrainReasonMaxBytes - 1);
  EXPECT_NE(static_cast<unsigned char>(r.back()), 0xC3);
  EXPECT_EQ(utf8_prefix("a\xC3\xA9", 2), "a");
  EXPECT_EQ(utf8_prefix("a\xC3\xA9", 3), "a\xC3\xA9");
}

TEST(DrainReason, OnlyTranchePrefixedReasonsAreTranches) {
  EXPECT_TRUE(is_tranche_reason("tranche: ecc gpu0"));
  EXPECT_FALSE(is_tranche_reason("tranche:ecc"));
  EXPECT_FALSE(is_tranche_reason("maintenance (tranche: later)"));
  EXPECT_FALSE(is_tranche_reason("none"));
  EXPECT_FALSE(is_tranche_reason(""));
}

}  // namespace
}  // namespace tranche
