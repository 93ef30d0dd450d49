// StartGate implementation: a generation counter releases all waiters of one round at once.
#include "harness/core/start_gate.h"

namespace tranche {

void StartGate::release_locked() {
  arrived_ = 0;
  ++generation_;
  cv_.notify_all();
}

bool StartGate::arrive_and_wait(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  const long gen = generation_;
  if (++arrived_ >= participants_) {
    release_locked();
    return true;
  }
  const bool released = cv_.wait_until(lock, deadline, [&] { return generation_ != gen; });
  if (!released) --arrived_;
  return released;
}

void StartGate::leave() {
  std::lock_guard lock(mu_);
  --participants_;
  if (participants_ > 0 && arrived_ >= participants_) release_locked();
}

int StartGate::participants() const {
  std::lock_guard lock(mu_);
  return participants_;
}

}  // namespace tranche
