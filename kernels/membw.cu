// STREAM kernels: double2 grid-stride bodies with a scalar tail, a two-pass reduction, and their verifiers.
#include "kernels/membw.cuh"

namespace tranche::kernels {

namespace {

__device__ inline std::size_t global_thread() {
  return blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
}
__device__ inline std::size_t grid_threads() { return static_cast<std::size_t>(gridDim.x) * blockDim.x; }

// z = f(x, y): copy z=x, scale z=s*x, add z=x+y, triad z=x+s*y. y is not read by copy and scale.
// Each pass of the main loop issues kStreamLoadsInFlight independent 16-byte loads of x (and of y) per thread, one
// grid stride apart so every warp's accesses stay coalesced, before its first store: the loads are in flight at once
// instead of one per load-store-branch round trip (docs/methodology/membw.md, "Loads in flight").
template <StreamKernel K>
__global__ void __launch_bounds__(1024) binary_kernel(const double* __restrict__ x, const double* __restrict__ y,
                                                      double* __restrict__ z, double s, std::size_t n) {
  constexpr int U = kStreamLoadsInFlight;
  constexpr bool kReadsY = K == StreamKernel::add || K == StreamKernel::triad;
  const std::size_t nv = n / 2;
  const auto* xv = reinterpret_cast<const double2*>(x);
  const auto* yv = reinterpret_cast<const double2*>(y);
  auto* zv = reinterpret_cast<double2*>(z);
  const std::size_t stride = grid_threads();
  std::size_t i = global_thread();
  for (; i + (U - 1) * stride < nv; i += U * stride) {
    double2 xi[U], yi[U];
#pragma unroll
    for (int u = 0; u < U; ++u) xi[u] = xv[i + u * stride];
    if constexpr (kReadsY) {
#pragma unroll
      for (int u = 0; u < U; ++u) yi[u] = yv[i + u * stride];
    }
#pragma unroll
    for (int u = 0; u < U; ++u) {
      double2 r;
      if constexpr (K == StreamKernel::copy) {
        r = xi[u];
      } else if constexpr (K == StreamKernel::scale) {
        r = make_double2(s * xi[u].x, s * xi[u].y);
      } else if constexpr (K == StreamKernel::add) {
        r = make_double2(xi[u].x + yi[u].x, xi[u].y + yi[u].y);
      } else {
        r = make_double2(xi[u].x + s * yi[u].x, xi[u].y + s * yi[u].y);
      }
      zv[i + u * stride] = r;
    }
  }
  // Fewer than U strides left for this thread: one vector at a time.
  for (; i < nv; i += stride) {
    const double2 xi = xv[i];
    double2 r;
    if constexpr (K == StreamKernel::copy) {
      r = xi;
    } else if constexpr (K == StreamKernel::scale) {
      r = make_double2(s * xi.x, s * xi.y);
    } else if constexpr (K == StreamKernel::add) {
      const double2 yi = yv[i];
      r = make_double2(xi.x + yi.x, xi.y + yi.y);
    } else {
      const double2 yi = yv[i];
      r = make_double2(xi.x + s * yi.x, xi.y + s * yi.y);
    }
    zv[i] = r;
  }
  // Scalar tail: at most one element (n odd), taken by thread 0.
  for (std::size_t t = 2 * nv + global_thread(); t < n; t += stride) {
    if constexpr (K == StreamKernel::copy) {
      z[t] = x[t];
    } else if constexpr (K == StreamKernel::scale) {
      z[t] = s * x[t];
    } else if constexpr (K == StreamKernel::add) {
      z[t] = x[t] + y[t];
    } else {
      z[t] = x[t] + s * y[t];
    }
  }
}

__global__ void __launch_bounds__(1024) write_kernel(double* __restrict__ a, double v, std::size_t n) {
  const std::size_t nv = n / 2;
  auto* av = reinterpret_cast<double2*>(a);
  const std::size_t stride = grid_threads();
  const double2 vv = make_double2(v, v);
#pragma unroll 4
  for (std::size_t i = global_thread(); i < nv; i += stride) av[i] = vv;
  for (std::size_t i = 2 * nv + global_thread(); i < n; i += stride) a[i] = v;
}

__device__ inline double block_sum(double v) {
  __shared__ double warp_sums[32];
  for (int off = 16; off > 0; off >>= 1) v += __shfl_down_sync(0xffffffffu, v, off);
  const unsigned lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0) warp_sums[warp] = v;
  __syncthreads();
  v = threadIdx.x < (blockDim.x + 31) / 32 ? warp_sums[threadIdx.x] : 0.0;
  if (warp == 0) {
    for (int off = 16; off > 0; off >>= 1) v += __shfl_down_sync(0xffffffffu, v, off);
  }
  return v;  // valid in thread 0
}

// Pass 1 of read: each block writes the sum of its grid-stride share to partials[blockIdx.x]. Like binary_kernel,
// each pass issues kStreamLoadsInFlight independent loads per thread into separate accumulators.
__global__ void __launch_bounds__(1024)
    read_kernel(const double* __restrict__ a, std::size_t n, double* __restrict__ partials) {
  constexpr int U = kStreamLoadsInFlight;
  const std::size_t nv = n / 2;
  const auto* av = reinterpret_cast<const double2*>(a);
  const std::size_t stride = grid_threads();
  double acc[U];
#pragma unroll
  for (int u = 0; u < U; ++u) acc[u] = 0.0;
  std::size_t i = global_thread();
  for (; i + (U - 1) * stride < nv; i += U * stride) {
    double2 v[U];
#pragma unroll
    for (int u = 0; u < U; ++u) v[u] = av[i + u * stride];
#pragma unroll
    for (int u = 0; u < U; ++u) acc[u] += v[u].x + v[u].y;
  }
  for (; i < nv; i += stride) acc[0] += av[i].x + av[i].y;
  for (std::size_t t = 2 * nv + global_thread(); t < n; t += stride) acc[0] += a[t];
  double total = 0.0;
#pragma unroll
  for (int u = 0; u < U; ++u) total += acc[u];
  const double s = block_sum(total);
  if (threadIdx.x == 0) partials[blockIdx.x] = s;
}

// Pass 2 of read: one block adds the partial sums.
__global__ void __launch_bounds__(1024)
    final_sum_kernel(const double* __restrict__ partials, unsigned count, double* __restrict__ sum) {
  double acc = 0.0;
  for (unsigned i = threadIdx.x; i < count; i += blockDim.x) acc += partials[i];
  const double s = block_sum(acc);
  if (threadIdx.x == 0) *sum = s;
}

__global__ void init_kernel(double* a, double* b, double* c, std::size_t n) {
  for (std::size_t i = global_thread(); i < n; i += grid_threads()) {
    if (a) a[i] = stream_input(kStreamSeedA, i);
    if (b) b[i] = stream_input(kStreamSeedB, i);
    if (c) c[i] = stream_input(kStreamSeedC, i);
  }
}

__global__ void mismatch_kernel(StreamKernel k, const double* out, std::size_t n, unsigned long long* mismatches) {
  unsigned long long bad = 0;
  for (std::size_t i = global_thread(); i < n; i += grid_threads()) bad += out[i] != stream_expected(k, i);
  if (bad) atomicAdd(mismatches, bad);
}

__global__ void expected_sum_kernel(std::size_t n, unsigned long long* sum_out) {
  unsigned long long acc = 0;
  for (std::size_t i = global_thread(); i < n; i += grid_threads()) {
    acc += static_cast<unsigned long long>(stream_input(kStreamSeedA, i));
  }
  atomicAdd(sum_out, acc);
}

unsigned plain_grid(std::size_t n) {
  const std::size_t want = (n + 255) / 256;
  return static_cast<unsigned>(want == 0 ? 1 : (want < 4096 ? want : 4096));
}

template <class Kernel>
cudaError_t occupancy(Kernel kernel, unsigned threads, int* per_sm) {
  return cudaOccupancyMaxActiveBlocksPerMultiprocessor(per_sm, kernel, static_cast<int>(threads), 0);
}

}  // namespace

cudaError_t stream_launch_config(StreamKernel k, int device, unsigned threads, StreamLaunch* out) {
  if (threads == 0 || threads % 32 != 0 || threads > 1024) return cudaErrorInvalidValue;
  int sms = 0;
  if (const cudaError_t e = cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device); e != cudaSuccess) {
    return e;
  }
  int per_sm = 0;
  cudaError_t e = cudaSuccess;
  switch (k) {
    case StreamKernel::copy: e = occupancy(binary_kernel<StreamKernel::copy>, threads, &per_sm); break;
    case StreamKernel::scale: e = occupancy(binary_kernel<StreamKernel::scale>, threads, &per_sm); break;
    case StreamKernel::add: e = occupancy(binary_kernel<StreamKernel::add>, threads, &per_sm); break;
    case StreamKernel::triad: e = occupancy(binary_kernel<StreamKernel::triad>, threads, &per_sm); break;
    case StreamKernel::read: e = occupancy(read_kernel, threads, &per_sm); break;
    case StreamKernel::write: e = occupancy(write_kernel, threads, &per_sm); break;
  }
  if (e != cudaSuccess) return e;
  if (per_sm < 1) per_sm = 1;
  out->threads = threads;
  out->blocks = static_cast<unsigned>(per_sm) * static_cast<unsigned>(sms);
  return cudaSuccess;
}

cudaError_t stream_init(double* a, double* b, double* c, std::size_t n, cudaStream_t stream) {
  init_kernel<<<plain_grid(n), 256, 0, stream>>>(a, b, c, n);
  return cudaGetLastError();
}

cudaError_t stream_run(StreamKernel k, double* a, double* b, double* c, std::size_t n, double* partials,
                       const StreamLaunch& launch, cudaStream_t stream) {
  const dim3 grid(launch.blocks), block(launch.threads);
  switch (k) {
    case StreamKernel::copy:
      binary_kernel<StreamKernel::copy><<<grid, block, 0, stream>>>(a, nullptr, c, kStreamScalar, n);
      break;
    case StreamKernel::scale:
      binary_kernel<StreamKernel::scale><<<grid, block, 0, stream>>>(c, nullptr, b, kStreamScalar, n);
      break;
    case StreamKernel::add:
      binary_kernel<StreamKernel::add><<<grid, block, 0, stream>>>(a, b, c, kStreamScalar, n);
      break;
    case StreamKernel::triad:
      binary_kernel<StreamKernel::triad><<<grid, block, 0, stream>>>(b, c, a, kStreamScalar, n);
      break;
    case StreamKernel::read: read_kernel<<<grid, block, 0, stream>>>(a, n, partials); break;
    case StreamKernel::write: write_kernel<<<grid, block, 0, stream>>>(a, kStreamWriteValue, n); break;
  }
  return cudaGetLastError();
}

cudaError_t stream_read_total(const double* partials, unsigned count, double* sum, cudaStream_t stream) {
  final_sum_kernel<<<1, 1024, 0, stream>>>(partials, count, sum);
  return cudaGetLastError();
}

cudaError_t stream_count_mismatches(StreamKernel k, const double* out, std::size_t n, unsigned long long* mismatches,
                                    cudaStream_t stream) {
  if (k == StreamKernel::read) return cudaErrorInvalidValue;
  mismatch_kernel<<<plain_grid(n), 256, 0, stream>>>(k, out, n, mismatches);
  return cudaGetLastError();
}

cudaError_t stream_expected_sum(std::size_t n, unsigned long long* sum_out, cudaStream_t stream) {
  expected_sum_kernel<<<plain_grid(n), 256, 0, stream>>>(n, sum_out);
  return cudaGetLastError();
}

}  // namespace tranche::kernels
