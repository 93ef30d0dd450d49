// NCCL's TUNING log lines parsed into algorithm, protocol and channels, summarised per run; the capture decision
// from the operator's NCCL_DEBUG* variables; NCCL_DEBUG_FILE's %h/%p expansion. Lines are NCCL's own: some
// published by NCCL users, the rest built from NCCL 2.28.9's format strings (src/enqueue.cc:741,
// src/scheduler/symmetric_sched.cc:229, src/debug.cc's prefix).
#include <gtest/gtest.h>

#include "benches/nccl/nccl_tuning_log.h"

namespace tranche::nccl {
namespace {

TEST(NcclTuningLog, ParsesTheAlgorithmLineOfEnqueue) {
  const auto t = parse_tuning_line(
      "node-01:631871:631871 [0] NCCL INFO AllReduce: 33554432 Bytes -> Algo RING proto SIMPLE channel{Lo..Hi}={0..31}");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->function, "AllReduce");
  EXPECT_EQ(t->bytes, 33554432u);
  EXPECT_EQ(t->algorithm, "RING");
  EXPECT_EQ(t->protocol, "SIMPLE");
  EXPECT_EQ(t->channels, 32);
  EXPECT_TRUE(t->kernel.empty());

  const auto one = parse_tuning_line(
      "tpgds-aihub0007:185302:185302 [0] NCCL INFO AllReduce: 4 Bytes -> Algo RING proto SIMPLE channel{Lo..Hi}={0..0}");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->bytes, 4u);
  EXPECT_EQ(one->channels, 1);
}

TEST(NcclTuningLog, ParsesOtherFunctionsAlgorithmsAndATimestampPrefix) {
  const auto b = parse_tuning_line(
      "a8dfcf10c333:1247:1247 [0] NCCL INFO Broadcast: 85711360 Bytes -> Algo RING proto SIMPLE channel{Lo..Hi}={0..3}");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->function, "Broadcast");
  EXPECT_EQ(b->channels, 4);
  // NCCL_DEBUG_TIMESTAMP_LEVELS=INFO puts "[%F %T] " first (src/debug.cc).
  const auto ts = parse_tuning_line("[2026-12-01 14:30:00] gpu-a01:4242:4242 [0] NCCL INFO ReduceScatter: 8388608 "
                                    "Bytes -> Algo NVLS proto SIMPLE channel{Lo..Hi}={0..15}");
  ASSERT_TRUE(ts);
  EXPECT_EQ(ts->function, "ReduceScatter");
  EXPECT_EQ(ts->algorithm, "NVLS");
  EXPECT_EQ(ts->channels, 16);
  // Older NCCL spelled algorithm and protocol in mixed case: kept as written.
  const auto old = parse_tuning_line(
      "hostA:12345:12345 [0] NCCL INFO AllReduce: 65536 Bytes -> Algo Tree proto LL channel{Lo..Hi}={0..1}");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->algorithm, "Tree");
  EXPECT_EQ(old->protocol, "LL");
}

TEST(NcclTuningLog, ParsesTheSymmetricKernelLine) {
  const auto t = parse_tuning_line("gpu-a01:4242:4242 [0] NCCL INFO AllReduce [Symmetric]: 1048576 Bytes -> Kernel "
                                   "AllReduce_RSxLDMC_AGxSTMC nchannels 16 nthreads 512 nWorks 1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->function, "AllReduce");
  EXPECT_EQ(t->bytes, 1048576u);
  EXPECT_EQ(t->kernel, "AllReduce_RSxLDMC_AGxSTMC");
  EXPECT_EQ(t->channels, 16);
  EXPECT_TRUE(t->algorithm.empty());
}

TEST(NcclTuningLog, RejectsEveryOtherLine) {
  for (const char* line : {
           // COLL subsystem: the call's arguments, not the choice.
           "tpgds-aihub0007:185303:185303 [1] NCCL INFO AllReduce: opCount 0 sendbuff 0x7f6713e00400 recvbuff "
           "0x7f6713e00400 count 1 datatype 7 op 0 root 0 comm 0x563d06699bf0 [nranks=16] stream 0x563d10818b20",
           "tpgds-aihub0007:185302:185302 [0] NCCL INFO misc/utils.cc:233 memory stack hunk malloc(65536)",
           "node-01:631398:631398 [0] NCCL INFO Channel 01/0 : 0[0] -> 1[1] via P2P/CUMEM",
           "\n",
           "",
           "AllReduce: 4 Bytes -> Algo RING proto SIMPLE channel{Lo..Hi}={0..0}",  // no NCCL INFO prefix
           "h:1:1 [0] NCCL INFO AllReduce: 4 Bytes -> Algo RING proto SIMPLE channel{Lo..Hi}={0..",  // cut short
           "h:1:1 [0] NCCL INFO AllReduce: 4 Bytes -> Algo RING proto SIMPLE channel{Lo..Hi}={3..1}",
           "h:1:1 [0] transport/net_ib.cc:219 NCCL WARN NET/IB : mlx5_0:1 async fatal event: local catastrophic error",
       }) {
    EXPECT_FALSE(parse_tuning_line(line)) << line;
  }
}

TEST(NcclTuningLog, LogKeepsCompleteLinesInOrderAndWarningsApart) {
  const std::string text =
      "h:1:1 [0] NCCL INFO AllGather: 1024 Bytes -> Algo RING proto LL channel{Lo..Hi}={0..1}\n"
      "h:1:1 [0] NCCL INFO misc/utils.cc:233 memory stack hunk malloc(65536)\n"
      "\nh:1:7 [0] transport/net_ib.cc:219 NCCL WARN NET/IB : mlx5_0:1 async fatal event: port error\n"
      "h:1:1 [0] NCCL INFO AllGather: 2048 Bytes -> Algo RING proto LL128 channel{Lo..Hi}={0..3}\n"
      "h:1:1 [0] NCCL INFO AllGather: 4096 Bytes -> Algo RING pro";  // NCCL still writing it
  const auto choices = parse_tuning_log(text);
  ASSERT_EQ(choices.size(), 2u);
  EXPECT_EQ(choices[0].bytes, 1024u);
  EXPECT_EQ(choices[1].protocol, "LL128");
  const auto warnings = warning_lines(text);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "NET/IB : mlx5_0:1 async fatal event: port error");
}

TEST(NcclTuningLog, SummaryIsTheMostFrequentChoiceWithTheOthersListed) {
  const std::string line_ring = "h:1:1 [0] NCCL INFO AllReduce: 8 Bytes -> Algo RING proto LL channel{Lo..Hi}={0..0}\n";
  const std::string line_tree = "h:1:1 [0] NCCL INFO AllReduce: 8 Bytes -> Algo TREE proto LL channel{Lo..Hi}={0..1}\n";
  const std::string other_fn = "h:1:1 [0] NCCL INFO Broadcast: 8 Bytes -> Algo RING proto LL channel{Lo..Hi}={0..0}\n";
  const auto choices = parse_tuning_log(line_tree + line_ring + line_ring + other_fn + line_ring);
  const auto s = summarize_choices(choices, CollectiveOp::all_reduce);
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)["algorithm"], "RING");
  EXPECT_EQ((*s)["protocol"], "LL");
  EXPECT_EQ((*s)["channels"], 1);
  EXPECT_EQ((*s)["calls"], 3);
  ASSERT_EQ((*s)["others"].size(), 1u);
  EXPECT_EQ((*s)["others"][0]["algorithm"], "TREE");
  EXPECT_EQ((*s)["others"][0]["calls"], 1);
  const auto b = summarize_choices(choices, CollectiveOp::broadcast);
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->contains("others"));
  EXPECT_FALSE(summarize_choices(choices, CollectiveOp::reduce));
  // Point-to-point: NCCL logs no algorithm, whatever the log holds.
  EXPECT_FALSE(summarize_choices(choices, CollectiveOp::alltoall));
  EXPECT_EQ(tuning_function_name(CollectiveOp::sendrecv), "");
  EXPECT_EQ(tuning_function_name(CollectiveOp::reduce_scatter), "ReduceScatter");
}

TEST(NcclTuningLog, DebugFileNameExpandsLikeNccl) {
  EXPECT_EQ(expand_debug_file_name("/tmp/nccl.%h.%p.log", "gpu-a01.rack7.example", 4242), "/tmp/nccl.gpu-a01.4242.log");
  EXPECT_EQ(expand_debug_file_name("a%%b%xc", "h", 1), "a%b%xc");
  EXPECT_EQ(expand_debug_file_name("plain", "h", 1), "plain");
}

TEST(NcclTuningLog, CaptureTurnsTheLogOnOnlyWhenTheOperatorSetNothing) {
  const auto fresh = decide_tuning_capture({}, "/tmp", "gpu-a01.x", 77);
  EXPECT_TRUE(fresh.capture);
  EXPECT_EQ(fresh.set_env.at("NCCL_DEBUG"), "INFO");
  EXPECT_EQ(fresh.set_env.at("NCCL_DEBUG_SUBSYS"), "TUNING");
  EXPECT_EQ(fresh.set_env.at("NCCL_DEBUG_FILE"), "/tmp/tranche-nccl.%h.%p.log");
  EXPECT_EQ(fresh.file, "/tmp/tranche-nccl.gpu-a01.77.log");

  const auto own = decide_tuning_capture(
      {{"NCCL_DEBUG", "info"}, {"NCCL_DEBUG_SUBSYS", "INIT,TUNING"}, {"NCCL_DEBUG_FILE", "/var/log/n.%p"}}, "/tmp", "h", 5);
  EXPECT_TRUE(own.capture);
  EXPECT_TRUE(own.set_env.empty());
  EXPECT_EQ(own.file, "/var/log/n.5");
  EXPECT_TRUE(decide_tuning_capture(
                  {{"NCCL_DEBUG", "TRACE"}, {"NCCL_DEBUG_SUBSYS", "^INIT"}, {"NCCL_DEBUG_FILE", "/f"}}, "/t", "h", 1)
                  .capture);

  const auto warn = decide_tuning_capture({{"NCCL_DEBUG", "WARN"}}, "/tmp", "h", 1);
  EXPECT_FALSE(warn.capture);
  EXPECT_NE(warn.reason.find("'WARN'"), std::string::npos) << warn.reason;
  const auto stdout_log = decide_tuning_capture({{"NCCL_DEBUG", "INFO"}, {"NCCL_DEBUG_SUBSYS", "ALL"}}, "/tmp", "h", 1);
  EXPECT_FALSE(stdout_log.capture);
  EXPECT_NE(stdout_log.reason.find("stdout"), std::string::npos) << stdout_log.reason;
  const auto no_tuning = decide_tuning_capture({{"NCCL_DEBUG", "INFO"}, {"NCCL_DEBUG_FILE", "/f"}}, "/tmp", "h", 1);
  EXPECT_FALSE(no_tuning.capture);
  EXPECT_NE(no_tuning.reason.find("TUNING"), std::string::npos) << no_tuning.reason;
  EXPECT_FALSE(decide_tuning_capture(
                   {{"NCCL_DEBUG", "INFO"}, {"NCCL_DEBUG_SUBSYS", "^TUNING"}, {"NCCL_DEBUG_FILE", "/f"}}, "/t", "h", 1)
                   .capture);
  // Only NCCL_DEBUG_SUBSYS set: NCCL_DEBUG unset means no INFO lines at all.
  EXPECT_FALSE(decide_tuning_capture({{"NCCL_DEBUG_SUBSYS", "TUNING"}}, "/tmp", "h", 1).capture);
}

}  // namespace
}  // namespace tranche::nccl
