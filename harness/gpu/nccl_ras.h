// A client of NCCL's RAS service (NCCL 2.24+): asks the RAS thread of this process's NCCL for the job's status
// (which ranks it sees as missing, unresponsive or dead) when a collective times out, so the error names them.
#pragma once
#include <chrono>
#include <string>

namespace tranche {

// What NCCL's RAS service answered, or why it could not be asked.
struct RasStatus {
  bool reached = false;  // the handshake succeeded and STATUS was answered
  std::string address;   // "localhost:28028" or $NCCL_RAS_ADDR
  std::string text;      // the STATUS answer as NCCL wrote it (reached), or why not (not reached)
};

// $NCCL_RAS_ADDR when set (NCCL reads the same variable for its listening socket), else "localhost:28028"
// (NCCL_RAS_CLIENT_PORT in NCCL's src/ras/ras_internal.h).
std::string ras_address();

// Speaks the RAS client protocol of NCCL's src/ras/client_support.cc (protocol 2): "CLIENT PROTOCOL 2" ->
// "SERVER PROTOCOL n", "TIMEOUT s" -> "OK" (RAS waits at most s seconds for each peer), "STATUS" -> text until the
// server closes the connection. Everything (connect, each read and write) ends by `budget`; the answer is cut at
// 64 KiB. Never throws. `address` is host:port (IPv4 or a name getaddrinfo resolves).
RasStatus query_ras_status(const std::string& address, std::chrono::milliseconds budget);

// The part of a STATUS answer worth one error message: the lines from the first "Errors" or "Warnings" header on
// (those name the missing, unresponsive or dead ranks), else the first lines; whitespace runs collapsed to one
// space, cut at `max_chars` with "...". Pure.
std::string ras_status_summary(const std::string& status_text, std::size_t max_chars = 1500);

}  // namespace tranche
