// Host fill and check of the memtest patterns.
#include "benches/memtest/memtest_host.h"

namespace tranche {

using kernels::MemtestPattern;

void memtest_fill_host(std::span<std::uint64_t> words, MemtestPattern pattern, std::uint32_t pass,
                       std::uint64_t base_index, std::uint64_t seed, bool invert) {
  for (std::size_t i = 0; i < words.size(); ++i) words[i] = kernels::memtest_word(pattern, pass, base_index + i, seed, invert);
}

MemtestResult memtest_check_host(std::span<const std::uint64_t> words, MemtestPattern pattern, std::uint32_t pass,
                                 std::uint64_t base_index, std::uint64_t seed, bool invert) {
  MemtestResult r;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::uint64_t want = kernels::memtest_word(pattern, pass, base_index + i, seed, invert);
    if (words[i] == want) continue;
    ++r.errors;
    if (r.first.size() < static_cast<std::size_t>(kernels::kMemtestMaxRecorded)) {
      r.first.push_back({base_index + i, want, words[i]});
    }
  }
  return r;
}

std::vector<MemtestStep> memtest_steps(MemtestPattern pattern, std::uint32_t random_passes) {
  std::vector<MemtestStep> out;
  switch (pattern) {
    case MemtestPattern::walking_ones:
    case MemtestPattern::walking_zeros:
      for (std::uint32_t p = 0; p < 64; ++p) out.push_back({p, false, true, false});
      break;
    case MemtestPattern::inversion:
      // Write p; then verify p while writing ~p; then verify ~p (the step after a verify_then_invert).
      for (std::uint32_t p = 0; p < 4; ++p) {
        out.push_back({p, false, true, true});
        out.push_back({p, true, false, false});
      }
      break;
    case MemtestPattern::address:
      out.push_back({0, false, true, false});
      out.push_back({1, false, true, false});
      break;
    case MemtestPattern::random:
      for (std::uint32_t p = 0; p < random_passes; ++p) out.push_back({p, false, true, false});
      break;
  }
  return out;
}

}  // namespace tranche
