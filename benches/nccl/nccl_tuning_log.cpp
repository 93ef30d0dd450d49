// Parsing NCCL's TUNING log lines into the algorithm, protocol and channels it chose per collective call.
#include "benches/nccl/nccl_tuning_log.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <tuple>

namespace tranche::nccl {
namespace {

constexpr std::string_view kInfo = "NCCL INFO ";

// A cursor over one message: skips spaces, reads words, numbers and literal text.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  void spaces() {
    while (!s_.empty() && s_.front() == ' ') s_.remove_prefix(1);
  }
  bool literal(std::string_view lit) {
    spaces();
    if (s_.substr(0, lit.size()) != lit) return false;
    s_.remove_prefix(lit.size());
    return true;
  }
  std::string_view word() {
    spaces();
    std::size_t n = 0;
    while (n < s_.size() && s_[n] != ' ' && s_[n] != ':' && s_[n] != '\r') ++n;
    const std::string_view w = s_.substr(0, n);
    s_.remove_prefix(n);
    return w;
  }
  template <typename T>
  bool number(T& out) {
    spaces();
    const auto [end, ec] = std::from_chars(s_.data(), s_.data() + s_.size(), out);
    if (ec != std::errc() || end == s_.data()) return false;
    s_.remove_prefix(static_cast<std::size_t>(end - s_.data()));
    return true;
  }

 private:
  std::string_view s_;
};

}  // namespace

std::optional<TuningChoice> parse_tuning_line(std::string_view line) {
  const std::size_t at = line.find(kInfo);
  if (at == std::string_view::npos) return std::nullopt;
  Cursor c(line.substr(at + kInfo.size()));
  TuningChoice t;
  t.function = std::string(c.word());
  if (t.function.empty()) return std::nullopt;
  const bool symmetric = c.literal("[Symmetric]");
  if (!c.literal(":") || !c.number(t.bytes) || !c.literal("Bytes ->")) return std::nullopt;
  if (symmetric) {
    int threads = 0, works = 0;
    if (!c.literal("Kernel")) return std::nullopt;
    t.kernel = std::string(c.word());
    if (t.kernel.empty() || !c.literal("nchannels") || !c.number(t.channels) || !c.literal("nthreads") ||
        !c.number(threads) || !c.literal("nWorks") || !c.number(works)) {
      return std::nullopt;
    }
    return t;
  }
  int lo = 0, hi = 0;
  if (!c.literal("Algo")) return std::nullopt;
  t.algorithm = std::string(c.word());
  if (!c.literal("proto")) return std::nullopt;
  t.protocol = std::string(c.word());
  if (t.algorithm.empty() || t.protocol.empty() || !c.literal("channel{Lo..Hi}={") || !c.number(lo) ||
      !c.literal("..") || !c.number(hi) || !c.literal("}") || hi < lo) {
    return std::nullopt;
  }
  t.channels = hi - lo + 1;
  return t;
}

std::vector<TuningChoice> parse_tuning_log(std::string_view text) {
  std::vector<TuningChoice> out;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) break;
    if (auto t = parse_tuning_line(text.substr(start, end - start))) out.push_back(std::move(*t));
    start = end + 1;
  }
  return out;
}

std::string_view tuning_function_name(CollectiveOp op) {
  switch (op) {
    case CollectiveOp::all_reduce: return "AllReduce";
    case CollectiveOp::all_gather: return "AllGather";
    case CollectiveOp::reduce_scatter: return "ReduceScatter";
    case CollectiveOp::broadcast: return "Broadcast";
    case CollectiveOp::reduce: return "Reduce";
    case CollectiveOp::alltoall:
    case CollectiveOp::sendrecv: return "";
  }
  return "";
}

std::optional<nlohmann::json> summarize_choices(const std::vector<TuningChoice>& choices, CollectiveOp op) {
  const std::string_view fn = tuning_function_name(op);
  if (fn.empty()) return std::nullopt;
  using Key = std::tuple<std::string, std::string, std::string, int>;  // algorithm, protocol, kernel, channels
  std::vector<std::pair<Key, int>> seen;  // first-seen order
  for (const TuningChoice& t : choices) {
    if (t.function != fn) continue;
    const Key k{t.algorithm, t.protocol, t.kernel, t.channels};
    auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == k; });
    if (it == seen.end()) {
      seen.push_back({k, 1});
    } else {
      ++it->second;
    }
  }
  if (seen.empty()) return std::nullopt;
  auto to_json = [](const Key& k, int calls) {
    nlohmann::json j = {{"algorithm", std::get<0>(k)}, {"protocol", std::get<1>(k)}, {"channels", std::get<3>(k)},
                        {"calls", calls}};
    if (!std::get<2>(k).empty()) j["kernel"] = std::get<2>(k);
    return j;
  };
  std::size_t best = 0;
  for (std::size_t i = 1; i < seen.size(); ++i) {
    if (seen[i].second > seen[best].second) best = i;
  }
  nlohmann::json out = to_json(seen[best].first, seen[best].second);
  if (seen.size() > 1) {
    out["others"] = nlohmann::json::array();
    for (std::size_t i = 0; i < seen.size(); ++i) {
      if (i != best) out["others"].push_back(to_json(seen[i].first, seen[i].second));
    }
  }
  return out;
}

std::string expand_debug_file_name(std::string_view pattern, std::string_view host, long pid) {
  const std::string_view short_host = host.substr(0, host.find('.'));
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%' || i + 1 >= pattern.size()) {
      out += pattern[i];
      continue;
    }
    const char k = pattern[++i];
    if (k == '%') {
      out += '%';
    } else if (k == 'h') {
      out += short_host;
    } else if (k == 'p') {
      out += std::to_string(pid);
    } else {
      out += '%';
      out += k;
    }
  }
  return out;
}

std::vector<std::string> warning_lines(std::string_view text, std::size_t max_lines) {
  constexpr std::string_view kWarn = "NCCL WARN ";
  std::vector<std::string> out;
  for (std::size_t start = 0; out.size() < max_lines;) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) break;
    const std::string_view line = text.substr(start, end - start);
    if (const std::size_t at = line.find(kWarn); at != std::string_view::npos) {
      out.emplace_back(line.substr(at + kWarn.size()));
    }
    start = end + 1;
  }
  return out;
}

namespace {

std::string upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// NCCL_DEBUG_SUBSYS as src/debug.cc reads it: a comma list, or "^list" for everything but the list.
bool subsys_includes_tuning(const std::string& spec) {
  const bool invert = !spec.empty() && spec.front() == '^';
  bool listed = false, all = false;
  std::string item;
  const std::string list = upper(invert ? spec.substr(1) : spec) + ",";
  for (char ch : list) {
    if (ch != ',') {
      item += ch;
      continue;
    }
    listed = listed || item == "TUNING";
    all = all || item == "ALL";
    item.clear();
  }
  return invert ? !listed && !all : listed || all;
}

}  // namespace

TuningCapturePlan decide_tuning_capture(const std::map<std::string, std::string>& env, const std::string& dir,
                                        std::string_view host, long pid) {
  auto get = [&env](const char* k) -> std::optional<std::string> {
    const auto it = env.find(k);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  const auto level = get("NCCL_DEBUG"), subsys = get("NCCL_DEBUG_SUBSYS"), file = get("NCCL_DEBUG_FILE");
  TuningCapturePlan plan;
  if (!level && !subsys && !file) {
    const std::string pattern = dir + "/tranche-nccl.%h.%p.log";
    plan.capture = true;
    plan.set_env = {{"NCCL_DEBUG", "INFO"}, {"NCCL_DEBUG_SUBSYS", "TUNING"}, {"NCCL_DEBUG_FILE", pattern}};
    plan.file = expand_debug_file_name(pattern, host, pid);
    return plan;
  }
  const std::string lv = upper(level.value_or(""));
  if (lv != "INFO" && lv != "TRACE") {
    plan.reason = "NCCL_DEBUG is " + (level ? "'" + *level + "'" : std::string("unset")) +
                  " in the environment: NCCL logs no TUNING lines below INFO (unset NCCL_DEBUG* to let tranche "
                  "record the algorithm)";
    return plan;
  }
  // NCCL's default subsystems (INIT, BOOTSTRAP, ENV) leave TUNING out.
  if (!subsys || !subsys_includes_tuning(*subsys)) {
    plan.reason = "NCCL_DEBUG_SUBSYS " + (subsys ? "'" + *subsys + "'" : std::string("unset")) +
                  " leaves TUNING out: add TUNING to record the algorithm";
    return plan;
  }
  if (!file || file->empty()) {
    plan.reason = "NCCL_DEBUG is set without NCCL_DEBUG_FILE: NCCL logs to stdout, which tranche does not read";
    return plan;
  }
  plan.capture = true;
  plan.file = expand_debug_file_name(*file, host, pid);
  return plan;
}

}  // namespace tranche::nccl
