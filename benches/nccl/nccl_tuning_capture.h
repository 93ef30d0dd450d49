// The TUNING log of this process's NCCL: turned on once before NCCL's first use (decide_tuning_capture), then read
// piece by piece, so each size of a sweep gets the algorithm and protocol NCCL chose for its own calls.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "benches/nccl/nccl_tuning_log.h"

namespace tranche::nccl {

class TuningCapture {
 public:
  // The process's capture, set up on first call: records the operator's NCCL_* variables, then sets the ones the
  // plan names (setenv) and removes tranche's own log file at exit. Call before NCCL is first used in the process
  // (NCCL reads NCCL_DEBUG* once); later calls return the same object. Not thread-safe after set-up: the NCCL
  // checks are node-scoped and run one at a time.
  static TuningCapture& process();

  const TuningCapturePlan& plan() const { return plan_; }
  // NCCL_* as the operator set them, before tranche added its own.
  const std::map<std::string, std::string>& operator_environment() const { return operator_env_; }

  struct Piece {
    std::vector<TuningChoice> choices;
    std::vector<std::string> warnings;
  };
  // The complete lines NCCL wrote since the last call (none when not capturing or the file does not exist yet).
  Piece take_new();

 private:
  TuningCapture();
  TuningCapturePlan plan_;
  std::map<std::string, std::string> operator_env_;
  std::uint64_t offset_ = 0;
};

}  // namespace tranche::nccl
