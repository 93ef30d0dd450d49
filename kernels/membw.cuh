// STREAM kernels (copy, scale, add, triad, read, write) on double with 16-byte double2 accesses, grid-stride loops
// and a scalar tail, plus the closed-form element values they are verified against (docs/methodology/membw.md).
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "kernels/hash.cuh"

namespace tranche::kernels {

// Which STREAM kernel. Arrays touched per element: copy c=a (2), scale b=s*c (2), add c=a+b (3),
// triad a=b+s*c (3), read sum(a) (1), write a=v (1).
enum class StreamKernel { copy, scale, add, triad, read, write };

// Inputs are per-element integers in [1, 65536] from hash.cuh, so every result (s*x, x+y, x+s*y and any sum of
// fewer than 2^37 elements) is exact in binary64 whatever the order: verification compares for equality.
constexpr std::uint64_t kStreamSeedA = 0xA5A5A5A5ull;
constexpr std::uint64_t kStreamSeedB = 0x5B5B5B5Bull;
constexpr std::uint64_t kStreamSeedC = 0xC3C3C3C3ull;
constexpr double kStreamScalar = 3.0;
constexpr double kStreamWriteValue = -1.5;  // never equal to an input value, so an unwritten element shows

__host__ __device__ inline double stream_input(std::uint64_t seed, std::uint64_t i) {
  return static_cast<double>(1 + (mix64(seed ^ mix64(i)) >> 48));
}

// The value the output array of `k` must hold at element i after one launch on freshly initialised arrays.
// For read the output is the sum, see stream_expected_sum; this returns the read input value.
__host__ __device__ inline double stream_expected(StreamKernel k, std::uint64_t i) {
  const double a = stream_input(kStreamSeedA, i), b = stream_input(kStreamSeedB, i), c = stream_input(kStreamSeedC, i);
  switch (k) {
    case StreamKernel::copy: return a;
    case StreamKernel::scale: return kStreamScalar * c;
    case StreamKernel::add: return a + b;
    case StreamKernel::triad: return b + kStreamScalar * c;
    case StreamKernel::read: return a;
    case StreamKernel::write: return kStreamWriteValue;
  }
  return 0.0;
}

struct StreamLaunch {
  unsigned blocks = 0;   // grid size: resident blocks per SM (occupancy API) x SM count
  unsigned threads = 0;  // block size
};

// Launch configuration for kernel `k` on `device`: cudaOccupancyMaxActiveBlocksPerMultiprocessor for `threads`
// (a multiple of 32, at most 1024) times the SM count, so every SM is full and the grid-stride loop covers the rest.
cudaError_t stream_launch_config(StreamKernel k, int device, unsigned threads, StreamLaunch* out);

// Sets a[i], b[i], c[i] to stream_input(kStreamSeedA/B/C, i) for i < n (not timed); null arrays are skipped.
cudaError_t stream_init(double* a, double* b, double* c, std::size_t n, cudaStream_t stream);

// Independent 16-byte loads each thread issues before its stores in the STREAM kernels' main loop.
constexpr int kStreamLoadsInFlight = 4;

// One launch of `k` over n elements (any n; arrays from cudaMalloc, 16-byte aligned). Which arrays are read and
// written follows the enum comment. For read, this is pass 1 only: `partials` (launch.blocks doubles) receives the
// per-block sums; stream_read_total adds them. Unused pointers may be null.
cudaError_t stream_run(StreamKernel k, double* a, double* b, double* c, std::size_t n, double* partials,
                       const StreamLaunch& launch, cudaStream_t stream);

// Pass 2 of read, outside the timed loop: *sum (device memory) = the sum of partials[0..count).
cudaError_t stream_read_total(const double* partials, unsigned count, double* sum, cudaStream_t stream);

// Adds to *mismatches (device memory) the number of elements i < n of `out` differing from
// stream_expected(k, i). Precondition: k != read.
cudaError_t stream_count_mismatches(StreamKernel k, const double* out, std::size_t n, unsigned long long* mismatches,
                                    cudaStream_t stream);

// Adds to *sum_out (device memory, zeroed by the caller) the sum of stream_input(kStreamSeedA, i) for i < n,
// in 64-bit integers computed from the hash, not from memory: the closed-form reference for read.
cudaError_t stream_expected_sum(std::size_t n, unsigned long long* sum_out, cudaStream_t stream);

}  // namespace tranche::kernels
