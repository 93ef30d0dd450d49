// Burn-in kernels: output checksum and compare, bit flip, FMA power load.
#include "kernels/burnin.cuh"
#include "kernels/memtest_pattern.h"

namespace tranche::kernels {

namespace {

constexpr unsigned long long kNone = ~0ull;

__global__ void checksum_kernel(const std::uint64_t* __restrict__ p, std::size_t n, ChecksumState* state) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  unsigned long long local = 0;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += stride) {
    local += memtest_mix(p[i] ^ memtest_mix(i));
  }
  // Warp sum, then one atomic per warp (integer addition: the total does not depend on the order).
  for (int o = 16; o > 0; o /= 2) local += __shfl_down_sync(0xFFFFFFFFu, local, o);
  if ((threadIdx.x & 31) == 0) atomicAdd(&state->sum, local);
}

__global__ void compare_kernel(ChecksumState* s) {
  if (!s->has_reference) {
    s->reference = s->sum;
    s->has_reference = 1;
  } else if (s->sum != s->reference) {
    if (s->first_bad_iteration == kNone) s->first_bad_iteration = s->iterations;
    s->last_bad_iteration = s->iterations;
    ++s->mismatches;
  }
  ++s->iterations;
  s->sum = 0;
}

__global__ void reset_kernel(ChecksumState* s) {
  *s = ChecksumState{0, 0, 0, 0, kNone, kNone, 0, 0};
}

__global__ void flip_kernel(unsigned char* p, std::size_t offset, int bit) {
  p[offset] ^= static_cast<unsigned char>(1u << bit);
}

__global__ void __launch_bounds__(256) fma_kernel(float* sink, int iterations) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  float a[8];
  for (int j = 0; j < 8; ++j) a[j] = 1.0f + 1e-7f * static_cast<float>(t + j);
  const float m = 0.9999999f, c = 1e-7f;
  for (int i = 0; i < iterations; ++i) {
#pragma unroll
    for (int j = 0; j < 8; ++j) a[j] = fmaf(a[j], m, c);
  }
  float r = 0;
  for (int j = 0; j < 8; ++j) r += a[j];
  sink[t] = r;
}

}  // namespace

cudaError_t checksum_add(const void* p, std::size_t bytes, ChecksumState* state, cudaStream_t stream) {
  if (bytes % 8 != 0) return cudaErrorInvalidValue;
  const std::size_t n = bytes / 8;
  const std::size_t want = (n + 255) / 256;
  const auto grid = static_cast<unsigned>(want < 4096 ? (want ? want : 1) : 4096);
  checksum_kernel<<<grid, 256, 0, stream>>>(static_cast<const std::uint64_t*>(p), n, state);
  return cudaGetLastError();
}

cudaError_t checksum_compare(ChecksumState* state, cudaStream_t stream) {
  compare_kernel<<<1, 1, 0, stream>>>(state);
  return cudaGetLastError();
}

cudaError_t checksum_reset(ChecksumState* state, cudaStream_t stream) {
  reset_kernel<<<1, 1, 0, stream>>>(state);
  return cudaGetLastError();
}

cudaError_t flip_bit(void* p, std::size_t offset, int bit, cudaStream_t stream) {
  if (bit < 0 || bit > 7) return cudaErrorInvalidValue;
  flip_kernel<<<1, 1, 0, stream>>>(static_cast<unsigned char*>(p), offset, bit);
  return cudaGetLastError();
}

cudaError_t fma_burn(float* sink, unsigned blocks, int iterations, cudaStream_t stream) {
  fma_kernel<<<blocks ? blocks : 1, 256, 0, stream>>>(sink, iterations);
  return cudaGetLastError();
}

}  // namespace tranche::kernels
