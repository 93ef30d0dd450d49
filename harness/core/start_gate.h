// StartGate: a reusable barrier with a deadline, so the GPUs of a concurrent check start their timed loops
// together, and a GPU that fails before the gate does not hang the others.
#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace tranche {

// Thread-safe. Each of `participants` threads calls arrive_and_wait() at the same points; a thread that stops
// early calls leave() so the others are not held. Generations make the gate reusable.
class StartGate {
 public:
  explicit StartGate(int participants) : participants_(participants) {}
  // Blocks until every remaining participant has arrived or `deadline` passes. Returns false on timeout.
  bool arrive_and_wait(std::chrono::steady_clock::time_point deadline);
  // This participant will not arrive again.
  void leave();
  int participants() const;

 private:
  void release_locked();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int participants_;
  int arrived_ = 0;
  long generation_ = 0;
};

}  // namespace tranche
