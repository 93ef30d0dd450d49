// Fill and verify kernels for the NCCL checks: grid-stride loops over collective_pattern.h's formula.
#include "kernels/collective_data.cuh"

namespace tranche::kernels {
namespace {

constexpr unsigned kThreads = 256;
constexpr unsigned kMaxBlocks = 4096;

unsigned blocks_for(std::uint64_t n) {
  const std::uint64_t b = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 1 ? 1 : (b > kMaxBlocks ? kMaxBlocks : b));
}

// The pattern's values are integers <= 2^24 (float) or <= 256 (bf16); such a float has a zero low half, so its
// top 16 bits are its exact bf16 encoding.
__device__ inline std::uint16_t bf16_bits(float v) { return static_cast<std::uint16_t>(__float_as_uint(v) >> 16); }
__device__ inline float from_bf16_bits(std::uint16_t b) { return __uint_as_float(static_cast<unsigned>(b) << 16); }

__global__ void fill_kernel(void* p, std::uint64_t n, std::uint64_t first, int rank, int nranks, bool bf16) {
  const std::uint64_t stride = static_cast<std::uint64_t>(gridDim.x) * blockDim.x;
  for (std::uint64_t i = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; i < n; i += stride) {
    const float v = static_cast<float>(rank_value(rank, first + i, nranks, bf16));
    if (bf16) {
      static_cast<std::uint16_t*>(p)[i] = bf16_bits(v);
    } else {
      static_cast<float*>(p)[i] = v;
    }
  }
}

__global__ void verify_kernel(const void* p, std::uint64_t n, CollectiveKind kind, int rank, std::uint64_t count,
                              int nranks, bool bf16, unsigned long long* counter) {
  unsigned long long bad = 0;
  const std::uint64_t stride = static_cast<std::uint64_t>(gridDim.x) * blockDim.x;
  for (std::uint64_t j = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; j < n; j += stride) {
    const float want = static_cast<float>(expected_value(kind, rank, j, count, nranks, bf16));
    const float got = bf16 ? from_bf16_bits(static_cast<const std::uint16_t*>(p)[j]) : static_cast<const float*>(p)[j];
    if (got != want) ++bad;
  }
  if (bad) atomicAdd(counter, bad);
}

}  // namespace

cudaError_t fill_collective_input(void* p, std::uint64_t n, std::uint64_t first_index, int rank, int nranks, bool bf16,
                                  cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  fill_kernel<<<blocks_for(n), kThreads, 0, stream>>>(p, n, first_index, rank, nranks, bf16);
  return cudaGetLastError();
}

cudaError_t count_collective_mismatches(const void* p, std::uint64_t n, CollectiveKind kind, int rank,
                                        std::uint64_t count, int nranks, bool bf16, unsigned long long* counter,
                                        cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  verify_kernel<<<blocks_for(n), kThreads, 0, stream>>>(p, n, kind, rank, count, nranks, bf16, counter);
  return cudaGetLastError();
}

}  // namespace tranche::kernels
