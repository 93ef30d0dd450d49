// Exit-style mapping and status lines for monitors that expect Nagios or node-problem-detector conventions.
#include "harness/core/exit_style.h"

#include <algorithm>

#include "harness/core/drain_reason.h"
#include "harness/core/errors.h"
#include "harness/core/outcome.h"

namespace tranche {

ExitStyle parse_exit_style(std::string_view text) {
  if (text == "tranche") return ExitStyle::tranche;
  if (text == "nagios") return ExitStyle::nagios;
  if (text == "npd") return ExitStyle::npd;
  throw InputError("--exit-style " + std::string(text) + ": expected tranche, nagios or npd");
}

int map_exit_code(int code, bool warned, ExitStyle style) {
  switch (style) {
    case ExitStyle::tranche:
      return code;
    case ExitStyle::nagios:
      if (code == kExitAccepted) return warned ? 1 : 0;
      return code == kExitRejected ? 2 : 3;
    case ExitStyle::npd:
      if (code == kExitAccepted) return 0;
      return code == kExitRejected ? 1 : 2;
  }
  return code;
}

std::string status_line(int code, bool warned, ExitStyle style, std::string_view text) {
  std::string body(text);
  std::replace_if(body.begin(), body.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (style == ExitStyle::npd) return utf8_prefix(body, kNpdMaxLineBytes);
  if (style == ExitStyle::nagios) {
    static constexpr const char* kStates[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
    return std::string("TRANCHE ") + kStates[map_exit_code(code, warned, style)] + " - " + body;
  }
  return body;
}

}  // namespace tranche
