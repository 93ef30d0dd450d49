// "Did you mean ...?": the names nearest to a mistyped one, for unknown checks, parameters and subcommands.
#pragma once
#include <string>
#include <vector>

namespace tranche {

// The names of `known` nearest to `word` (adjacent swaps count as one edit; several only when equally near),
// within a small edit distance, at most `limit`. Empty when nothing is close: the caller then points to the full list instead.
std::vector<std::string> nearest_names(const std::string& word, const std::vector<std::string>& known,
                                       size_t limit = 3);

// "; did you mean gemm.bf16?" / "; did you mean a, b or c?" / "" when `nearest` is empty.
std::string did_you_mean(const std::vector<std::string>& nearest);

}  // namespace tranche
