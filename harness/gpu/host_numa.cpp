// NumaPinnedBuffer: mbind through syscall (MPOL_* declared here, libnuma not needed), then cudaHostRegister.
#include "harness/gpu/host_numa.h"

#include <cuda_runtime_api.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "harness/gpu/cuda_error.h"

namespace tranche {

namespace {
// From linux/mempolicy.h; declared here so the build needs no libnuma headers.
constexpr int kMpolBind = 2;
constexpr unsigned kMpolMfStrict = 1u << 0;
constexpr unsigned long kMpolFNode = 1ul << 0;
constexpr unsigned long kMpolFAddr = 1ul << 1;
constexpr int kMaxNode = 4096;

std::string errno_text(int err) { return std::string(std::strerror(err)); }
}  // namespace

NumaPinnedBuffer::NumaPinnedBuffer(std::size_t bytes, int numa_node) : bytes_(bytes), node_(numa_node) {
  if (bytes == 0) return;
  if (numa_node >= 0 && numa_node < kMaxNode) {
    const long page = sysconf(_SC_PAGESIZE);
    const std::size_t page_bytes = page > 0 ? static_cast<std::size_t>(page) : 4096;
    mapped_bytes_ = (bytes + page_bytes - 1) / page_bytes * page_bytes;
    void* p = mmap(nullptr, mapped_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      note_ = "mmap failed (" + errno_text(errno) + ")";
    } else {
      constexpr std::size_t kBits = 8 * sizeof(unsigned long);
      std::vector<unsigned long> mask(static_cast<std::size_t>(numa_node) / kBits + 1, 0ul);
      mask[static_cast<std::size_t>(numa_node) / kBits] |= 1ul << (static_cast<std::size_t>(numa_node) % kBits);
      const long rc =
          syscall(SYS_mbind, p, mapped_bytes_, kMpolBind, mask.data(), mask.size() * kBits + 1, kMpolMfStrict);
      if (rc != 0) {
        note_ = "mbind to node " + std::to_string(numa_node) + " failed (" + errno_text(errno) + ")";
      } else {
        std::memset(p, 0, mapped_bytes_);  // first touch: the pages are allocated now, on the bound node
        int actual = -1;
        if (syscall(SYS_get_mempolicy, &actual, nullptr, 0ul, p, kMpolFNode | kMpolFAddr) == 0 && actual != numa_node) {
          note_ = "first page landed on node " + std::to_string(actual) + ", not " + std::to_string(numa_node);
        }
        const cudaError_t st = cudaHostRegister(p, mapped_bytes_, cudaHostRegisterPortable);
        if (st == cudaSuccess) {
          ptr_ = p;
          registered_ = true;
          return;
        }
        cudaGetLastError();  // not sticky; clear it so later calls do not report it
        note_ = std::string("cudaHostRegister failed (") + cudaGetErrorName(st) + ")";
      }
      munmap(p, mapped_bytes_);
    }
    note_ += "; fell back to cudaHostAlloc (default NUMA placement)";
  } else {
    note_ = "GPU NUMA node unknown; cudaHostAlloc with default placement";
  }
  mapped_bytes_ = 0;
  TRANCHE_CUDA(cudaHostAlloc(&ptr_, bytes, cudaHostAllocPortable));
}

void NumaPinnedBuffer::release() noexcept {
  if (!ptr_) return;
  if (registered_) {
    cudaHostUnregister(ptr_);
    munmap(ptr_, mapped_bytes_);
  } else {
    cudaFreeHost(ptr_);
  }
  ptr_ = nullptr;
}

NumaPinnedBuffer::~NumaPinnedBuffer() { release(); }

NumaPinnedBuffer::NumaPinnedBuffer(NumaPinnedBuffer&& o) noexcept
    : ptr_(std::exchange(o.ptr_, nullptr)),
      bytes_(o.bytes_),
      mapped_bytes_(o.mapped_bytes_),
      node_(o.node_),
      registered_(o.registered_),
      note_(std::move(o.note_)) {}

NumaPinnedBuffer& NumaPinnedBuffer::operator=(NumaPinnedBuffer&& o) noexcept {
  if (this != &o) {
    release();
    ptr_ = std::exchange(o.ptr_, nullptr);
    bytes_ = o.bytes_;
    mapped_bytes_ = o.mapped_bytes_;
    node_ = o.node_;
    registered_ = o.registered_;
    note_ = std::move(o.note_);
  }
  return *this;
}

}  // namespace tranche
