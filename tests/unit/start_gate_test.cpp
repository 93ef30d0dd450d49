// The start gate's own bounded wait: a GPU that stalls before the gate costs the others at most the gate's
// timeout, not the check deadline, and only the late GPU errors (fake GPUs are threads; no device).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "harness/core/check.h"
#include "harness/core/start_gate.h"

namespace tranche {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

TEST(StartGateRounds, AllArriveTogether) {
  StartGate gate(3);
  std::vector<GateArrival> got(3);
  std::vector<std::thread> gpus;
  for (int i = 0; i < 3; ++i) {
    gpus.emplace_back([&, i] {
      long round = 0;
      got[i] = gate.arrive_and_wait(round, Clock::now() + std::chrono::seconds(10));
      EXPECT_EQ(round, 1);
    });
  }
  for (auto& t : gpus) t.join();
  for (GateArrival a : got) EXPECT_EQ(a, GateArrival::together);
}

TEST(StartGateRounds, StalledGpuIsExcludedAndTheOthersGoOnTogether) {
  StartGate gate(3);
  long r0 = 0, r1 = 0, stalled = 0;
  GateArrival a0{}, a1{};
  std::thread g0([&] { a0 = gate.arrive_and_wait(r0, Clock::now() + milliseconds(50)); });
  std::thread g1([&] { a1 = gate.arrive_and_wait(r1, Clock::now() + milliseconds(50)); });
  g0.join();
  g1.join();
  EXPECT_EQ(a0, GateArrival::timed_out);
  EXPECT_EQ(a1, GateArrival::timed_out);
  EXPECT_EQ(gate.participants(), 2);
  // The stalled GPU arrives after its round started: it is late, at once, and does not wait.
  const auto t0 = Clock::now();
  EXPECT_EQ(gate.arrive_and_wait(stalled, Clock::now() + std::chrono::seconds(10)), GateArrival::late);
  EXPECT_LT(Clock::now() - t0, milliseconds(500));
  gate.leave(stalled);  // an excluded GPU no longer counts: this must not release anyone early
  EXPECT_EQ(gate.participants(), 2);
  // The next round of the two remaining GPUs completes without waiting for the excluded one.
  std::thread g2([&] { a0 = gate.arrive_and_wait(r0, Clock::now() + std::chrono::seconds(10)); });
  a1 = gate.arrive_and_wait(r1, Clock::now() + std::chrono::seconds(10));
  g2.join();
  EXPECT_EQ(a0, GateArrival::together);
  EXPECT_EQ(a1, GateArrival::together);
}

// Three fake GPUs through RunContext: GPU 2 stalls longer than start_gate_timeout_s. GPUs 0 and 1 wait only the
// gate's 0.1 s (not their 30 s deadline) and start; GPU 2 gets E_START_GATE_TIMEOUT naming it.
TEST(StartGateRunContext, OnlyTheLateGpuErrorsAndTheOthersKeepTheirBudget) {
  const SystemInfo system;
  StartGate gate(3);
  const nlohmann::json params = {{kStartGateTimeoutParam, 0.1}};
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  std::vector<bool> together(3, true);
  std::vector<double> waited(3, 0.0);
  std::atomic<int> late_errors{0};
  std::vector<std::thread> gpus;
  for (int g = 0; g < 3; ++g) {
    gpus.emplace_back([&, g] {
      RunContext ctx(system, g, {0, 1, 2}, params, deadline, &gate);
      if (g == 2) std::this_thread::sleep_for(milliseconds(400));
      const auto t0 = Clock::now();
      try {
        together[g] = ctx.sync_start();
      } catch (const GpuError& e) {
        EXPECT_EQ(g, 2);
        EXPECT_EQ(e.info().id, "E_START_GATE_TIMEOUT");
        EXPECT_EQ(e.info().gpu, 2);
        ++late_errors;
      }
      waited[g] = std::chrono::duration<double>(Clock::now() - t0).count();
      ctx.leave_gate();
    });
  }
  for (auto& t : gpus) t.join();
  EXPECT_EQ(late_errors.load(), 1);
  EXPECT_FALSE(together[0]);
  EXPECT_FALSE(together[1]);
  EXPECT_LT(waited[0], 0.35);
  EXPECT_LT(waited[1], 0.35);
  EXPECT_LT(waited[2], 0.1);
  EXPECT_GT(std::chrono::duration<double>(deadline - Clock::now()).count(), 29.0);
}

TEST(StartGateRunContext, DefaultAndInvalidTimeouts) {
  const SystemInfo system;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  EXPECT_EQ(RunContext(system, 0, {0}, nlohmann::json::object(), deadline).start_gate_timeout_s(), kStartGateTimeoutS);
  EXPECT_EQ(RunContext(system, 0, {0}, {{kStartGateTimeoutParam, 5.0}}, deadline).start_gate_timeout_s(), 5.0);
  EXPECT_THROW(RunContext(system, 0, {0}, {{kStartGateTimeoutParam, 0.0}}, deadline).start_gate_timeout_s(),
               InputError);
  EXPECT_EQ(start_gate_timeout_param().name, kStartGateTimeoutParam);
  EXPECT_EQ(start_gate_timeout_param().default_value.get<double>(), kStartGateTimeoutS);
}

}  // namespace
}  // namespace tranche
