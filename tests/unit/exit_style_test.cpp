// Exit-style adapters: every tranche code mapped for Nagios and node-problem-detector, and their status lines.
#include <gtest/gtest.h>

#include "harness/core/errors.h"
#include "harness/core/exit_style.h"

namespace tranche {
namespace {

TEST(ExitStyle, TrancheCodesAreUnchanged) {
  for (int code : {0, 1, 2, 64, 70}) EXPECT_EQ(map_exit_code(code, false, ExitStyle::tranche), code);
}

TEST(ExitStyle, NagiosOkWarningCriticalUnknown) {
  EXPECT_EQ(map_exit_code(0, false, ExitStyle::nagios), 0);
  EXPECT_EQ(map_exit_code(0, true, ExitStyle::nagios), 1);
  EXPECT_EQ(map_exit_code(1, false, ExitStyle::nagios), 2);
  for (int code : {2, 64, 70, 5}) EXPECT_EQ(map_exit_code(code, false, ExitStyle::nagios), 3) << code;
}

TEST(ExitStyle, NpdOkProblemUnknown) {
  EXPECT_EQ(map_exit_code(0, true, ExitStyle::npd), 0);
  EXPECT_EQ(map_exit_code(1, false, ExitStyle::npd), 1);
  for (int code : {2, 64, 70, 5}) EXPECT_EQ(map_exit_code(code, false, ExitStyle::npd), 2) << code;
}

TEST(ExitStyle, ParseNamesTheOptionOnABadValue) {
  EXPECT_EQ(parse_exit_style("npd"), ExitStyle::npd);
  EXPECT_EQ(parse_exit_style("nagios"), ExitStyle::nagios);
  EXPECT_EQ(parse_exit_style("tranche"), ExitStyle::tranche);
  try {
    parse_exit_style("NPD");
    FAIL() << "accepted NPD";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "--exit-style NPD: expected tranche, nagios or npd");
  }
}

TEST(ExitStyle, StatusLines) {
  EXPECT_EQ(status_line(1, false, ExitStyle::nagios, "rejected: x\ny"), "TRANCHE CRITICAL - rejected: x y");
  EXPECT_EQ(status_line(0, true, ExitStyle::nagios, "accepted"), "TRANCHE WARNING - accepted");
  EXPECT_EQ(status_line(2, false, ExitStyle::nagios, "incomplete"), "TRANCHE UNKNOWN - incomplete");
  const std::string npd = status_line(1, false, ExitStyle::npd, std::string(200, 'x'));
  EXPECT_EQ(npd, std::string(kNpdMaxLineBytes, 'x'));
  EXPECT_EQ(status_line(0, false, ExitStyle::tranche, "accepted"), "accepted");
}

}  // namespace
}  // namespace tranche
