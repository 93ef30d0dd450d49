// chunk_sizes and overlap_rate: the window both directions of a bidirectional
// sample share, from event times.
#include "benches/pcie/pcie_overlap.h"

#include <algorithm>

#include "benches/pcie/pcie_math.h"

namespace tranche::pcie {

std::vector<std::uint64_t> chunk_sizes(std::uint64_t size_bytes, int max_chunks) {
  const std::uint64_t words = size_bytes / kPatternWordBytes;
  const std::uint64_t n =
      std::max<std::uint64_t>(1, std::min<std::uint64_t>(words, static_cast<std::uint64_t>(std::max(1, max_chunks))));
  const std::uint64_t each = words / n * kPatternWordBytes;
  std::vector<std::uint64_t> out(n, each);
  out.back() = size_bytes - each * (n - 1);
  return out;
}

namespace {

bool well_formed(const DirectionTimeline &t) {
  if (t.chunk_bytes.empty() || t.boundaries_s.size() != t.chunk_bytes.size() + 1) return false;
  return std::is_sorted(t.boundaries_s.begin(), t.boundaries_s.end());
}

// Bytes and span of the copies of `t` inside [lo, hi]; false when none lies
// wholly inside.
bool inside(const DirectionTimeline &t, double lo, double hi, std::uint64_t &bytes, double &rate_Bps) {
  std::size_t first = t.chunk_bytes.size(), last = 0;
  bytes = 0;
  for (std::size_t k = 0; k < t.chunk_bytes.size(); ++k) {
    if (t.boundaries_s[k] >= lo && t.boundaries_s[k + 1] <= hi) {
      first = std::min(first, k);
      last = k;
      bytes += t.chunk_bytes[k];
    }
  }
  if (bytes == 0) return false;
  // Boundaries are sorted, so the copies inside form one run from `first` to
  // `last`.
  const double span = t.boundaries_s[last + 1] - t.boundaries_s[first];
  if (!(span > 0)) return false;
  rate_Bps = static_cast<double>(bytes) / span;
  return true;
}

}  // namespace

std::optional<OverlapRate> overlap_rate(const DirectionTimeline &h2d, const DirectionTimeline &d2h) {
  if (!well_formed(h2d) || !well_formed(d2h)) return std::nullopt;
  const double lo = std::max(h2d.boundaries_s.front(), d2h.boundaries_s.front());
  const double hi = std::min(h2d.boundaries_s.back(), d2h.boundaries_s.back());
  if (!(hi > lo)) return std::nullopt;
  OverlapRate r;
  r.window_s = hi - lo;
  r.sample_s = std::max(h2d.boundaries_s.back(), d2h.boundaries_s.back()) -
               std::min(h2d.boundaries_s.front(), d2h.boundaries_s.front());
  if (!inside(h2d, lo, hi, r.h2d_bytes, r.h2d_Bps) || !inside(d2h, lo, hi, r.d2h_bytes, r.d2h_Bps)) {
    return std::nullopt;
  }
  return r;
}

}  // namespace tranche::pcie
