// kubectl_label_commands: the exact commands for each verdict, with and without the taint.
#include <gtest/gtest.h>

#include "harness/core/errors.h"
#include "harness/core/k8s_label.h"

namespace tranche {
namespace {

// 2026-12-01T17:00:05Z
const auto kAt = std::chrono::system_clock::from_time_t(1796144405);

Summary summary(Acceptance a, Outcome worst) {
  Summary s;
  s.acceptance = a;
  s.worst = worst;
  return s;
}

TEST(K8sLabel, VerdictLabelIsFailClosed) {
  EXPECT_EQ(node_verdict_label(summary(Acceptance::accepted, Outcome::pass)), "PASS");
  EXPECT_EQ(node_verdict_label(summary(Acceptance::accepted, Outcome::warn)), "WARN");
  EXPECT_EQ(node_verdict_label(summary(Acceptance::rejected, Outcome::fail)), "FAIL");
  EXPECT_EQ(node_verdict_label(summary(Acceptance::incomplete, Outcome::error)), "FAIL");
}

TEST(K8sLabel, CheckedAtIsALegalLabelValue) { EXPECT_EQ(checked_at_label(kAt), "20261201T170005Z"); }

TEST(K8sLabel, LabelOnly) {
  const auto cmds = kubectl_label_commands("gpu-007", summary(Acceptance::accepted, Outcome::pass), kAt, false);
  ASSERT_EQ(cmds.size(), 1u);
  EXPECT_EQ(cmds[0],
            "kubectl label node 'gpu-007' --overwrite 'tranche.io/verdict=PASS' "
            "'tranche.io/checked-at=20261201T170005Z'");
}

TEST(K8sLabel, FailTaintsAndPassRemovesTheTaint) {
  const auto bad = kubectl_label_commands("gpu-007", summary(Acceptance::rejected, Outcome::fail), kAt, true);
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0],
            "kubectl label node 'gpu-007' --overwrite 'tranche.io/verdict=FAIL' "
            "'tranche.io/checked-at=20261201T170005Z'");
  EXPECT_EQ(bad[1], "kubectl taint node 'gpu-007' --overwrite 'tranche.io/unhealthy=true:NoSchedule'");
  const auto good = kubectl_label_commands("gpu-007", summary(Acceptance::accepted, Outcome::warn), kAt, true);
  ASSERT_EQ(good.size(), 2u);
  EXPECT_NE(good[0].find("'tranche.io/verdict=WARN'"), std::string::npos);
  EXPECT_EQ(good[1], "kubectl taint node 'gpu-007' 'tranche.io/unhealthy:NoSchedule-' || true");
}

TEST(K8sLabel, ANodeNameThatCouldBreakTheShellIsRefused) {
  const std::vector<std::string> bad_names = {"", "Gpu1", "gpu1'; rm -rf /", "-gpu", "gpu_1", std::string(254, 'a')};
  for (const std::string& bad : bad_names) {
    EXPECT_THROW(kubectl_label_commands(bad, summary(Acceptance::accepted, Outcome::pass), kAt, false), InputError)
        << bad;
  }
  EXPECT_NO_THROW(kubectl_label_commands("node-1.rack7.example", summary(Acceptance::accepted, Outcome::pass), kAt,
                                         false));
}

}  // namespace
}  // namespace tranche
