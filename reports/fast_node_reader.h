// Fast node report reader for aggregation: reads only what a NodeDigest needs, skipping samples and details.
#pragma once
#include <memory>
#include <string>

#include "reports/node_digest.h"

namespace tranche {

// Reads node reports into digests with simdjson's on-demand parser, reusing its buffers between files. Not
// thread-safe: use one reader per thread. Reads tranche/node-report/v1 and v2.
class FastNodeReader {
 public:
  FastNodeReader();
  ~FastNodeReader();
  FastNodeReader(const FastNodeReader&) = delete;
  FastNodeReader& operator=(const FastNodeReader&) = delete;

  // Throws InputError with exactly the message load_node_report gives for the same file (missing, unreadable,
  // truncated, not JSON, unknown schema, a mistyped key it reads): on any problem it asks the full reader
  // for the message. Keys it skips are checked for JSON syntax only, not for their types.
  NodeDigest read(const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tranche
