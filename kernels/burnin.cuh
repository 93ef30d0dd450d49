// Launchers of the burn-in kernels: the device-side comparison of each output checksum (kernels::output_checksum,
// the GEMM checks' own) with the first iteration's, the test-only bit flip, and the dense FMA kernel that draws power.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace tranche::kernels {

// Device state of the checksum comparison of one output buffer across iterations.
struct ChecksumState {
  unsigned long long sum;         // the current iteration's checksum (reset to 0 after each compare)
  unsigned long long reference;   // the first iteration's checksum
  unsigned long long iterations;  // compared so far (the first sets the reference)
  unsigned long long mismatches;  // iterations whose checksum differed from the reference
  unsigned long long first_bad_iteration;  // ~0 when none
  unsigned long long last_bad_iteration;   // ~0 when none
  unsigned int has_reference;
  unsigned int pad;
};

static_assert(std::is_standard_layout_v<ChecksumState> && offsetof(ChecksumState, sum) == 0);
// Where kernels::output_checksum adds the current iteration's checksum: state->sum, the first member (a
// standard-layout struct is pointer-interconvertible with its first member), without touching device memory.
inline unsigned long long* checksum_sum(ChecksumState* state) {
  return reinterpret_cast<unsigned long long*>(state);
}

// One thread: the first call stores sum as the reference; later calls count a mismatch when sum differs. Resets
// sum to 0. `state` starts zeroed with first/last_bad_iteration = ~0 (checksum_reset does that).
cudaError_t checksum_compare(ChecksumState* state, cudaStream_t stream);
cudaError_t checksum_reset(ChecksumState* state, cudaStream_t stream);

// TEST-ONLY fault injection: flips bit `bit` (0..7) of byte `offset` at p. Never called in a normal run.
cudaError_t flip_bit(void* p, std::size_t offset, int bit, cudaStream_t stream);

// Dense FP32 FMA chains on registers, `iterations` per thread (8 independent chains), grid = blocks x 256; writes
// one float per thread to `sink` (blocks * 256 floats) so the compiler keeps the work.
cudaError_t fma_burn(float* sink, unsigned blocks, int iterations, cudaStream_t stream);

}  // namespace tranche::kernels
