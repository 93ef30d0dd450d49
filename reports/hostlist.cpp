// Hostlist expansion: split at top-level commas, then expand each bracket group in turn.
#include "reports/hostlist.h"

#include <filesystem>
#include <set>
#include <sstream>

#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"

namespace tranche {
namespace {

constexpr size_t kMaxHosts = 1000000;

[[noreturn]] void bad(const std::string& expr, const std::string& why) {
  throw InputError("hostlist '" + expr + "': " + why + " (expected e.g. gpu[001-080],login1)");
}

std::vector<std::string> split_top_level(const std::string& expr) {
  std::vector<std::string> parts;
  std::string cur;
  int depth = 0;
  for (char c : expr) {
    if (c == '[') ++depth;
    if (c == ']' && --depth < 0) bad(expr, "']' without '['");
    if (c == ',' && depth == 0) {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (depth != 0) bad(expr, "'[' without ']'");
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

unsigned long long parse_number(const std::string& s, const std::string& expr) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) {
    bad(expr, "'" + s + "' is not a number");
  }
  return std::stoull(s);
}

// The names one bracket body ("001-003,7") stands for, zero-padded.
std::vector<std::string> expand_bracket(const std::string& body, const std::string& expr) {
  std::vector<std::string> out;
  std::stringstream ss(body);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto dash = item.find('-');
    const std::string lo_s = item.substr(0, dash);
    const unsigned long long lo = parse_number(lo_s, expr);
    const unsigned long long hi = dash == std::string::npos ? lo : parse_number(item.substr(dash + 1), expr);
    if (hi < lo) bad(expr, "range '" + item + "' runs backwards");
    if (hi - lo >= kMaxHosts) bad(expr, "range '" + item + "' is too large");
    const size_t width = lo_s.size() > 1 && lo_s[0] == '0' ? lo_s.size() : 0;
    for (unsigned long long n = lo; n <= hi; ++n) {
      std::string s = std::to_string(n);
      if (s.size() < width) s.insert(0, width - s.size(), '0');
      out.push_back(std::move(s));
    }
  }
  if (out.empty()) bad(expr, "empty brackets");
  return out;
}

void expand_one(const std::string& name, const std::string& expr, std::vector<std::string>& out) {
  std::vector<std::string> partial{""};
  size_t i = 0;
  while (i < name.size()) {
    const size_t open = name.find('[', i);
    const std::string literal = name.substr(i, open == std::string::npos ? std::string::npos : open - i);
    for (auto& p : partial) p += literal;
    if (open == std::string::npos) break;
    const size_t close = name.find(']', open);
    const auto numbers = expand_bracket(name.substr(open + 1, close - open - 1), expr);
    if (partial.size() * numbers.size() > kMaxHosts) bad(expr, "more than 1,000,000 names");
    std::vector<std::string> next;
    next.reserve(partial.size() * numbers.size());
    for (const auto& p : partial) {
      for (const auto& n : numbers) next.push_back(p + n);
    }
    partial = std::move(next);
    i = close + 1;
  }
  if (out.size() + partial.size() > kMaxHosts) bad(expr, "more than 1,000,000 names");
  out.insert(out.end(), partial.begin(), partial.end());
}

}  // namespace

std::vector<std::string> expand_hostlist(const std::string& expression) {
  std::vector<std::string> out;
  for (const auto& part : split_top_level(expression)) expand_one(part, expression, out);
  return out;
}

std::vector<std::string> expected_hosts_from_argument(const std::string& file_or_expression) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file_or_expression, ec)) return expand_hostlist(file_or_expression);
  std::vector<std::string> out;
  std::stringstream in(read_file(file_or_expression));
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find('#'));
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    line = line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
    for (auto& h : expand_hostlist(line)) out.push_back(std::move(h));
  }
  return out;
}

namespace {

std::string short_name(const std::string& host) { return host.substr(0, host.find('.')); }
bool qualified(const std::string& host) { return host.find('.') != std::string::npos; }

// The names a host answers to besides its own: a qualified name answers to its short name when that short name
// is on the other side unqualified, and a short name to the qualified names that start with it.
struct HostSide {
  std::set<std::string> exact, short_names, short_of_qualified;
  explicit HostSide(const std::vector<std::string>& hosts) {
    for (const auto& h : hosts) {
      exact.insert(h);
      (qualified(h) ? short_of_qualified : short_names).insert(short_name(h));
    }
  }
  bool answers(const std::string& h) const {
    if (exact.count(h)) return true;
    return qualified(h) ? short_names.count(short_name(h)) > 0 : short_of_qualified.count(h) > 0;
  }
};

}  // namespace

HostMatch match_hosts(const std::vector<std::string>& expected, const std::vector<std::string>& reported) {
  const HostSide want(expected), have(reported);
  HostMatch m;
  for (const auto& e : expected) {
    if (!have.answers(e)) m.missing.push_back(e);
  }
  for (const auto& r : reported) {
    if (!want.answers(r)) m.unexpected.push_back(r);
  }
  return m;
}

}  // namespace tranche
