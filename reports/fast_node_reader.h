// Fast node report reader for aggregation: reads only what a NodeDigest needs, skipping samples and details.
#pragma once
#include <memory>
#include <string>
#include <variant>

#include "reports/node_digest.h"
#include "reports/rack_multinode.h"

namespace tranche {

// Reads node reports into digests, reusing its buffers between files. A tranche/node-report/v2 report as tranche
// writes it goes through a strict simdjson on-demand walk; a v1 report (and anything the walk defers) is parsed
// in full by the full reader. Not thread-safe: use one reader per thread.
class FastNodeReader {
 public:
  FastNodeReader();
  ~FastNodeReader();
  FastNodeReader(const FastNodeReader&) = delete;
  FastNodeReader& operator=(const FastNodeReader&) = delete;

  // Accepts exactly the files load_node_report accepts, with the same digest as node_digest_from_report, and
  // throws InputError with exactly its message for the others (missing, unreadable, truncated, not JSON,
  // unknown schema, a mistyped or out-of-range value anywhere, a duplicate key).
  NodeDigest read(const std::string& path);
  // As read(), but a tranche/nccl-multinode/v1 file (what `tranche run --multinode` writes) is read in full by
  // its strict reader instead of being rejected: what `tranche rack` reads from its inputs.
  std::variant<NodeDigest, MultinodeInput> read_rack_input(const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tranche
