// Burn-in arithmetic and host helpers: per-minute rates, stability, durations, memtest patterns on host memory,
// progress lines.
#include <gtest/gtest.h>

#include <cmath>

#include "benches/burnin/burnin_math.h"
#include "benches/burnin/burnin_progress.h"
#include "benches/memtest/memtest_host.h"
#include "harness/core/duration_text.h"
#include "harness/core/errors.h"

namespace tranche {
namespace {

using kernels::MemtestPattern;

TEST(BurninMath, PerMinuteRatesUseGpuTime) {
  std::vector<TimedBatch> b;
  for (int s = 0; s < 180; ++s) b.push_back({s + 0.5, 1e12, 0.5});  // 2 TFLOP/s by GPU time
  b.push_back({180.2, 1e12, 1.0});                                     // a stub of 1 s in minute 3: dropped
  const auto r = per_interval_rates(b, 60);
  ASSERT_EQ(r.size(), 3u);
  for (double x : r) EXPECT_DOUBLE_EQ(x, 2e12);
  EXPECT_TRUE(per_interval_rates({}, 60).empty());
}

TEST(BurninMath, Stability) {
  const Stability s = rate_stability({100, 100, 90, 100, 110});
  EXPECT_DOUBLE_EQ(*s.median, 100);
  EXPECT_DOUBLE_EQ(*s.slowest_over_median, 0.9);
  EXPECT_NEAR(*s.cv, std::sqrt(40.0) / 100, 1e-12);
  EXPECT_FALSE(rate_stability({5}).cv.has_value());
  EXPECT_FALSE(rate_stability({}).median.has_value());
}

TEST(Duration, ParsesUnitsAndBounds) {
  EXPECT_DOUBLE_EQ(parse_duration("30m", "--duration"), 1800);
  EXPECT_DOUBLE_EQ(parse_duration("1m", "--duration"), 60);
  EXPECT_DOUBLE_EQ(parse_duration("1.5h", "--duration"), 5400);
  EXPECT_DOUBLE_EQ(parse_duration("2d", "--duration"), 172800);
  EXPECT_DOUBLE_EQ(parse_duration("90", "--duration"), 90);
  for (const char* bad : {"", "m", "30x", "-5m", "59s", "31d", "1e3", "abc", "nanm"}) {
    EXPECT_THROW(parse_duration(bad, "--duration"), InputError) << bad;
  }
  try {
    parse_duration("30x", "--duration");
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--duration"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("30m"), std::string::npos);
  }
  EXPECT_EQ(format_duration(5400), "1h30m");
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(90061), "1d1h1m1s");
}

TEST(MemtestHost, EveryPatternFillsAndChecksClean) {
  std::vector<std::uint64_t> mem(4096);
  for (MemtestPattern p : {MemtestPattern::walking_ones, MemtestPattern::walking_zeros, MemtestPattern::inversion,
                           MemtestPattern::address, MemtestPattern::random}) {
    for (const MemtestStep& s : memtest_steps(p, 3)) {
      memtest_fill_host(mem, p, s.pass, 1000, 42, s.invert);
      EXPECT_EQ(memtest_check_host(mem, p, s.pass, 1000, 42, s.invert).errors, 0u);
    }
  }
}

TEST(MemtestHost, PatternsHaveTheirShape) {
  using kernels::memtest_word;
  EXPECT_EQ(memtest_word(MemtestPattern::walking_ones, 0, 3, 0, false), 1ull << 3);
  EXPECT_EQ(memtest_word(MemtestPattern::walking_ones, 5, 60, 0, false), 1ull << 1);  // (60 + 5) % 64
  EXPECT_EQ(memtest_word(MemtestPattern::walking_zeros, 0, 0, 0, false), ~1ull);
  EXPECT_EQ(memtest_word(MemtestPattern::address, 0, 123456, 0, false), 123456u);
  EXPECT_EQ(memtest_word(MemtestPattern::address, 1, 123456, 0, false), ~123456ull);
  EXPECT_EQ(memtest_word(MemtestPattern::inversion, 1, 9, 0, true), ~0x5555555555555555ull);
  EXPECT_NE(memtest_word(MemtestPattern::random, 0, 7, 1, false), memtest_word(MemtestPattern::random, 0, 7, 2, false));
  EXPECT_NE(memtest_word(MemtestPattern::random, 0, 7, 1, false), memtest_word(MemtestPattern::random, 1, 7, 1, false));
  EXPECT_EQ(memtest_steps(MemtestPattern::walking_ones, 1).size(), 64u);
  const auto inv = memtest_steps(MemtestPattern::inversion, 1);
  ASSERT_EQ(inv.size(), 8u);
  EXPECT_TRUE(inv[0].write && inv[0].verify_then_invert && !inv[0].invert);
  EXPECT_TRUE(!inv[1].write && inv[1].invert);  // verifies the complement the previous sweep wrote
}

TEST(MemtestHost, FlippedWordIsCaughtWithItsAddress) {
  std::vector<std::uint64_t> mem(1 << 16);
  memtest_fill_host(mem, MemtestPattern::random, 2, 0, 7, false);
  const std::uint64_t want = mem[5000];
  mem[5000] ^= 1ull << 17;
  mem[70] = ~mem[70];
  const MemtestResult r = memtest_check_host(mem, MemtestPattern::random, 2, 0, 7, false);
  EXPECT_EQ(r.errors, 2u);
  ASSERT_EQ(r.first.size(), 2u);
  EXPECT_EQ(r.first[0].offset, 70u);
  EXPECT_EQ(r.first[1].offset, 5000u);
  EXPECT_EQ(r.first[1].expected, want);
  EXPECT_EQ(r.first[1].got, want ^ (1ull << 17));
}

TEST(MemtestHost, RecordsAtMostTheFirstSixteen) {
  std::vector<std::uint64_t> mem(100, 0);
  const MemtestResult r = memtest_check_host(mem, MemtestPattern::walking_ones, 0, 0, 0, false);
  EXPECT_EQ(r.errors, 100u);
  EXPECT_EQ(r.first.size(), 16u);
}

TEST(Progress, LineHasEveryField) {
  ProgressState s;
  s.check = "burnin.gemm";
  s.gpu = 3;
  s.elapsed_s = 723;
  s.total_s = 1800;
  s.tflops = 612.34;
  s.temp_c = 71;
  s.errors = 0;
  EXPECT_EQ(format_progress_line(s), "burnin.gemm GPU 3  12m3s/30m  ETA 17m57s  612.3 TFLOP/s  71 C  - W  errors 0");
}

}  // namespace
}  // namespace tranche
