// Pure STREAM arithmetic: bytes moved per kernel (read + write, the STREAM way) and the array sizing rule
// (>= 8x L2, rounded to the vector width, capped by free memory). See docs/methodology/membw.md.
#pragma once
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tranche::membw {

enum class StreamOp { copy, scale, add, triad, read, write };

constexpr std::string_view to_string(StreamOp op) {
  switch (op) {
    case StreamOp::copy: return "copy";
    case StreamOp::scale: return "scale";
    case StreamOp::add: return "add";
    case StreamOp::triad: return "triad";
    case StreamOp::read: return "read";
    case StreamOp::write: return "write";
  }
  return "copy";
}

// Arrays of n elements one launch reads plus writes: copy c=a 2, scale b=s*c 2, add c=a+b 3, triad a=b+s*c 3,
// read sum(a) 1, write a=v 1. Also the number of arrays the kernel needs allocated.
constexpr int stream_arrays(StreamOp op) {
  switch (op) {
    case StreamOp::copy:
    case StreamOp::scale: return 2;
    case StreamOp::add:
    case StreamOp::triad: return 3;
    case StreamOp::read:
    case StreamOp::write: return 1;
  }
  return 0;
}

// Bytes one launch moves over `elements` elements of `element_bytes` each, counted the STREAM way: every
// array read or written counts once (a copy of N bytes moves 2N). nvbandwidth's local copy counts N.
constexpr std::uint64_t stream_bytes(StreamOp op, std::uint64_t elements, std::uint64_t element_bytes) {
  return static_cast<std::uint64_t>(stream_arrays(op)) * elements * element_bytes;
}

// Bytes per second; nullopt when seconds is not positive.
constexpr std::optional<double> bandwidth_Bps(std::uint64_t bytes, double seconds) {
  if (!(seconds > 0.0)) return std::nullopt;
  return static_cast<double>(bytes) / seconds;
}

// How many times the L2 cache each array must exceed, so the cache serves a negligible share of the traffic.
constexpr std::uint64_t kL2Multiple = 8;
// Share of free device memory the arrays of one kernel may take (context, partial sums and other checks need the rest).
constexpr double kMaxFreeFraction = 0.8;

struct ArraySizing {
  std::uint64_t elements = 0;          // per array; a multiple of vector_elements (0: not even one vector fits)
  std::uint64_t bytes_per_array = 0;   // elements * element_bytes
  bool raised_to_l2_multiple = false;  // the request was below kL2Multiple x L2 and was raised
  bool capped_by_memory = false;       // free memory did not allow the wanted size
  bool below_l2_multiple = false;      // the final size is under kL2Multiple x L2 (cache may inflate the figure)
};

// Array size for `arrays` arrays: want max(requested_bytes, kL2Multiple * l2_bytes), cap each array at
// max_free_fraction * free_bytes / arrays, round down to a whole number of vectors of vector_elements elements.
// Preconditions: element_bytes > 0, vector_elements > 0, arrays > 0.
constexpr ArraySizing size_stream_arrays(std::uint64_t requested_bytes, std::uint64_t element_bytes,
                                         std::uint64_t vector_elements, std::uint64_t l2_bytes,
                                         std::uint64_t free_bytes, int arrays,
                                         double max_free_fraction = kMaxFreeFraction) {
  ArraySizing s;
  const std::uint64_t l2_floor = kL2Multiple * l2_bytes;
  std::uint64_t want = requested_bytes;
  if (want < l2_floor) {
    want = l2_floor;
    s.raised_to_l2_multiple = true;
  }
  const auto cap = static_cast<std::uint64_t>(static_cast<double>(free_bytes) * max_free_fraction) /
                   static_cast<std::uint64_t>(arrays);
  if (want > cap) {
    want = cap;
    s.capped_by_memory = true;
  }
  const std::uint64_t vector_bytes = element_bytes * vector_elements;
  s.elements = (want / vector_bytes) * vector_elements;
  s.bytes_per_array = s.elements * element_bytes;
  s.below_l2_multiple = s.bytes_per_array < l2_floor;
  return s;
}

}  // namespace tranche::membw
