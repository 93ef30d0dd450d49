// The fast reader's walk over a tranche/node-report/v2 document: strict, so it accepts no document the full
// reader (reports/node_report.cpp) rejects; what it cannot vouch for it leaves to the full reader.
#pragma once
#include <cstddef>
#include <memory>

#include "reports/node_digest.h"

namespace tranche::fast_v2 {

// Bytes a document's buffer must have readable after its end (simdjson's padding; checked where it is used).
inline constexpr size_t kPadding = 64;

// A simdjson on-demand parser and the walk. Not thread-safe: one per thread.
class Walker {
 public:
  Walker();
  ~Walker();
  Walker(const Walker&) = delete;
  Walker& operator=(const Walker&) = delete;

  // Walks every value of the document in `data` (len bytes; capacity >= len + kPadding) and fills `out` (all
  // but file and sha256). Returns false when the document is not one this walk accepts: a key, type, range or
  // syntax the full reader would reject, and also what it would accept but this walk does not read (an unknown
  // key, keys in another order than tranche writes them); the caller then asks the full reader.
  bool read(const char* data, size_t len, size_t capacity, NodeDigest& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tranche::fast_v2
