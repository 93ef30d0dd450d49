// Blame for GPU pairs: one GPU failing with several partners is blamed; a single bad pair is reported as the link.
#include "harness/judge/pair_blame.h"

#include <gtest/gtest.h>

#include "harness/judge/judge.h"

namespace tranche {
namespace {

Verdict pair(int from, int to, Outcome o) {
  Verdict v;
  v.check_id = "p2p.unidir";
  v.metric = "p2p.unidir/bandwidth";
  v.device = from;
  v.labels = {{"peer", std::to_string(to)}, {"method", "ce"}};
  v.outcome = o;
  v.message = "observed";
  return v;
}

// Every ordered pair of n GPUs; `bad` says which (from, to) fail.
template <class Bad>
std::vector<Verdict> matrix(int n, Bad bad) {
  std::vector<Verdict> out;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i != j) out.push_back(pair(i, j, bad(i, j) ? Outcome::fail : Outcome::pass));
    }
  }
  return out;
}

TEST(PairBlame, OneGpuFailingWithSeveralPartnersIsBlamed) {
  auto vs = matrix(8, [](int i, int j) { return i == 3 || j == 3; });
  attribute_pair_blame(vs);
  for (const auto& v : vs) {
    if (v.outcome != Outcome::fail) continue;
    EXPECT_EQ(v.device, 3) << v.message;  // GPU 0 -> GPU 3 is attributed to GPU 3, not GPU 0
    EXPECT_NE(v.message.find("blamed on GPU 3"), std::string::npos) << v.message;
    EXPECT_TRUE(v.labels.count("gpu") && v.labels.count("peer")) << v.message;  // both GPUs named
  }
  const auto acc = gpu_acceptance(vs);
  EXPECT_EQ(acc.at(3), Acceptance::rejected);
  for (int g : {0, 1, 2, 4, 5, 6, 7}) EXPECT_EQ(acc.at(g), Acceptance::accepted) << g;
  EXPECT_EQ(summarize(vs).acceptance, Acceptance::rejected);
}

TEST(PairBlame, ASingleBadPairIsReportedAsTheLink) {
  auto vs = matrix(8, [](int i, int j) { return (i == 2 && j == 6) || (i == 6 && j == 2); });
  attribute_pair_blame(vs);
  int links = 0;
  for (const auto& v : vs) {
    if (v.outcome != Outcome::fail) continue;
    ++links;
    EXPECT_FALSE(v.device.has_value()) << v.message;  // node-level: the link, not either GPU
    EXPECT_NE(v.message.find("the link between GPU"), std::string::npos) << v.message;
    EXPECT_NE(v.message.find("GPU 2"), std::string::npos) << v.message;
    EXPECT_NE(v.message.find("GPU 6"), std::string::npos) << v.message;
  }
  EXPECT_EQ(links, 2);
  const auto acc = gpu_acceptance(vs);
  EXPECT_EQ(acc.at(2), Acceptance::accepted);
  EXPECT_EQ(acc.at(6), Acceptance::accepted);
  EXPECT_EQ(summarize(vs).acceptance, Acceptance::rejected);  // the node still fails: the link is bad
}

TEST(PairBlame, EveryPairVerdictNamesBothGpusAndOtherChecksAreUntouched) {
  auto vs = matrix(2, [](int, int) { return false; });
  Verdict gemm;
  gemm.check_id = "gemm.bf16";
  gemm.device = 0;
  gemm.outcome = Outcome::fail;
  gemm.message = "slow";
  vs.push_back(gemm);
  attribute_pair_blame(vs);
  EXPECT_EQ(vs[0].message, "GPU 0 -> GPU 1: observed");
  EXPECT_EQ(vs[1].message, "GPU 1 -> GPU 0: observed");
  EXPECT_EQ(vs[2].message, "slow");
  EXPECT_EQ(vs[2].device, 0);
}

TEST(PairBlame, JudgeAppliesItToP2pMeasurements) {
  Baseline b;
  b.id = "t";
  Expectation e;
  e.metric = "p2p.unidir/bandwidth";
  e.labels = {{"method", "ce"}};
  e.reference = 100.0;
  e.unit = "B/s";
  e.warn_ratio = 0.95;
  e.fail_ratio = 0.9;
  e.source = "test";
  b.expectations.push_back(e);
  Measurement m;
  m.check_id = "p2p.unidir";
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      if (i == j) continue;
      Metric& x = m.add_metric("bandwidth", (i == 1 || j == 1) ? 50.0 : 100.0, "B/s");
      x.device = i;
      x.labels = {{"peer", std::to_string(j)}, {"method", "ce"}};
    }
  }
  const auto acc = gpu_acceptance(judge({m}, &b));
  EXPECT_EQ(acc.at(1), Acceptance::rejected);
  EXPECT_EQ(acc.at(0), Acceptance::accepted);
  EXPECT_EQ(acc.at(2), Acceptance::accepted);
}

}  // namespace
}  // namespace tranche
