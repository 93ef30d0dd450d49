// Pinned host memory placed on a chosen NUMA node (mmap + mbind + cudaHostRegister, no libnuma), with a
// cudaHostAlloc fallback that says why: host-device bandwidth depends on which socket the buffer lives on.
#pragma once
#include <cstddef>
#include <string>

namespace tranche {

// Move-only owner of `bytes` of page-locked host memory usable by every device (portable). Not thread-safe.
class NumaPinnedBuffer {
 public:
  // numa_node < 0: default placement (cudaHostAlloc). Otherwise binds the pages to the node (MPOL_BIND), faults
  // them in, checks where the first page landed, and registers them with CUDA; any step that fails falls back to
  // cudaHostAlloc and records the reason in note(). Throws GpuError (E_OUT_OF_MEMORY) only when the fallback
  // allocation fails too.
  NumaPinnedBuffer(std::size_t bytes, int numa_node);
  ~NumaPinnedBuffer();
  NumaPinnedBuffer(NumaPinnedBuffer&& o) noexcept;
  NumaPinnedBuffer& operator=(NumaPinnedBuffer&& o) noexcept;
  NumaPinnedBuffer(const NumaPinnedBuffer&) = delete;
  NumaPinnedBuffer& operator=(const NumaPinnedBuffer&) = delete;

  void* data() const { return ptr_; }
  std::size_t bytes() const { return bytes_; }
  // True when the memory is bound to the requested node and registered with CUDA.
  bool on_node() const { return registered_; }
  int requested_node() const { return node_; }
  // "mbind+cudaHostRegister" or "cudaHostAlloc".
  std::string method() const { return registered_ ? "mbind+cudaHostRegister" : "cudaHostAlloc"; }
  // Empty when placed as asked; otherwise why it fell back (or a placement warning).
  const std::string& note() const { return note_; }

 private:
  void release() noexcept;
  void* ptr_ = nullptr;
  std::size_t bytes_ = 0;
  std::size_t mapped_bytes_ = 0;
  int node_ = -1;
  bool registered_ = false;
  std::string note_;
};

}  // namespace tranche
