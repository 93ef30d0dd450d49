// The memtest patterns: the value each 64-bit word must hold, one function shared by the device kernels and the
// host checker (tests run the host side on host memory). Plain C++ when not compiled by nvcc.
#pragma once
#include <cstdint>

namespace tranche::kernels {

// walking_ones: one set bit that walks through the word with the index and the pass; walking_zeros: its
// complement. inversion: a solid pass pattern (moving inversions writes it, then its complement). address:
// the word's own index (address in address; odd passes complemented). random: mix64 of the seed, pass and index.
enum class MemtestPattern : std::uint32_t { walking_ones = 0, walking_zeros, inversion, address, random };

#if defined(__CUDACC__)
#define TRANCHE_HD __host__ __device__
#else
#define TRANCHE_HD
#endif

// MurmurHash3's 64-bit finaliser (Appleby, public domain): a bijective mix, so distinct indices never collide.
TRANCHE_HD inline std::uint64_t memtest_mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  return x ^ (x >> 33);
}

// Solid patterns for moving inversions, one per pass (cycled): zeros, ones, checkerboards, and bytes 0x0F.
TRANCHE_HD inline std::uint64_t inversion_base(std::uint32_t pass) {
  switch (pass % 4) {
    case 0: return 0x0000000000000000ull;
    case 1: return 0x5555555555555555ull;
    case 2: return 0x3333333333333333ull;
    default: return 0x0F0F0F0F0F0F0F0Full;
  }
}

// The word at global word index `index` for `pattern` in pass `pass`; `invert` complements it (the second half of
// moving inversions).
TRANCHE_HD inline std::uint64_t memtest_word(MemtestPattern pattern, std::uint32_t pass, std::uint64_t index,
                                             std::uint64_t seed, bool invert) {
  std::uint64_t w = 0;
  switch (pattern) {
    case MemtestPattern::walking_ones: w = 1ull << ((index + pass) % 64); break;
    case MemtestPattern::walking_zeros: w = ~(1ull << ((index + pass) % 64)); break;
    case MemtestPattern::inversion: w = inversion_base(pass); break;
    case MemtestPattern::address: w = (pass % 2) ? ~index : index; break;
    case MemtestPattern::random: w = memtest_mix(seed ^ memtest_mix(index + (static_cast<std::uint64_t>(pass) << 48))); break;
  }
  return invert ? ~w : w;
}

// A bad word: where (word offset from the start of the tested region), what should be there and what was read.
struct MemtestBadWord {
  std::uint64_t offset;
  std::uint64_t expected;
  std::uint64_t got;
};

inline constexpr int kMemtestMaxRecorded = 16;

// The device-side error log of one verify pass: total errors and the first kMemtestMaxRecorded bad words (in the
// order the GPU found them, which is not address order).
struct MemtestLog {
  unsigned long long errors;
  unsigned int recorded;
  unsigned int pad;
  MemtestBadWord first[kMemtestMaxRecorded];
};

}  // namespace tranche::kernels
