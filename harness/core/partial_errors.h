// Per-GPU and per-pair isolation inside a node-scoped check: one GPU's or one pair's failure is recorded as an
// error entry of that GPU (and peer) and the others still measure; a GPU with a sticky error is skipped after.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/errors.h"
#include "harness/core/measurement.h"

namespace tranche {

// The error entries a node-scoped check recorded in details["errors"] (each an ErrorInfo object, plus "peer" for
// a pair), in order. Empty when there are none. Throws InputError for a malformed entry (a report read back).
std::vector<ErrorInfo> partial_errors(const Measurement& m);

// Runs the per-GPU and per-pair steps of one node-scoped check. Not thread-safe: call from one thread, or guard.
class GpuIsolation {
 public:
  // Runs `step` for `gpu` (and `peer` for a pair step) unless one of them is dead; a GpuError it throws becomes an
  // error entry naming the GPU (and peer) and, when sticky, marks the GPU that failed dead: the error's own gpu when
  // it is one of the two, else `gpu`. Returns true when the step completed. InputError and other exceptions pass.
  bool attempt(int gpu, std::optional<int> peer, const std::function<void()>& step);
  // Why `gpu` is not measured any more (its sticky error), or nullopt.
  std::optional<std::string> dead_reason(int gpu) const;
  const std::vector<ErrorInfo>& errors() const { return errors_; }
  // Writes details["errors"] (one entry per failed step) and details["skipped"] (steps not run: gpu, peer, reason).
  void write(Measurement& m) const;

 private:
  struct Skip {
    int gpu;
    std::optional<int> peer;
    std::string reason;
  };
  std::vector<ErrorInfo> errors_;
  std::vector<std::optional<int>> peers_;  // parallel to errors_
  std::vector<Skip> skipped_;
  std::map<int, std::string> dead_;
};

}  // namespace tranche
