// Memtest kernels: grid-stride pattern writes and verifies over 64-bit words.
#include "kernels/memtest.cuh"

namespace tranche::kernels {

namespace {

unsigned grid_for(std::size_t n) {
  const std::size_t want = (n + 255) / 256;
  return static_cast<unsigned>(want < 65535 * 8 ? (want ? want : 1) : 65535 * 8);
}

__global__ void write_kernel(std::uint64_t* p, std::size_t n, MemtestPattern pattern, std::uint32_t pass,
                             std::uint64_t base, std::uint64_t seed, bool invert) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += stride) {
    p[i] = memtest_word(pattern, pass, base + i, seed, invert);
  }
}

__global__ void verify_kernel(std::uint64_t* p, std::size_t n, MemtestPattern pattern, std::uint32_t pass,
                              std::uint64_t base, std::uint64_t seed, bool invert, bool write_complement,
                              MemtestLog* log) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += stride) {
    const std::uint64_t want = memtest_word(pattern, pass, base + i, seed, invert);
    const std::uint64_t got = p[i];
    if (got != want) {
      atomicAdd(&log->errors, 1ull);
      const unsigned slot = atomicAdd(&log->recorded, 1u);
      if (slot < static_cast<unsigned>(kMemtestMaxRecorded)) log->first[slot] = MemtestBadWord{base + i, want, got};
    }
    if (write_complement) p[i] = ~want;
  }
}

__global__ void flip_kernel(std::uint64_t* p, std::size_t index) { p[index] ^= 1ull; }

}  // namespace

cudaError_t memtest_write(std::uint64_t* p, std::size_t n, MemtestPattern pattern, std::uint32_t pass,
                          std::uint64_t base_index, std::uint64_t seed, bool invert, cudaStream_t stream) {
  write_kernel<<<grid_for(n), 256, 0, stream>>>(p, n, pattern, pass, base_index, seed, invert);
  return cudaGetLastError();
}

cudaError_t memtest_verify(std::uint64_t* p, std::size_t n, MemtestPattern pattern, std::uint32_t pass,
                           std::uint64_t base_index, std::uint64_t seed, bool invert, bool write_complement,
                           MemtestLog* log, cudaStream_t stream) {
  verify_kernel<<<grid_for(n), 256, 0, stream>>>(p, n, pattern, pass, base_index, seed, invert, write_complement,
                                                 log);
  return cudaGetLastError();
}

cudaError_t memtest_flip_word(std::uint64_t* p, std::size_t index, cudaStream_t stream) {
  flip_kernel<<<1, 1, 0, stream>>>(p, index);
  return cudaGetLastError();
}

}  // namespace tranche::kernels
