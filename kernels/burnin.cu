// Burn-in kernels: checksum comparison with the first product's, bit flip, FMA power load.
#include "kernels/burnin.cuh"

namespace tranche::kernels {

namespace {

constexpr unsigned long long kNone = ~0ull;

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
