// host.memcpy: host memory copy bandwidth, verified. Needs no GPU, so it also drives the runner, the supervisor
// and TRANCHE_FAULT end to end on machines without one (tests/cli/fault_injection_test.cpp).
#include <chrono>
#include <cstdint>
#include <cstring>
#include <vector>

#include "harness/core/duration_estimate.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class HostMemcpy final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo{
        "host.memcpy",
        "host DRAM copy bandwidth (memcpy, bytes read + written per second), every copy verified; needs no GPU",
        Scope::node,
        {{"bytes", 64ll << 20, "B", "bytes per buffer", 8, 17179869184.0},
         {"samples", 5, "count", "timed copies (one untimed warm-up)", 1, 1000}},
        {"host.memcpy/bandwidth", "host.memcpy/mismatches"},
        30.0,
        60,
        true,
        // Random fill, the copies and their verification at a few GB/s of host DRAM.
        [](const nlohmann::json& p, int) {
          return 0.1 + (param_number(p, "samples", 5) + 3) * param_number(p, "bytes", 64ll << 20) / 5e9;
        }};
    return kInfo;
  }

  Measurement run(RunContext& ctx) override {
    const std::int64_t bytes = ctx.param_int("bytes");
    const std::int64_t samples = ctx.param_int("samples");
    if (bytes < 8 || bytes > (std::int64_t{1} << 34) || samples < 1 || samples > 1000) {
      throw InputError("host.memcpy: bytes must be in [8, 16 GiB] and samples in [1, 1000]");
    }
    const size_t words = static_cast<size_t>(bytes) / sizeof(std::uint64_t);
    std::vector<std::uint64_t> src(words), dst(words, 0);
    std::uint64_t x = 0x9e3779b97f4a7c15ull;  // xorshift: random, never zeros
    for (auto& w : src) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      w = x;
    }
    std::vector<double> rates;
    double mismatches = 0;
    for (std::int64_t i = 0; i <= samples; ++i) {
      ctx.check_deadline("host.memcpy");
      const auto t0 = std::chrono::steady_clock::now();
      std::memcpy(dst.data(), src.data(), words * sizeof(std::uint64_t));
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (std::memcmp(dst.data(), src.data(), words * sizeof(std::uint64_t)) != 0) ++mismatches;
      src[i % words] ^= 1;  // so no copy can be elided or served from the previous one
      if (i > 0 && s > 0) rates.push_back(2.0 * static_cast<double>(words * sizeof(std::uint64_t)) / s);
    }
    Measurement m;
    m.check_id = info().id;
    m.add_median_metric("bandwidth", rates, "B/s");
    m.add_metric("mismatches", mismatches, "count");
    return m;
  }
};

}  // namespace

TRANCHE_REGISTER_CHECK(HostMemcpy)

}  // namespace tranche
