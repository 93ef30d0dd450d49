// Host conversions between the GEMM storage formats and double (see gemm_numeric.h).
#include "benches/gemm/gemm_numeric.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace tranche {
namespace {

// A binary floating-point format with `mant` explicit significand bits and `exp_bits` exponent bits.
struct Format {
  int mant;
  int exp_bits;
  int bias;
  bool ieee_specials;  // all-ones exponent = inf/NaN (fp16, bf16); false for E4M3 (only S.1111.111 is NaN)
};
constexpr Format kFp16{10, 5, 15, true};
constexpr Format kBf16{7, 8, 127, true};
constexpr Format kE4m3{3, 4, 7, false};

double decode(const Format& f, std::uint32_t bits) {
  const std::uint32_t mant_mask = (1u << f.mant) - 1;
  const std::uint32_t exp_max = (1u << f.exp_bits) - 1;
  const bool negative = (bits >> (f.mant + f.exp_bits)) & 1u;
  const std::uint32_t e = (bits >> f.mant) & exp_max;
  const std::uint32_t m = bits & mant_mask;
  double v;
  if (f.ieee_specials && e == exp_max) {
    v = m ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
  } else if (!f.ieee_specials && e == exp_max && m == mant_mask) {
    v = std::numeric_limits<double>::quiet_NaN();
  } else if (e == 0) {
    v = std::ldexp(static_cast<double>(m), 1 - f.bias - f.mant);
  } else {
    v = std::ldexp(static_cast<double>(m | (1u << f.mant)), static_cast<int>(e) - f.bias - f.mant);
  }
  return negative ? -v : v;
}

double max_finite(const Format& f) {
  const int emax = (1 << f.exp_bits) - 1 - f.bias - (f.ieee_specials ? 1 : 0);
  // E4M3's top exponent keeps mantissas 000..110 (111 is NaN): one step below all ones.
  const double top = f.ieee_specials ? std::ldexp(1.0, f.mant + 1) - 1 : std::ldexp(1.0, f.mant + 1) - 2;
  return std::ldexp(top, emax - f.mant);
}

std::uint32_t encode(const Format& f, double x) {
  const std::uint32_t sign = std::signbit(x) ? 1u << (f.mant + f.exp_bits) : 0u;
  const std::uint32_t exp_max = (1u << f.exp_bits) - 1;
  if (std::isnan(x)) {
    return f.ieee_specials ? (exp_max << f.mant) | (1u << (f.mant - 1)) : (exp_max << f.mant) | ((1u << f.mant) - 1);
  }
  double a = std::fabs(x);
  const int emin = 1 - f.bias;
  if (a != 0 && !std::isinf(a)) {
    int e2 = 0;
    std::frexp(a, &e2);
    const int lead = std::max(e2 - 1, emin);
    const double quantum = std::ldexp(1.0, lead - f.mant);
    a = std::nearbyint(a / quantum) * quantum;  // ties to even in the default rounding mode
  }
  if (a > max_finite(f)) {
    if (f.ieee_specials) return sign | (exp_max << f.mant);
    a = max_finite(f);  // satfinite
  }
  if (a == 0) return sign;
  int e2 = 0;
  std::frexp(a, &e2);
  const int lead = e2 - 1;
  if (lead < emin) {
    return sign | static_cast<std::uint32_t>(std::ldexp(a, f.mant - emin));
  }
  const auto m = static_cast<std::uint32_t>(std::ldexp(a, f.mant - lead)) & ((1u << f.mant) - 1);
  return sign | (static_cast<std::uint32_t>(lead + f.bias) << f.mant) | m;
}

template <class T>
std::vector<double> decode_as(const void* bytes, std::size_t count) {
  std::vector<double> out(count);
  const auto* p = static_cast<const unsigned char*>(bytes);
  for (std::size_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, p + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(v);
  }
  return out;
}

template <class Bits, double (*Decode)(Bits)>
std::vector<double> decode_bits(const void* bytes, std::size_t count) {
  std::vector<double> out(count);
  const auto* p = static_cast<const unsigned char*>(bytes);
  for (std::size_t i = 0; i < count; ++i) {
    Bits v;
    std::memcpy(&v, p + i * sizeof(Bits), sizeof(Bits));
    out[i] = Decode(v);
  }
  return out;
}

}  // namespace

double decode_fp16(std::uint16_t bits) { return decode(kFp16, bits); }
double decode_bf16(std::uint16_t bits) { return decode(kBf16, bits); }
double decode_e4m3(std::uint8_t bits) { return decode(kE4m3, bits); }
std::uint16_t encode_fp16(double x) { return static_cast<std::uint16_t>(encode(kFp16, x)); }
std::uint16_t encode_bf16(double x) { return static_cast<std::uint16_t>(encode(kBf16, x)); }
std::uint8_t encode_e4m3(double x) { return static_cast<std::uint8_t>(encode(kE4m3, x)); }

float round_tf32(float x) {
  if (!std::isfinite(x)) return x;
  std::uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  u += 0x0FFFu + ((u >> 13) & 1u);  // round to nearest even on the 13 dropped bits
  u &= ~0x1FFFu;
  float r;
  std::memcpy(&r, &u, sizeof r);
  return r;
}

std::vector<double> decode_gemm_inputs(GemmPrecision p, const void* bytes, std::size_t count) {
  switch (p) {
    case GemmPrecision::fp64: return decode_as<double>(bytes, count);
    case GemmPrecision::fp32:
    case GemmPrecision::tf32: return decode_as<float>(bytes, count);
    case GemmPrecision::fp16: return decode_bits<std::uint16_t, decode_fp16>(bytes, count);
    case GemmPrecision::bf16: return decode_bits<std::uint16_t, decode_bf16>(bytes, count);
    case GemmPrecision::fp8: return decode_bits<std::uint8_t, decode_e4m3>(bytes, count);
    case GemmPrecision::int8: return decode_as<std::int8_t>(bytes, count);
  }
  return {};
}

std::vector<double> decode_gemm_outputs(GemmPrecision p, const void* bytes, std::size_t count) {
  switch (p) {
    case GemmPrecision::fp64: return decode_as<double>(bytes, count);
    case GemmPrecision::fp32:
    case GemmPrecision::tf32: return decode_as<float>(bytes, count);
    case GemmPrecision::fp16: return decode_bits<std::uint16_t, decode_fp16>(bytes, count);
    case GemmPrecision::bf16:
    case GemmPrecision::fp8: return decode_bits<std::uint16_t, decode_bf16>(bytes, count);
    case GemmPrecision::int8: return decode_as<std::int32_t>(bytes, count);
  }
  return {};
}

}  // namespace tranche
