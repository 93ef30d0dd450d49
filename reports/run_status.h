// The live status of a run, made from its event stream: which check is running on which GPUs, the time since the
// run started and the estimated time left, for the status line `tranche run` keeps at the bottom of a terminal.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace tranche {

// Feed every event of the run in order; ask for the line at any time. Not thread-safe (the caller locks).
class RunStatus {
 public:
  // now_s: seconds on a monotonic clock, the same clock for every call. run_start reads "measurements",
  // "estimated_s", "estimates" ({check: seconds}) and "gpu_index" ({CUDA ordinal: nvidia-smi index}).
  void on_event(const nlohmann::json& event, double now_s);

  // "[ 3/24] gemm.bf16 on GPU 0-7 | 1m23s elapsed | about 9m40s left" (no more than `width` characters); "" before
  // run_start. Time left: the estimates of the checks not yet finished, less the time the running ones have had
  // (each at most its own estimate); "estimate exceeded" once the run is past all of them.
  std::string line(double now_s, std::size_t width = 100) const;

  // The index nvidia-smi shows for a CUDA ordinal (the ordinal itself when the run did not say).
  int gpu_label(int cuda_ordinal) const;
  const std::map<int, int>& gpu_index() const { return gpu_index_; }
  int done() const { return done_; }
  int total() const { return total_; }

 private:
  struct Running {
    double since_s = 0;
    std::set<int> gpus;  // nvidia-smi indices; empty for a node-scoped check
    int open = 0;        // check_start without its check_end yet
  };
  bool started_ = false;
  double start_s_ = 0;
  int done_ = 0, total_ = 0;
  double estimated_total_s_ = 0;
  std::map<std::string, double> estimate_s_;
  std::set<std::string> finished_;
  std::map<std::string, Running> running_;
  std::map<int, int> gpu_index_;
};

// "0-3,6" for {0,1,2,3,6}.
std::string gpu_ranges(const std::set<int>& gpus);

}  // namespace tranche
