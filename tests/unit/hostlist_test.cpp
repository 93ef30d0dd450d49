// Slurm hostlist expansion as `scontrol show hostnames` does it, and one-line errors for bad expressions.
#include "reports/hostlist.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/core/errors.h"

namespace tranche {
namespace {

using V = std::vector<std::string>;

TEST(Hostlist, ExpandsRangesListsAndPadding) {
  EXPECT_EQ(expand_hostlist("gpu[001-003]"), (V{"gpu001", "gpu002", "gpu003"}));
  EXPECT_EQ(expand_hostlist("gpu[8-11]"), (V{"gpu8", "gpu9", "gpu10", "gpu11"}));
  EXPECT_EQ(expand_hostlist("a[1,3-4],login1"), (V{"a1", "a3", "a4", "login1"}));
  EXPECT_EQ(expand_hostlist("r[1-2]n[01-02]"), (V{"r1n01", "r1n02", "r2n01", "r2n02"}));
  EXPECT_EQ(expand_hostlist("n[098-101]-ib"), (V{"n098-ib", "n099-ib", "n100-ib", "n101-ib"}));
  EXPECT_EQ(expand_hostlist("single"), (V{"single"}));
  EXPECT_EQ(expand_hostlist("gpu[001-080]").size(), 80u);
}

TEST(Hostlist, BadExpressionsNameTheExpression) {
  for (const char* bad : {"gpu[1-", "gpu]1[", "gpu[3-1]", "gpu[a-b]", "gpu[]", "gpu[1-99999999]"}) {
    try {
      expand_hostlist(bad);
      ADD_FAILURE() << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + bad + "'"), std::string::npos) << e.what();
    }
  }
}

TEST(Hostlist, FileHoldsOneExpressionPerLineWithComments) {
  const std::string path = ::testing::TempDir() + "/hosts.txt";
  std::ofstream(path) << "# rack 1\ngpu[001-002]\n\n  login1  # head node\n";
  EXPECT_EQ(expected_hosts_from_argument(path), (V{"gpu001", "gpu002", "login1"}));
  EXPECT_EQ(expected_hosts_from_argument("gpu[1-2]"), (V{"gpu1", "gpu2"}));
}

TEST(Hostlist, ShortSlurmNamesMatchFullyQualifiedReportHosts) {
  // Slurm's hostlist gives short names; a node whose own host name is qualified must not be listed as missing.
  const HostMatch m = match_hosts({"gpu001", "gpu002", "gpu003.site.example", "gpu004"},
                                  {"gpu001.cluster.local", "gpu002", "gpu003", "gpu0040.cluster.local",
                                   "login1.cluster.local"});
  EXPECT_EQ(m.missing, (V{"gpu004"}));  // gpu0040 is another host, not gpu004
  EXPECT_EQ(m.unexpected, (V{"gpu0040.cluster.local", "login1.cluster.local"}));
}

TEST(Hostlist, TwoQualifiedNamesMatchOnlyWhenEqual) {
  const HostMatch m = match_hosts({"gpu001.a.example"}, {"gpu001.b.example"});
  EXPECT_EQ(m.missing, (V{"gpu001.a.example"}));
  EXPECT_EQ(m.unexpected, (V{"gpu001.b.example"}));
  EXPECT_TRUE(match_hosts({"gpu001.a.example"}, {"gpu001.a.example"}).missing.empty());
}

}  // namespace
}  // namespace tranche
