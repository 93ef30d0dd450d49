// Bidirectional PCIe bandwidth over the window where both directions run: pure
// arithmetic on CUDA event timestamps (docs/methodology/membw.md, "PCIe"), so
// the figure can be checked without a GPU.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace tranche::pcie {

// Each direction of a pcie.bidir sample is copied as this many back-to-back
// copies (fewer for tiny sizes), each closed by an event, so the copies that
// ran entirely while the other direction ran can be told apart.
inline constexpr int kBidirChunks = 8;

// Bytes of each copy when `size_bytes` (a multiple of 8, > 0) is split into at
// most `max_chunks` (> 0) copies of whole 8-byte pattern words: equal copies,
// the last one taking the remainder. Sums to size_bytes.
std::vector<std::uint64_t> chunk_sizes(std::uint64_t size_bytes, int max_chunks = kBidirChunks);

// One direction's copies on the GPU clock, in seconds from one reference event
// on the same GPU: boundaries_s[0] is when its first copy could begin,
// boundaries_s[k] (k >= 1) when copy k - 1 ended; chunk_bytes[k - 1] is the
// size of copy k - 1. So boundaries_s.size() == chunk_bytes.size() + 1.
struct DirectionTimeline {
  std::vector<double> boundaries_s;
  std::vector<std::uint64_t> chunk_bytes;
};

// The bidirectional figure of one sample.
struct OverlapRate {
  double window_s = 0;          // min(ends) - max(starts): the time both directions ran
  double sample_s = 0;          // min(starts) to max(ends)
  std::uint64_t h2d_bytes = 0;  // bytes of the H2D copies that lie wholly inside the window
  std::uint64_t d2h_bytes = 0;  // the same for D2H
  double h2d_Bps = 0,
         d2h_Bps = 0;  // each direction's bytes over the span of those copies
  double bidir_Bps() const { return h2d_Bps + d2h_Bps; }
};

// Each direction's rate over its copies that began and ended inside the overlap
// window [max(starts), min(ends)], so neither rate includes time the other
// direction was idle; the bidirectional bandwidth is their sum. nullopt when a
// timeline is malformed (sizes disagree, no copy, a boundary earlier than the
// one before), the window is empty, or a direction has no whole copy inside it
// (directions too unequal for the number of copies).
std::optional<OverlapRate> overlap_rate(const DirectionTimeline &h2d, const DirectionTimeline &d2h);

}  // namespace tranche::pcie
