// Test seam for write_file_atomic: the write(2) and rename(2) it calls, so tests can make them fail.
#pragma once
#include <sys/types.h>

#include <cstddef>

namespace tranche {

struct AtomicFileOps {
  ssize_t (*write)(int fd, const void* data, std::size_t size);
  int (*rename)(const char* from, const char* to);
};

// ::write and std::rename.
AtomicFileOps default_atomic_file_ops();
// Replaces the calls for every later write_file_atomic until reset; not thread-safe (tests only).
void set_atomic_file_ops(const AtomicFileOps& ops);

}  // namespace tranche
