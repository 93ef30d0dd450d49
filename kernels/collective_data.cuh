// Launchers that fill NCCL checks' send buffers and count wrong elements in their receive buffers, on the device,
// with the values of kernels/collective_pattern.h (float or bf16).
#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>

#include "kernels/collective_pattern.h"

namespace tranche::kernels {

// p[i] = rank_value(rank, first_index + i, nranks, bf16) for i < n, stored as float or as bf16 bits.
cudaError_t fill_collective_input(void* p, std::uint64_t n, std::uint64_t first_index, int rank, int nranks, bool bf16,
                                  cudaStream_t stream);

// Adds to *counter (device memory) the number of j < n with p[j] != expected_value(kind, rank, j, count, nranks,
// bf16). Returns the launch status.
cudaError_t count_collective_mismatches(const void* p, std::uint64_t n, CollectiveKind kind, int rank,
                                        std::uint64_t count, int nranks, bool bf16, unsigned long long* counter,
                                        cudaStream_t stream);

}  // namespace tranche::kernels
