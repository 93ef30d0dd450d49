// Counter-based pseudo-random numbers for device code: element i of a buffer gets value f(seed, i), so a host
// reference can recompute any element without copying the buffer back.
#pragma once
#include <cstdint>

namespace tranche::kernels {

// splitmix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mix with good avalanche.
__host__ __device__ inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Uniform in [0, 1) from the top 53 bits of mix64(seed ^ mix64(i)).
__host__ __device__ inline double unit_double(std::uint64_t seed, std::uint64_t i) {
  return static_cast<double>(mix64(seed ^ mix64(i)) >> 11) * (1.0 / 9007199254740992.0);
}

}  // namespace tranche::kernels
