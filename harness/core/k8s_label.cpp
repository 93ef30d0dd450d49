// kubectl_label_commands: a node's verdict as Kubernetes labels and an optional NoSchedule taint.
#include "harness/core/k8s_label.h"

#include <ctime>

#include "harness/core/errors.h"

namespace tranche {
namespace {

// RFC 1123 DNS subdomain: lowercase alphanumerics, '-' and '.', at most 253, starting and ending alphanumeric.
bool valid_node_name(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s) {
    if (!alnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }  // callers pass no quote characters

}  // namespace

std::string node_verdict_label(const Summary& summary) {
  if (summary.acceptance != Acceptance::accepted) return "FAIL";
  return summary.worst == Outcome::warn ? "WARN" : "PASS";
}

std::string checked_at_label(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &utc);
  return buf;
}

std::vector<std::string> kubectl_label_commands(const std::string& node, const Summary& summary,
                                                std::chrono::system_clock::time_point checked_at, bool taint) {
  if (!valid_node_name(node)) {
    throw InputError("--node '" + node + "': not a Kubernetes node name (lowercase letters, digits, '-' and '.'); "
                     "pass the name `kubectl get nodes` shows");
  }
  const std::string verdict = node_verdict_label(summary);
  std::vector<std::string> out;
  out.push_back("kubectl label node " + quoted(node) + " --overwrite " + quoted(std::string(kVerdictLabel) + "=" +
                verdict) + " " + quoted(std::string(kCheckedAtLabel) + "=" + checked_at_label(checked_at)));
  if (taint) {
    const std::string key(kUnhealthyTaint);
    if (verdict == "FAIL") {
      out.push_back("kubectl taint node " + quoted(node) + " --overwrite " + quoted(key + "=true:NoSchedule"));
    } else {
      out.push_back("kubectl taint node " + quoted(node) + " " + quoted(key + ":NoSchedule-") + " || true");
    }
  }
  return out;
}

}  // namespace tranche
