// GEMM operand fill kernels (grid-stride) and the single-thread fault injector used only by tests.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include "kernels/gemm_fill.cuh"
#include "kernels/hash.cuh"

namespace tranche::kernels {

namespace {

template <class T>
__device__ T convert_from_float(float x);
template <>
__device__ float convert_from_float<float>(float x) {
  return x;
}
template <>
__device__ __half convert_from_float<__half>(float x) {
  return __float2half_rn(x);
}
template <>
__device__ __nv_bfloat16 convert_from_float<__nv_bfloat16>(float x) {
  return __float2bfloat16_rn(x);
}
template <>
__device__ __nv_fp8_e4m3 convert_from_float<__nv_fp8_e4m3>(float x) {
  return __nv_fp8_e4m3(x);  // round to nearest even, saturating to +-448
}

template <class T>
__global__ void fill_float_kernel(T* p, std::size_t n, std::uint64_t seed, float scale) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += stride) {
    // f64 keeps all 53 random bits; the others go through float, as the host decoder expects the stored value.
    if constexpr (sizeof(T) == 8) {
      p[i] = static_cast<double>(scale) * (2.0 * unit_double(seed, i) - 1.0);
    } else {
      p[i] = convert_from_float<T>(scale * static_cast<float>(2.0 * unit_double(seed, i) - 1.0));
    }
  }
}

__global__ void fill_i8_kernel(std::int8_t* p, std::size_t n, std::uint64_t seed) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += stride) {
    p[i] = static_cast<std::int8_t>(__double2int_rn(127.0 * (2.0 * unit_double(seed, i) - 1.0)));
  }
}

unsigned grid_for(std::size_t n, unsigned block) {
  const std::size_t want = (n + block - 1) / block;
  return static_cast<unsigned>(want < 65535 * 8 ? (want ? want : 1) : 65535 * 8);
}

template <class T>
cudaError_t launch_float(void* p, std::size_t n, std::uint64_t seed, float scale, cudaStream_t stream) {
  fill_float_kernel<T><<<grid_for(n, 256), 256, 0, stream>>>(static_cast<T*>(p), n, seed, scale);
  return cudaGetLastError();
}

template <class T>
__global__ void add_float_kernel(T* d, std::size_t index, double delta) {
  d[index] = static_cast<T>(static_cast<float>(d[index]) + static_cast<float>(delta));
}
template <>
__global__ void add_float_kernel<double>(double* d, std::size_t index, double delta) {
  d[index] += delta;
}

__global__ void add_i32_kernel(std::int32_t* d, std::size_t index, double delta) {
  // Unsigned arithmetic: wraps instead of overflowing, and any non-zero delta still changes the value.
  const auto u = static_cast<std::uint32_t>(d[index]) + static_cast<std::uint32_t>(static_cast<std::int64_t>(delta));
  d[index] = static_cast<std::int32_t>(u);
}

}  // namespace

cudaError_t fill_gemm_input(void* p, std::size_t n, GemmElement type, std::uint64_t seed, float scale,
                            cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  switch (type) {
    case GemmElement::f64: return launch_float<double>(p, n, seed, scale, stream);
    case GemmElement::f32: return launch_float<float>(p, n, seed, scale, stream);
    case GemmElement::f16: return launch_float<__half>(p, n, seed, scale, stream);
    case GemmElement::bf16: return launch_float<__nv_bfloat16>(p, n, seed, scale, stream);
    case GemmElement::e4m3: return launch_float<__nv_fp8_e4m3>(p, n, seed, scale, stream);
    case GemmElement::i8:
      fill_i8_kernel<<<grid_for(n, 256), 256, 0, stream>>>(static_cast<std::int8_t*>(p), n, seed);
      return cudaGetLastError();
    case GemmElement::i32: break;
  }
  return cudaErrorInvalidValue;
}

cudaError_t plant_gemm_error(void* d, GemmElement type, std::size_t index, double delta, cudaStream_t stream) {
  switch (type) {
    case GemmElement::f64: add_float_kernel<double><<<1, 1, 0, stream>>>(static_cast<double*>(d), index, delta); break;
    case GemmElement::f32: add_float_kernel<float><<<1, 1, 0, stream>>>(static_cast<float*>(d), index, delta); break;
    case GemmElement::f16: add_float_kernel<__half><<<1, 1, 0, stream>>>(static_cast<__half*>(d), index, delta); break;
    case GemmElement::bf16:
      add_float_kernel<__nv_bfloat16><<<1, 1, 0, stream>>>(static_cast<__nv_bfloat16*>(d), index, delta);
      break;
    case GemmElement::i32: add_i32_kernel<<<1, 1, 0, stream>>>(static_cast<std::int32_t*>(d), index, delta); break;
    default: return cudaErrorInvalidValue;
  }
  return cudaGetLastError();
}

}  // namespace tranche::kernels
