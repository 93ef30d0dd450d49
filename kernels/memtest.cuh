// Launchers of the memtest kernels: write a pattern, verify it (optionally writing its complement in the same
// sweep), and the test-only single-word fault injector.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "kernels/memtest_pattern.h"

namespace tranche::kernels {

// p[i] = memtest_word(pattern, pass, base_index + i, seed, invert) for i < n.
cudaError_t memtest_write(std::uint64_t* p, std::size_t n, MemtestPattern pattern, std::uint32_t pass,
                          std::uint64_t base_index, std::uint64_t seed, bool invert, cudaStream_t stream);
// Compares p[i] with the pattern; each mismatch adds to log->errors and the first kMemtestMaxRecorded land in
// log->first (offset = base_index + i). With write_complement, p[i] = ~expected afterwards (moving inversions).
// `log` is device memory the caller zeroed.
cudaError_t memtest_verify(std::uint64_t* p, std::size_t n, MemtestPattern pattern, std::uint32_t pass,
                           std::uint64_t base_index, std::uint64_t seed, bool invert, bool write_complement,
                           MemtestLog* log, cudaStream_t stream);
// TEST-ONLY fault injection: flips bit 0 of p[index]. Never called in a normal run.
cudaError_t memtest_flip_word(std::uint64_t* p, std::size_t index, cudaStream_t stream);

}  // namespace tranche::kernels
