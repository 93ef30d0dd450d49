// RAII owners of device memory and pinned host memory; move-only, freed on scope exit even when a check throws.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <utility>

#include "harness/gpu/cuda_error.h"

namespace tranche {

// `count` elements of T from Memory::allocate; freed with Memory::release. Throws GpuError on allocation failure
// (E_OUT_OF_MEMORY when CUDA says so).
template <class T, class Memory>
class CudaBuffer {
 public:
  CudaBuffer() = default;
  explicit CudaBuffer(std::size_t count, unsigned flags = Memory::kDefaultFlags) : count_(count) {
    if (count_) ptr_ = static_cast<T*>(Memory::allocate(count_ * sizeof(T), flags));
  }
  ~CudaBuffer() {
    if (ptr_) Memory::release(ptr_);
  }
  CudaBuffer(CudaBuffer&& o) noexcept : ptr_(std::exchange(o.ptr_, nullptr)), count_(std::exchange(o.count_, 0)) {}
  CudaBuffer& operator=(CudaBuffer&& o) noexcept {
    std::swap(ptr_, o.ptr_);
    std::swap(count_, o.count_);
    return *this;
  }
  CudaBuffer(const CudaBuffer&) = delete;
  CudaBuffer& operator=(const CudaBuffer&) = delete;

  T* data() const { return ptr_; }
  std::size_t size() const { return count_; }
  std::size_t bytes() const { return count_ * sizeof(T); }

 private:
  T* ptr_ = nullptr;
  std::size_t count_ = 0;
};

// Device memory of the current device (cudaMalloc); flags are unused.
struct DeviceMemory {
  static constexpr unsigned kDefaultFlags = 0;
  static void* allocate(std::size_t bytes, unsigned /*flags*/) {
    void* p = nullptr;
    TRANCHE_CUDA(cudaMalloc(&p, bytes));
    return p;
  }
  static void release(void* p) { cudaFree(p); }
};

// Page-locked host memory (cudaHostAlloc), portable across devices by default.
struct PinnedHostMemory {
  static constexpr unsigned kDefaultFlags = cudaHostAllocPortable;
  static void* allocate(std::size_t bytes, unsigned flags) {
    void* p = nullptr;
    TRANCHE_CUDA(cudaHostAlloc(&p, bytes, flags));
    return p;
  }
  static void release(void* p) { cudaFreeHost(p); }
};

template <class T>
using DeviceBuffer = CudaBuffer<T, DeviceMemory>;
template <class T>
using PinnedBuffer = CudaBuffer<T, PinnedHostMemory>;

}  // namespace tranche
