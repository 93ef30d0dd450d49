// NCCL's own account of the algorithm and protocol it chose per collective: the NCCL_DEBUG_SUBSYS=TUNING lines of
// its debug log, parsed (pure; the line formats are NCCL 2.28's, docs/methodology/nccl.md "Algorithm").
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "benches/nccl/nccl_math.h"

namespace tranche::nccl {

// One TUNING line. NCCL 2.28.9 prints (only on the communicator of rank 0, once per collective call):
//   src/enqueue.cc:741  "%s: %ld Bytes -> Algo %s proto %s channel{Lo..Hi}={%d..%d}"
//   src/scheduler/symmetric_sched.cc:229  "%s [Symmetric]: %ld Bytes -> Kernel %s nchannels %d nthreads %d nWorks %d"
// after its prefix "[timestamp ]host:pid:tid [cudaDev] NCCL INFO " (src/debug.cc). bytes = NCCL's count x type
// size (for all_gather the per-rank count, for reduce_scatter the received count).
struct TuningChoice {
  std::string function;   // ncclFuncToString: "AllReduce", "AllGather", "ReduceScatter", "Broadcast", "Reduce"
  std::uint64_t bytes = 0;
  std::string algorithm;  // ncclAlgoToString: "RING", "TREE", "NVLS", "NVLS_TREE", "COLLNET_DIRECT", ...; "" (symmetric)
  std::string protocol;   // ncclProtoToString: "LL", "LL128", "SIMPLE"; "" for symmetric kernels
  std::string kernel;     // symmetric kernels only, e.g. "AllReduce_AGxLL_R"
  int channels = 0;       // channel{Lo..Hi} -> Hi - Lo + 1; nchannels for symmetric kernels
};

// nullopt for any other line (other subsystems, init tables, WARNs, partial lines).
std::optional<TuningChoice> parse_tuning_line(std::string_view line);
// Every TUNING choice in `text`, in order (complete lines only: a last line without '\n' is left out, since NCCL
// may still be writing it).
std::vector<TuningChoice> parse_tuning_log(std::string_view text);

// The NCCL function name TUNING lines carry for `op`; "" for alltoall and sendrecv, which are grouped
// ncclSend/ncclRecv: NCCL logs no algorithm for point-to-point operations.
std::string_view tuning_function_name(CollectiveOp op);

// The choices for one run of `op` (one size, one data type, one placement), summarised for the report:
// {"algorithm": "RING", "protocol": "SIMPLE", "channels": 32, "calls": 26} for the choice made most often (ties:
// the first seen), plus "others": [{...}] when NCCL changed its mind between calls. nullopt when no line is for
// `op`'s function.
std::optional<nlohmann::json> summarize_choices(const std::vector<TuningChoice>& choices, CollectiveOp op);

// The file name NCCL opens for NCCL_DEBUG_FILE `pattern` (src/debug.cc): %h -> host name up to its first '.',
// %p -> pid, %% -> %, any other %x kept as is.
std::string expand_debug_file_name(std::string_view pattern, std::string_view host, long pid);

// The NCCL WARN lines of `text` (complete lines), the message after "NCCL WARN " only; at most `max_lines`.
// tranche routes NCCL's log to a file, so its warnings would otherwise reach no one.
std::vector<std::string> warning_lines(std::string_view text, std::size_t max_lines = 20);

// Whether and how a process captures the TUNING lines, decided from the operator's NCCL_* environment before
// NCCL is first used (NCCL reads NCCL_DEBUG* once per process).
struct TuningCapturePlan {
  bool capture = false;
  std::map<std::string, std::string> set_env;  // variables tranche sets (empty when the operator's are used)
  std::string file;    // the log file to read (expanded), when capture
  std::string reason;  // why not, when !capture
};
// Operator set nothing: tranche sets NCCL_DEBUG=INFO, NCCL_DEBUG_SUBSYS=TUNING and
// NCCL_DEBUG_FILE=<dir>/tranche-nccl.%h.%p.log. Operator set NCCL_DEBUG_FILE with NCCL_DEBUG=INFO or TRACE and a
// subsystem list that includes TUNING (or ALL, or "^..." without TUNING): that file is read. Anything else
// (NCCL_DEBUG without a file logs to stdout; a list without TUNING) is left alone, with the reason.
TuningCapturePlan decide_tuning_capture(const std::map<std::string, std::string>& nccl_env, const std::string& dir,
                                        std::string_view host, long pid);

}  // namespace tranche::nccl
