// Pure PCIe arithmetic: bytes per transfer, transfer-size rounding, and the bandwidth a link of a given
// generation and width can carry per direction after encoding and protocol overhead (docs/methodology/membw.md).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace tranche::pcie {

enum class Direction { h2d, d2h, bidir };

constexpr std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::h2d: return "h2d";
    case Direction::d2h: return "d2h";
    case Direction::bidir: return "bidir";
  }
  return "h2d";
}

// Bytes one timed sample moves: size for one direction, 2 x size for bidir (H2D and D2H at once, summed).
constexpr std::uint64_t transfer_bytes(Direction d, std::uint64_t size_bytes) {
  return d == Direction::bidir ? 2 * size_bytes : size_bytes;
}

// Transfers are verified in 64-bit pattern words, so the size is rounded down to a multiple of 8 (at least 8).
constexpr std::uint64_t kPatternWordBytes = 8;
constexpr std::uint64_t round_transfer_size(std::uint64_t requested_bytes) {
  const std::uint64_t r = requested_bytes / kPatternWordBytes * kPatternWordBytes;
  return r < kPatternWordBytes ? kPatternWordBytes : r;
}

// Raw signalling rate per lane in GT/s: Gen1 2.5, Gen2 5, Gen3 8, Gen4 16, Gen5 32, Gen6 64; 0 when unknown.
constexpr double lane_rate_GTps(int generation) {
  switch (generation) {
    case 1: return 2.5;
    case 2: return 5.0;
    case 3: return 8.0;
    case 4: return 16.0;
    case 5: return 32.0;
    case 6: return 64.0;
    default: return 0.0;
  }
}

// Line-code efficiency: 8b/10b for Gen1-2, 128b/130b for Gen3-5, 1b/1b (PAM4 FLIT mode) for Gen6.
constexpr double encoding_efficiency(int generation) {
  if (generation <= 2) return 8.0 / 10.0;
  if (generation <= 5) return 128.0 / 130.0;
  return 1.0;
}

// Gen1-5 per-TLP overhead with 64-bit addressing: 16-byte 4DW header + 2-byte sequence number + 4-byte LCRC +
// 2 bytes of framing (STP/END for Gen1-2; the Gen3-5 4-byte STP token carries the sequence number) = 24 bytes.
constexpr double kTlpOverheadBytes = 24.0;
// Link bandwidth left after ACK/NAK and flow-control-update DLLPs and SKP ordered sets (about 3%).
constexpr double kDllpEfficiency = 0.97;
// Gen6 FLIT mode: a 256-byte flit carries 236 TLP bytes (6 DLP, 8 CRC, 6 FEC bytes); DLLPs ride in the DLP
// bytes and there is no per-TLP LCRC or framing, leaving the 16-byte header per TLP.
constexpr double kFlitTlpFraction = 236.0 / 256.0;
constexpr double kFlitTlpHeaderBytes = 16.0;
// Typical max payload size of GPU root ports (nvidia-smi / lspci "MaxPayload 256 bytes").
constexpr int kDefaultMaxPayloadBytes = 256;

// Share of the encoded link rate that carries payload, for TLPs of max_payload_bytes (> 0).
constexpr double protocol_efficiency(int generation, int max_payload_bytes = kDefaultMaxPayloadBytes) {
  const double p = static_cast<double>(max_payload_bytes);
  if (generation >= 6) return kFlitTlpFraction * p / (p + kFlitTlpHeaderBytes);
  return p / (p + kTlpOverheadBytes) * kDllpEfficiency;
}

// Payload bytes per second one direction of a link can carry: lanes x GT/s x encoding / 8 x protocol
// efficiency. Gen5 x16 with 256-byte payloads: 64 GB/s raw -> 63.0 after 128b/130b -> ~55.9 GB/s.
// nullopt for an unknown generation or a width <= 0.
constexpr std::optional<double> expected_bandwidth_Bps(int generation, int width,
                                                       int max_payload_bytes = kDefaultMaxPayloadBytes) {
  const double rate = lane_rate_GTps(generation);
  if (rate <= 0.0 || width <= 0 || max_payload_bytes <= 0) return std::nullopt;
  return rate * 1e9 * width * encoding_efficiency(generation) / 8.0 *
         protocol_efficiency(generation, max_payload_bytes);
}

}  // namespace tranche::pcie
