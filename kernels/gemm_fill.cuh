// Launchers for GEMM operands: reproducible random inputs per element type, and the test-only fault injector.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

namespace tranche::kernels {

// Storage types of GEMM operands (A/B inputs and D outputs).
enum class GemmElement { f64, f32, f16, bf16, e4m3, i8, i32 };

// p[i] = scale * unit_double(seed, i), in [0, scale], rounded to nearest into the element type (E4M3 with
// saturation); for i8, the integer round(127 u), in [0, 127]. Non-negative on purpose: the products of a dot
// product do not cancel, so every output is about k/4 scale^2 and the verification bound (a multiple of the sum of
// |products|) is a small fraction of the value: a zeroed or stale element cannot hide inside it. Different seeds give
// different values. i32 is not an input type (returns cudaErrorInvalidValue).
cudaError_t fill_gemm_input(void* p, std::size_t n, GemmElement type, std::uint64_t seed, float scale,
                            cudaStream_t stream);

// Adds to *sum (device memory, zeroed by the caller) a 64-bit checksum of `bytes` bytes at d: the same bytes give the
// same sum whatever the launch configuration, so two products of one fixed algorithm on the same inputs must match.
cudaError_t output_checksum(const void* d, std::size_t bytes, unsigned long long* sum, cudaStream_t stream);

// TEST-ONLY fault injection: sets element `index` of an output buffer of `type` (f64, f32, f16, bf16 or i32) to
// `value` (rounded to the type), so the tests can prove that verification catches a wrong element. Never called in a
// normal run.
cudaError_t set_gemm_output(void* d, GemmElement type, std::size_t index, double value, cudaStream_t stream);

}  // namespace tranche::kernels
