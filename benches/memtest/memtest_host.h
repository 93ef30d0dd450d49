// The memtest patterns written and checked on host memory: the reference the device kernels agree with, and
// what the unit tests run without a GPU.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "kernels/memtest_pattern.h"

namespace tranche {

struct MemtestResult {
  std::uint64_t errors = 0;
  std::vector<kernels::MemtestBadWord> first;  // at most kMemtestMaxRecorded, in address order
};

// words[i] = memtest_word(pattern, pass, base_index + i, seed, invert).
void memtest_fill_host(std::span<std::uint64_t> words, kernels::MemtestPattern pattern, std::uint32_t pass,
                       std::uint64_t base_index, std::uint64_t seed, bool invert);
// Counts the words that differ from the pattern; records the first ones (offset = base_index + i).
MemtestResult memtest_check_host(std::span<const std::uint64_t> words, kernels::MemtestPattern pattern,
                                 std::uint32_t pass, std::uint64_t base_index, std::uint64_t seed, bool invert);

// The passes a memtest check runs for its pattern: (pass, invert) steps of write then verify. walking_* run 64
// passes (the bit visits every position of every word); inversion runs each solid pattern then its complement;
// address runs the address and its complement; random runs `random_passes` seeds.
struct MemtestStep {
  std::uint32_t pass = 0;
  bool invert = false;
  bool write = true;                // write the pattern before verifying (false: verify what the last step left)
  bool verify_then_invert = false;  // moving inversions: verify the pattern and write its complement in one sweep
};
std::vector<MemtestStep> memtest_steps(kernels::MemtestPattern pattern, std::uint32_t random_passes);

}  // namespace tranche
