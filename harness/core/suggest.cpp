// nearest_names: optimal string alignment distance, with a threshold that grows with the word's length.
#include "harness/core/suggest.h"

#include <algorithm>

namespace tranche {

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::vector<std::string> nearest_names(const std::string& word, const std::vector<std::string>& known, size_t limit) {
  const size_t threshold = std::max<size_t>(2, word.size() / 3);
  std::vector<std::pair<size_t, std::string>> close;
  for (const auto& k : known) {
    const size_t dist = edit_distance(word, k);
    if (dist <= threshold) close.emplace_back(dist, k);
  }
  std::stable_sort(close.begin(), close.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (const auto& [dist, k] : close) {
    if (out.size() == limit || dist > close.front().first) break;  // only the nearest: ties, not runners-up
    if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  }
  return out;
}

std::string did_you_mean(const std::vector<std::string>& nearest) {
  if (nearest.empty()) return "";
  std::string s = "; did you mean ";
  for (size_t i = 0; i < nearest.size(); ++i) {
    if (i > 0) s += i + 1 == nearest.size() ? " or " : ", ";
    s += nearest[i];
  }
  return s + "?";
}

}  // namespace tranche
