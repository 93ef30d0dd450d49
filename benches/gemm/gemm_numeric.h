// Host conversions between the GEMM storage formats (fp16, bf16, FP8 E4M3, tf32) and double: exact decoders for
// verification and round-to-nearest-even encoders for the tests that simulate device rounding.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "benches/gemm/gemm_math.h"

namespace tranche {

// Exact values of the stored bit patterns (IEEE binary16; bfloat16 = top half of binary32; OCP FP8 E4M3 with
// bias 7, no infinities, S.1111.111 = NaN).
double decode_fp16(std::uint16_t bits);
double decode_bf16(std::uint16_t bits);
double decode_e4m3(std::uint8_t bits);

// Round-to-nearest-even encoders. fp16/bf16 overflow to infinity; E4M3 saturates to +-448 (the "satfinite"
// conversion the device uses). NaN maps to the format's NaN.
std::uint16_t encode_fp16(double x);
std::uint16_t encode_bf16(double x);
std::uint8_t encode_e4m3(double x);
// x rounded to tf32 (10 explicit significand bits, fp32 exponent range), round to nearest even.
float round_tf32(float x);

// Decodes `count` stored elements at `bytes` into doubles: inputs of A/B (fp8 -> E4M3, int8 -> int8_t) or
// outputs of D (fp8 -> bf16, int8 -> int32_t), per precision. Precondition: bytes holds count elements.
std::vector<double> decode_gemm_inputs(GemmPrecision p, const void* bytes, std::size_t count);
std::vector<double> decode_gemm_outputs(GemmPrecision p, const void* bytes, std::size_t count);

}  // namespace tranche
