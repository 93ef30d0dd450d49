// Pattern, SM-copy, start-flag and pointer-chase kernels for the PCIe and peer-to-peer checks.
#include "kernels/transfer.cuh"

namespace tranche::kernels {

namespace {

__device__ inline std::size_t global_thread() {
  return blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
}
__device__ inline std::size_t grid_threads() { return static_cast<std::size_t>(gridDim.x) * blockDim.x; }

unsigned plain_grid(std::size_t n) {
  const std::size_t want = (n + 255) / 256;
  return static_cast<unsigned>(want == 0 ? 1 : (want < 4096 ? want : 4096));
}

__global__ void fill_kernel(std::uint64_t* p, std::size_t words, std::uint64_t seed) {
  for (std::size_t i = global_thread(); i < words; i += grid_threads()) p[i] = pattern_word(seed, i);
}

__global__ void verify_kernel(const std::uint64_t* p, std::size_t words, std::uint64_t seed,
                              unsigned long long* mismatches) {
  unsigned long long bad = 0;
  for (std::size_t i = global_thread(); i < words; i += grid_threads()) bad += p[i] != pattern_word(seed, i);
  if (bad) atomicAdd(mismatches, bad);
}

__global__ void __launch_bounds__(1024)
    copy_kernel(const unsigned char* __restrict__ src, unsigned char* __restrict__ dst, std::size_t bytes) {
  const std::size_t nv = bytes / sizeof(uint4);
  const auto* sv = reinterpret_cast<const uint4*>(src);
  auto* dv = reinterpret_cast<uint4*>(dst);
  const std::size_t stride = grid_threads();
  for (std::size_t i = global_thread(); i < nv; i += stride) dv[i] = sv[i];
  for (std::size_t i = nv * sizeof(uint4) + global_thread(); i < bytes; i += stride) dst[i] = src[i];
}

__global__ void spin_kernel(const volatile unsigned* flag, unsigned target, unsigned long long max_ns,
                            unsigned* timed_out) {
  unsigned long long start = 0;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
  for (;;) {
    if (*flag >= target) return;
    unsigned long long now = 0;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
    if (now - start > max_ns) {
      *timed_out = 1;
      return;
    }
  }
}

__global__ void chain_kernel(std::uint64_t* chain, std::size_t links, std::size_t stride_words) {
  for (std::size_t k = global_thread(); k < links; k += grid_threads()) {
    chain[k * stride_words] = ((k + 1) % links) * stride_words;
  }
}

__global__ void chase_kernel(const std::uint64_t* chain, std::uint64_t steps, std::uint64_t* end) {
  std::uint64_t idx = 0;
  // volatile: each load must go to memory (the peer), not be hoisted or cached in a register.
  const volatile std::uint64_t* c = chain;
  for (std::uint64_t s = 0; s < steps; ++s) idx = c[idx];
  *end = idx;
}

}  // namespace

cudaError_t pattern_fill(std::uint64_t* p, std::size_t words, std::uint64_t seed, cudaStream_t stream) {
  fill_kernel<<<plain_grid(words), 256, 0, stream>>>(p, words, seed);
  return cudaGetLastError();
}

cudaError_t pattern_count_mismatches(const std::uint64_t* p, std::size_t words, std::uint64_t seed,
                                     unsigned long long* mismatches, cudaStream_t stream) {
  verify_kernel<<<plain_grid(words), 256, 0, stream>>>(p, words, seed, mismatches);
  return cudaGetLastError();
}

cudaError_t sm_copy_launch_config(int device, unsigned threads, unsigned* blocks) {
  if (threads == 0 || threads % 32 != 0 || threads > 1024) return cudaErrorInvalidValue;
  int sms = 0, per_sm = 0;
  if (const cudaError_t e = cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device); e != cudaSuccess) {
    return e;
  }
  if (const cudaError_t e =
          cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, copy_kernel, static_cast<int>(threads), 0);
      e != cudaSuccess) {
    return e;
  }
  *blocks = static_cast<unsigned>(per_sm < 1 ? 1 : per_sm) * static_cast<unsigned>(sms);
  return cudaSuccess;
}

cudaError_t sm_copy(const void* src, void* dst, std::size_t bytes, unsigned blocks, unsigned threads,
                    cudaStream_t stream) {
  copy_kernel<<<blocks, threads, 0, stream>>>(static_cast<const unsigned char*>(src), static_cast<unsigned char*>(dst),
                                              bytes);
  return cudaGetLastError();
}

cudaError_t spin_until_flag(const volatile unsigned* flag, unsigned long long max_ns, unsigned* timed_out,
                            cudaStream_t stream) {
  return spin_until_flag_reaches(flag, 1, max_ns, timed_out, stream);
}

cudaError_t spin_until_flag_reaches(const volatile unsigned* flag, unsigned target, unsigned long long max_ns,
                                    unsigned* timed_out, cudaStream_t stream) {
  spin_kernel<<<1, 1, 0, stream>>>(flag, target, max_ns, timed_out);
  return cudaGetLastError();
}

cudaError_t pointer_chain_build(std::uint64_t* chain, std::size_t links, std::size_t stride_words,
                                cudaStream_t stream) {
  chain_kernel<<<plain_grid(links), 256, 0, stream>>>(chain, links, stride_words);
  return cudaGetLastError();
}

cudaError_t pointer_chase(const std::uint64_t* chain, std::uint64_t steps, std::uint64_t* end, cudaStream_t stream) {
  chase_kernel<<<1, 1, 0, stream>>>(chain, steps, end);
  return cudaGetLastError();
}

}  // namespace tranche::kernels
