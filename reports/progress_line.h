// Progress lines of a run, made from the runner's event stream (check_end events), so they print the same
// whether checks run in this process or in a worker that streams its events back.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace tranche {

// "[  3/24] gemm.bf16       GPU 2  ok     795.0 TFLOP/s   12.5 s" for a check_end event; nullopt for any other
// event. `done` counts finished checks including this one; `total` is the planned number (0 = unknown).
// The status is the measurement's (ok, skipped, error with its id); judging comes after the run. The GPU is named
// by gpu_index[CUDA ordinal] (nvidia-smi's index) when the map has it.
std::optional<std::string> progress_line(const nlohmann::json& event, int done, int total,
                                         const std::map<int, int>& gpu_index = {});

}  // namespace tranche
