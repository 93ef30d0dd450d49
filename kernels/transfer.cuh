// Device code for PCIe and peer-to-peer checks: pattern fill and verify, an SM copy that writes to a peer, a
// flag-released start kernel and a pointer chase for latency (docs/methodology/membw.md, "Transfers").
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "kernels/hash.cuh"

namespace tranche::kernels {

// Word i of a transfer pattern keyed by seed: a 64-bit hash, so a shifted, repeated or stale block shows.
__host__ __device__ inline std::uint64_t pattern_word(std::uint64_t seed, std::uint64_t i) {
  return mix64(seed ^ mix64(i));
}

// p[i] = pattern_word(seed, i) for i < words (device memory of the current device, or peer-accessible memory).
cudaError_t pattern_fill(std::uint64_t* p, std::size_t words, std::uint64_t seed, cudaStream_t stream);
// Adds to *mismatches (device memory) the number of words i < words with p[i] != pattern_word(seed, i).
cudaError_t pattern_count_mismatches(const std::uint64_t* p, std::size_t words, std::uint64_t seed,
                                     unsigned long long* mismatches, cudaStream_t stream);

// Grid size for sm_copy on `device` with `threads` per block: occupancy API x SM count.
cudaError_t sm_copy_launch_config(int device, unsigned threads, unsigned* blocks);
// dst[i] = src[i] for i < bytes, by SM loads and stores (16-byte vectors, grid-stride, byte tail). dst may be a
// peer device's pointer (peer access enabled): the kernel then pushes the data over the link ("write" SM copy).
cudaError_t sm_copy(const void* src, void* dst, std::size_t bytes, unsigned blocks, unsigned threads,
                    cudaStream_t stream);

// One thread spins until *flag != 0 (host-mapped memory) or about max_ns nanoseconds pass; on timeout it sets
// *timed_out = 1. Work queued behind it on the stream starts when the host releases the flag, so several
// streams on several GPUs start together, and the GPU clock times them.
cudaError_t spin_until_flag(const volatile unsigned* flag, unsigned long long max_ns, unsigned* timed_out,
                            cudaStream_t stream);

// As spin_until_flag, but waits until *flag >= target: a counter the host raises once per sample releases every
// GPU's sample `target` together, and a late reader of an earlier sample is never left spinning on a reset flag.
cudaError_t spin_until_flag_reaches(const volatile unsigned* flag, unsigned target, unsigned long long max_ns,
                                    unsigned* timed_out, cudaStream_t stream);

// Builds a cyclic chain in `chain` (device memory, slots of stride_words 64-bit words, `links` slots):
// slot k holds the word index of slot (k + 1) % links.
cudaError_t pointer_chain_build(std::uint64_t* chain, std::size_t links, std::size_t stride_words, cudaStream_t stream);
// One thread follows the chain from index 0 for `steps` dependent loads (chain may be peer memory) and stores
// the final index in *end: it must equal ((steps % links) * stride_words), which is how the chase is verified.
cudaError_t pointer_chase(const std::uint64_t* chain, std::uint64_t steps, std::uint64_t* end, cudaStream_t stream);

}  // namespace tranche::kernels
