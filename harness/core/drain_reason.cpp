// drain_reason: the Slurm drain reason built from a node report's verdicts.
#include "harness/core/drain_reason.h"

#include <algorithm>

namespace tranche {
namespace {

constexpr std::string_view kFamilyPrefix = "preflight.";

std::string one_line(std::string_view s) {
  std::string out(s);
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '"' || c == '\'' || c == '\n' || c == '\r'; },
                  ' ');
  return out;
}

const Verdict* first_with(const std::vector<Verdict>& verdicts, Outcome o, bool required_only) {
  for (const auto& v : verdicts) {
    if (v.outcome == o && (!required_only || v.required)) return &v;
  }
  return nullptr;
}

std::string describe(const Verdict& v) {
  std::string check = v.check_id;
  if (check.rfind(kFamilyPrefix, 0) == 0) check = check.substr(kFamilyPrefix.size());
  std::string out = check;
  if (v.device) out += " gpu" + std::to_string(*v.device);
  const std::string why = !v.message.empty() ? v.message : (!v.error_id.empty() ? v.error_id : std::string(to_string(v.outcome)));
  return out + " " + one_line(why);
}

}  // namespace

std::string utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t n = max_bytes;
  // Back off continuation bytes (10xxxxxx) so the cut lands before a character's lead byte.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

bool is_tranche_reason(std::string_view reason) { return reason.rfind(kDrainReasonPrefix, 0) == 0; }

std::string drain_reason(const std::vector<Verdict>& verdicts, std::string_view report_path) {
  const Verdict* named = first_with(verdicts, Outcome::fail, false);
  if (!named) named = first_with(verdicts, Outcome::error, false);
  if (!named) named = first_with(verdicts, Outcome::skip, true);
  const auto failures = std::count_if(verdicts.begin(), verdicts.end(), [](const Verdict& v) {
    return v.outcome == Outcome::fail || v.outcome == Outcome::error;
  });
  std::string story = std::string(kDrainReasonPrefix) + (named ? describe(*named) : "not accepted");
  if (named && failures > 1) story += "; +" + std::to_string(failures - 1) + " more";

  std::string path(report_path);
  if (path.size() > kDrainReasonMaxBytes / 2) {
    const auto slash = path.find_last_of('/');
    if (slash != std::string::npos) path = path.substr(slash + 1);
    path = utf8_prefix(path, kDrainReasonMaxBytes / 2);
  }
  const std::string tail = path.empty() ? "" : "; report=" + one_line(path);
  return utf8_prefix(story, kDrainReasonMaxBytes - tail.size()) + tail;
}

}  // namespace tranche
