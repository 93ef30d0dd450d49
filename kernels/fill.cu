// Grid-stride fill kernels.
#include "kernels/fill.cuh"
#include "kernels/hash.cuh"

namespace tranche::kernels {

namespace {
template <class T>
__global__ void fill_uniform_kernel(T* p, std::size_t n, std::uint64_t seed, T lo, T hi) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += stride) {
    p[i] = lo + (hi - lo) * static_cast<T>(unit_double(seed, i));
  }
}

template <class T>
__global__ void fill_constant_kernel(T* p, std::size_t n, T value) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += stride) p[i] = value;
}

unsigned grid_for(std::size_t n, unsigned block) {
  const std::size_t want = (n + block - 1) / block;
  return static_cast<unsigned>(want < 65535 * 8 ? (want ? want : 1) : 65535 * 8);
}
}  // namespace

cudaError_t fill_uniform_f32(float* p, std::size_t n, std::uint64_t seed, float lo, float hi, cudaStream_t stream) {
  fill_uniform_kernel<float><<<grid_for(n, 256), 256, 0, stream>>>(p, n, seed, lo, hi);
  return cudaGetLastError();
}

cudaError_t fill_uniform_f64(double* p, std::size_t n, std::uint64_t seed, double lo, double hi, cudaStream_t stream) {
  fill_uniform_kernel<double><<<grid_for(n, 256), 256, 0, stream>>>(p, n, seed, lo, hi);
  return cudaGetLastError();
}

cudaError_t fill_constant_f32(float* p, std::size_t n, float value, cudaStream_t stream) {
  fill_constant_kernel<float><<<grid_for(n, 256), 256, 0, stream>>>(p, n, value);
  return cudaGetLastError();
}

}  // namespace tranche::kernels
