// Launchers that fill device buffers with reproducible random values (never zeros) or a constant.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

namespace tranche::kernels {

// p[i] = lo + (hi - lo) * unit_double(seed, i), for i < n. Returns the launch status.
cudaError_t fill_uniform_f32(float* p, std::size_t n, std::uint64_t seed, float lo, float hi, cudaStream_t stream);
cudaError_t fill_uniform_f64(double* p, std::size_t n, std::uint64_t seed, double lo, double hi, cudaStream_t stream);
// p[i] = value.
cudaError_t fill_constant_f32(float* p, std::size_t n, float value, cudaStream_t stream);

}  // namespace tranche::kernels
