// Launchers for GEMM operands: reproducible random inputs per element type, and the test-only fault injector.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

namespace tranche::kernels {

// Storage types of GEMM operands (A/B inputs and D outputs).
enum class GemmElement { f64, f32, f16, bf16, e4m3, i8, i32 };

// p[i] = lo + (hi - lo) * unit_double(seed, i) with lo = -scale, hi = +scale, rounded to nearest into the element
// type (E4M3 with saturation); for i8, the integer round(127 * (2u - 1)), in [-127, 127]. The values are uniform,
// not all zero, and different for different seeds. i32 is not an input type (returns cudaErrorInvalidValue).
cudaError_t fill_gemm_input(void* p, std::size_t n, GemmElement type, std::uint64_t seed, float scale,
                            cudaStream_t stream);

// TEST-ONLY fault injection: adds `delta` to element `index` of an output buffer of `type` (f64, f32, f16, bf16 or
// i32), so the tests can prove that verification catches a wrong element. Never called in a normal run.
cudaError_t plant_gemm_error(void* d, GemmElement type, std::size_t index, double delta, cudaStream_t stream);

}  // namespace tranche::kernels
