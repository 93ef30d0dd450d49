// Exit-code adapters: tranche's own codes mapped for Nagios-style monitors and node-problem-detector plugins.
#pragma once
#include <string>
#include <string_view>

namespace tranche {

// tranche: 0 accepted, 1 rejected, 2 incomplete, 64 usage, 70 internal (unchanged).
// nagios: 0 OK, 1 WARNING (accepted with warnings), 2 CRITICAL (rejected), 3 UNKNOWN (incomplete, usage, internal).
// npd: node-problem-detector custom plugin: 0 OK, 1 NonOK (rejected), 2 Unknown (incomplete, usage, internal).
enum class ExitStyle { tranche, nagios, npd };

// "tranche", "nagios" or "npd"; throws InputError naming --exit-style and the accepted values otherwise.
ExitStyle parse_exit_style(std::string_view text);

// Maps tranche's exit code. `warned`: the node was accepted with at least one warn verdict (nagios WARNING only).
// A code tranche does not define is treated as internal (UNKNOWN).
int map_exit_code(int tranche_code, bool warned, ExitStyle style);

// node-problem-detector keeps at most the first 80 bytes of a plugin's output (max_output_length default).
inline constexpr std::size_t kNpdMaxLineBytes = 80;

// The one status line a monitor shows: nagios "TRANCHE <STATE> - <text>", npd "<text>", tranche "<text>";
// newlines become spaces; npd lines are cut to kNpdMaxLineBytes on a UTF-8 boundary.
std::string status_line(int tranche_code, bool warned, ExitStyle style, std::string_view text);

}  // namespace tranche
