// Outcome ordering, roll-up and the fail-closed node summary.
#include <gtest/gtest.h>

#include "harness/core/outcome.h"
#include "harness/core/verdict.h"

namespace tranche {
namespace {

Verdict make(Outcome o, std::optional<int> dev = 0, bool required = true, std::string error_id = "") {
  Verdict v;
  v.check_id = "x";
  v.outcome = o;
  v.device = dev;
  v.required = required;
  v.error_id = std::move(error_id);
  return v;
}

TEST(Outcome, WorstFollowsSeverityOrder) {
  EXPECT_EQ(worst(Outcome::pass, Outcome::warn), Outcome::warn);
  EXPECT_EQ(worst(Outcome::warn, Outcome::fail), Outcome::fail);
  EXPECT_EQ(worst(Outcome::skip, Outcome::pass), Outcome::pass);
  EXPECT_EQ(worst(Outcome::error, Outcome::warn), Outcome::error);
  EXPECT_EQ(worst(Outcome::error, Outcome::fail), Outcome::fail);
  EXPECT_EQ(worst(Outcome::fail, Outcome::error), Outcome::fail);
  EXPECT_EQ(worst(Outcome::pass, Outcome::unjudged), Outcome::unjudged);
  EXPECT_EQ(worst(Outcome::unjudged, Outcome::warn), Outcome::warn);
  EXPECT_EQ(worst(Outcome::skip, Outcome::unjudged), Outcome::unjudged);
}

TEST(Outcome, NamesRoundTrip) {
  for (auto o : {Outcome::pass, Outcome::warn, Outcome::fail, Outcome::skip, Outcome::error, Outcome::unjudged}) {
    EXPECT_EQ(outcome_from_string(to_string(o)), o);
  }
  EXPECT_FALSE(outcome_from_string("PASS").has_value());
  EXPECT_FALSE(acceptance_from_string("ok").has_value());
}

TEST(Outcome, ExitCodes) {
  EXPECT_EQ(exit_code_for(Acceptance::accepted), 0);
  EXPECT_EQ(exit_code_for(Acceptance::rejected), 1);
  EXPECT_EQ(exit_code_for(Acceptance::incomplete), 2);
}

TEST(Summary, AllPassIsAccepted) {
  auto s = summarize({make(Outcome::pass), make(Outcome::warn, 1)});
  EXPECT_EQ(s.acceptance, Acceptance::accepted);
  EXPECT_EQ(s.counts["pass"], 1);
  EXPECT_EQ(s.counts["warn"], 1);
  EXPECT_EQ(s.gpu_outcomes[1], Outcome::warn);
}

TEST(Summary, AnyFailIsRejectedEvenWithErrors) {
  auto s = summarize({make(Outcome::pass), make(Outcome::error, 0, true, "E_CUDA_API"), make(Outcome::fail, 1)});
  EXPECT_EQ(s.acceptance, Acceptance::rejected);
  EXPECT_EQ(s.worst, Outcome::fail);
}

TEST(Summary, ErrorIsIncompleteAndNamesTheError) {
  auto s = summarize({make(Outcome::pass), make(Outcome::error, std::nullopt, true, "E_NO_DEVICE")});
  EXPECT_EQ(s.acceptance, Acceptance::incomplete);
  ASSERT_EQ(s.error_ids.size(), 1u);
  EXPECT_EQ(s.error_ids[0], "E_NO_DEVICE");
  EXPECT_NE(s.headline.find("E_NO_DEVICE"), std::string::npos);
  EXPECT_EQ(s.headline.rfind("incomplete", 0), 0u);
}

TEST(Summary, RequiredSkipIsIncompleteOptionalSkipIsNot) {
  EXPECT_EQ(summarize({make(Outcome::pass), make(Outcome::skip, 0, true)}).acceptance, Acceptance::incomplete);
  EXPECT_EQ(summarize({make(Outcome::pass), make(Outcome::skip, 0, false)}).acceptance, Acceptance::accepted);
}

TEST(Summary, NothingJudgedIsIncomplete) {
  EXPECT_EQ(summarize({}).acceptance, Acceptance::incomplete);
  EXPECT_EQ(summarize({make(Outcome::unjudged), make(Outcome::skip, 0, false)}).acceptance, Acceptance::incomplete);
}

TEST(Summary, UnjudgedIsCountedApartFromPassAndNamed) {
  Verdict u = make(Outcome::unjudged, 1);
  u.metric = "gemm.fp8/flops";
  const auto s = summarize({make(Outcome::pass), u, u});
  EXPECT_EQ(s.acceptance, Acceptance::accepted);  // a non-headline figure left unjudged does not block
  EXPECT_EQ(s.counts.at("pass"), 1);
  EXPECT_EQ(s.counts.at("unjudged"), 2);
  EXPECT_EQ(s.gpu_outcomes.at(1), Outcome::unjudged);
  EXPECT_EQ(s.unjudged_metrics, std::vector<std::string>{"gemm.fp8/flops"});
  EXPECT_NE(s.headline.find("not judged: gemm.fp8/flops"), std::string::npos) << s.headline;
}

}  // namespace
}  // namespace tranche
