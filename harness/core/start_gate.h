// StartGate: a reusable barrier with a bounded wait, so the GPUs of a concurrent check start their timed loops
// together, and a GPU that stalls before the gate costs the others at most the gate's own wait.
#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace tranche {

// How long the GPUs at a start gate wait for a missing one, unless the check's start_gate_timeout_s says otherwise.
inline constexpr double kStartGateTimeoutS = 30.0;
inline constexpr const char* kStartGateTimeoutParam = "start_gate_timeout_s";

// What arrive_and_wait found: every remaining participant arrived; the wait ran out and this round started with
// the participants present (the absent ones are excluded from the gate); or this participant is one of those
// excluded (it arrived after a round it belonged to had started without it).
enum class GateArrival { together, timed_out, late };

// Thread-safe. Each of `participants` threads calls arrive_and_wait() at the same points, passing its own round
// counter (0 at first, advanced by the gate); a thread that stops early calls leave() so the others are not held.
class StartGate {
 public:
  explicit StartGate(int participants) : participants_(participants) {}
  // Blocks until every remaining participant has arrived (together) or `deadline` passes (timed_out: the round
  // starts with those present and the absent are excluded). Returns late at once, without waiting, when the
  // caller was excluded by an earlier round; it must not arrive again.
  GateArrival arrive_and_wait(long& round, std::chrono::steady_clock::time_point deadline);
  // This participant will not arrive again (no effect for an excluded one: it no longer counts).
  void leave(long round);
  int participants() const;

 private:
  void release_locked();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int participants_;
  int arrived_ = 0;
  long generation_ = 0;
  long timed_out_generation_ = -1;  // the last round released by a timeout
};

}  // namespace tranche
