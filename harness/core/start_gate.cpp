// StartGate implementation: a generation counter releases all waiters of one round at once; a participant whose
// round counter is behind the generation missed a round and is excluded.
#include "harness/core/start_gate.h"

namespace tranche {

void StartGate::release_locked() {
  arrived_ = 0;
  ++generation_;
  cv_.notify_all();
}

GateArrival StartGate::arrive_and_wait(long& round, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  if (round < generation_) return GateArrival::late;
  const long gen = generation_;
  round = gen + 1;
  if (++arrived_ >= participants_) {
    release_locked();
    return GateArrival::together;
  }
  if (!cv_.wait_until(lock, deadline, [&] { return generation_ != gen; })) {
    // Start this round with the participants present; the absent no longer count, here or in later rounds.
    participants_ = arrived_;
    timed_out_generation_ = gen;
    release_locked();
  }
  return timed_out_generation_ == gen ? GateArrival::timed_out : GateArrival::together;
}

void StartGate::leave(long round) {
  std::lock_guard lock(mu_);
  if (round < generation_) return;  // excluded by a timed-out round: already not counted
  --participants_;
  if (participants_ > 0 && arrived_ >= participants_) release_locked();
}

int StartGate::participants() const {
  std::lock_guard lock(mu_);
  return participants_;
}

}  // namespace tranche
