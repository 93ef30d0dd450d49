// GEMM operand fill kernels (grid-stride), the output checksum, and the single-thread fault injector for tests.
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
      p[i] = static_cast<double>(scale) * unit_double(seed, i);
    } else {
      p[i] = convert_from_float<T>(scale * static_cast<float>(unit_double(seed, i)));
    }
  }
}

__global__ void fill_i8_kernel(std::int8_t* p, std::size_t n, std::uint64_t seed) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += stride) {
    p[i] = static_cast<std::int8_t>(__double2int_rn(127.0 * unit_double(seed, i)));
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
__global__ void set_float_kernel(T* d, std::size_t index, double value) {
  if constexpr (sizeof(T) == 8) {
    d[index] = value;
  } else {
    d[index] = convert_from_float<T>(static_cast<float>(value));
  }
}

__global__ void set_i32_kernel(std::int32_t* d, std::size_t index, double value) {
  d[index] = static_cast<std::int32_t>(fmin(fmax(rint(value), -2147483648.0), 2147483647.0));
}

// Sum over 32-bit words i of mix64(word_i + (i << 32)), modulo 2^64: integer addition is associative and
// commutative, so the result does not depend on the grid or the order of atomics (bitwise reproducible).
__global__ void checksum_kernel(const std::uint32_t* words, std::size_t n_words, const unsigned char* tail,
                                unsigned tail_bytes, unsigned long long* sum) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  const std::size_t first = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  unsigned long long acc = 0;
  for (std::size_t i = first; i < n_words; i += stride) acc += mix64(words[i] + (static_cast<std::uint64_t>(i) << 32));
  if (first == 0) {
    std::uint64_t t = 0;
    for (unsigned b = 0; b < tail_bytes; ++b) t |= static_cast<std::uint64_t>(tail[b]) << (8 * b);
    acc += mix64(t ^ (static_cast<std::uint64_t>(n_words) << 32) ^ 0x7A11ull);
  }
  for (int off = 16; off > 0; off >>= 1) acc += __shfl_down_sync(0xffffffffu, acc, off);
  if (threadIdx.x % 32 == 0) atomicAdd(sum, acc);
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

cudaError_t set_gemm_output(void* d, GemmElement type, std::size_t index, double value, cudaStream_t stream) {
  switch (type) {
    case GemmElement::f64: set_float_kernel<double><<<1, 1, 0, stream>>>(static_cast<double*>(d), index, value); break;
    case GemmElement::f32: set_float_kernel<float><<<1, 1, 0, stream>>>(static_cast<float*>(d), index, value); break;
    case GemmElement::f16: set_float_kernel<__half><<<1, 1, 0, stream>>>(static_cast<__half*>(d), index, value); break;
    case GemmElement::bf16:
      set_float_kernel<__nv_bfloat16><<<1, 1, 0, stream>>>(static_cast<__nv_bfloat16*>(d), index, value);
      break;
    case GemmElement::i32: set_i32_kernel<<<1, 1, 0, stream>>>(static_cast<std::int32_t*>(d), index, value); break;
    default: return cudaErrorInvalidValue;
  }
  return cudaGetLastError();
}

cudaError_t output_checksum(const void* d, std::size_t bytes, unsigned long long* sum, cudaStream_t stream) {
  const std::size_t n_words = bytes / 4;
  const auto* base = static_cast<const unsigned char*>(d);
  const unsigned blocks = grid_for(n_words ? n_words : 1, 256) < 2048 ? grid_for(n_words ? n_words : 1, 256) : 2048;
  checksum_kernel<<<blocks, 256, 0, stream>>>(static_cast<const std::uint32_t*>(d), n_words, base + n_words * 4,
                                              static_cast<unsigned>(bytes % 4), sum);
  return cudaGetLastError();
}

}  // namespace tranche::kernels
