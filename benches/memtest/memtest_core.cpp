// run_memtest: allocate, write, verify, collect.
#include "benches/memtest/memtest_core.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "benches/memtest/memtest_host.h"
#include "harness/core/duration_estimate.h"
#include "harness/gpu/cuda_launch.h"
#include "harness/gpu/device_buffer.h"
#include "harness/gpu/stream.h"
#include "kernels/memtest.cuh"

namespace tranche {

namespace {

std::string hex(std::uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%016llx", static_cast<unsigned long long>(v));
  return b;
}

const char* pattern_name(kernels::MemtestPattern p) {
  switch (p) {
    case kernels::MemtestPattern::walking_ones: return "walking_ones";
    case kernels::MemtestPattern::walking_zeros: return "walking_zeros";
    case kernels::MemtestPattern::inversion: return "moving_inversions";
    case kernels::MemtestPattern::address: return "address_in_address";
    case kernels::MemtestPattern::random: return "random";
  }
  return "?";
}

}  // namespace

double memtest_estimate_s(const nlohmann::json& p, const std::vector<kernels::MemtestPattern>& patterns) {
  const auto random_passes = static_cast<std::uint32_t>(std::max(1.0, param_number(p, "random_passes", 4)));
  double sweeps = 0;  // passes over the tested memory: a write and a verify per step (or one combined sweep)
  for (kernels::MemtestPattern pattern : patterns) {
    for (const MemtestStep& step : memtest_steps(pattern, random_passes)) sweeps += step.write ? 2 : 1;
  }
  const double bytes = param_number(p, "memory_fraction", 0.9) * kNominalDeviceMemoryBytes;
  return kNominalSetupS + param_number(p, "passes", 1) * sweeps * bytes / kNominalHbmBytesPerS;
}

CheckInfo memtest_check_info(const std::string& id, const std::string& summary) {
  CheckInfo i;
  i.id = id;
  i.summary = summary;
  i.scope = Scope::gpu;
  i.params = {
      {"memory_fraction", 0.9, "", "share of the free memory tested (the rest stays for the driver and context)",
       0.001, 0.98},
      {"chunk_bytes", std::int64_t{1} << 30, "B", "allocation unit (a fragmented heap still yields most memory)",
       1048576, 68719476736.0, "", false, {}, 8},
      {"passes", std::int64_t{1}, "count", "repetitions of the whole pattern sequence", 1, 1000},
      {"random_passes", std::int64_t{4}, "count", "seeds of the random pattern per pass", 1, 1000},
      {"seed", std::int64_t{0x6D656D74}, "", "seed of the random pattern", 0, 9223372036854775807.0},
      {"inject_fault", false, "",
       "TEST-ONLY: flip one bit of one word after it is written to prove the verify catches it; never in "
       "acceptance runs",
       std::nullopt, std::nullopt, "", true},
  };
  i.metrics = {id + "/mismatches", id + "/tested_bytes"};
  i.timeout_s = 900.0;
  i.order = 35;
  return i;
}

Measurement run_memtest(RunContext& ctx, const std::string& id, const std::vector<kernels::MemtestPattern>& patterns) {
  const double fraction = ctx.param_double("memory_fraction");
  const std::int64_t chunk_bytes = ctx.param_int("chunk_bytes"), passes = ctx.param_int("passes");
  const std::int64_t random_passes = ctx.param_int("random_passes");
  const auto seed = static_cast<std::uint64_t>(ctx.param_int("seed"));
  const bool inject = ctx.param_bool("inject_fault");
  if (!(fraction > 0 && fraction <= 0.98)) throw InputError("check " + id + ": memory_fraction must be in (0, 0.98]");
  if (chunk_bytes < (1 << 20) || chunk_bytes % 8) throw InputError("check " + id + ": chunk_bytes must be >= 1 MiB and a multiple of 8");
  if (passes < 1 || passes > 1000) throw InputError("check " + id + ": passes must be 1..1000");
  if (random_passes < 1 || random_passes > 1000) throw InputError("check " + id + ": random_passes must be 1..1000");

  set_device(ctx.device());
  Stream stream;
  DeviceBuffer<kernels::MemtestLog> log(1);
  TRANCHE_CUDA(cudaMemsetAsync(log.data(), 0, sizeof(kernels::MemtestLog), stream.get()));
  std::size_t free_bytes = 0, total_bytes = 0;
  TRANCHE_CUDA(cudaMemGetInfo(&free_bytes, &total_bytes));
  const auto budget = static_cast<std::uint64_t>(static_cast<double>(free_bytes) * fraction);
  std::vector<DeviceBuffer<std::uint64_t>> chunks;
  std::uint64_t tested = 0;
  while (tested + static_cast<std::uint64_t>(chunk_bytes) <= budget) {
    try {
      chunks.emplace_back(static_cast<std::size_t>(chunk_bytes) / 8);
    } catch (const GpuError& e) {
      if (e.info().id != "E_OUT_OF_MEMORY") throw;
      break;  // cudaErrorMemoryAllocation is not sticky (throw_cuda_error reset it): test what we have
    }
    tested += static_cast<std::uint64_t>(chunk_bytes);
  }

  nlohmann::json steps_done = nlohmann::json::array();
  bool injected = false, cut = false;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::int64_t rep = 0; rep < passes && !cut; ++rep) {
    for (kernels::MemtestPattern pattern : patterns) {
      const auto steps = memtest_steps(pattern, static_cast<std::uint32_t>(random_passes));
      const auto ts = std::chrono::steady_clock::now();
      for (const MemtestStep& step : steps) {
        if (ctx.cancelled()) {
          cut = true;
          break;
        }
        ctx.check_deadline("memtest step");
        std::uint64_t base = 0;
        if (step.write) {
          for (auto& c : chunks) {
            TRANCHE_LAUNCH(kernels::memtest_write(c.data(), c.size(), pattern, step.pass, base, seed, step.invert,
                                                stream.get()));
            base += c.size();
          }
        }
        if (inject && !injected && !chunks.empty()) {
          TRANCHE_LAUNCH(kernels::memtest_flip_word(chunks.front().data(), chunks.front().size() / 2, stream.get()));
          injected = true;
        }
        base = 0;
        for (auto& c : chunks) {
          TRANCHE_LAUNCH(kernels::memtest_verify(c.data(), c.size(), pattern, step.pass, base, seed, step.invert,
                                               step.verify_then_invert, log.data(), stream.get()));
          base += c.size();
        }
        wait_stream(stream.get(), ctx.deadline(), "memtest step");
      }
      steps_done.push_back({{"pattern", pattern_name(pattern)},
                            {"steps", steps.size()},
                            {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - ts).count()}});
      if (cut) break;
    }
  }

  PinnedBuffer<kernels::MemtestLog> host(1);
  TRANCHE_CUDA(cudaMemcpyAsync(host.data(), log.data(), sizeof(kernels::MemtestLog), cudaMemcpyDeviceToHost,
                               stream.get()));
  wait_stream(stream.get(), ctx.deadline(), "memtest log read");
  const kernels::MemtestLog& l = *host.data();
  std::vector<kernels::MemtestBadWord> bad(l.first, l.first + std::min<unsigned>(l.recorded, kernels::kMemtestMaxRecorded));
  std::sort(bad.begin(), bad.end(), [](const auto& a, const auto& b) { return a.offset < b.offset; });
  nlohmann::json first = nlohmann::json::array();
  for (const auto& b : bad) {
    first.push_back({{"byte_offset", hex(b.offset * 8)}, {"expected", hex(b.expected)}, {"got", hex(b.got)},
                     {"bits", __builtin_popcountll(b.expected ^ b.got)}});
  }

  Measurement m;
  m.check_id = id;
  m.add_metric("mismatches", static_cast<double>(l.errors), "count").device = ctx.device();
  m.add_metric("tested_bytes", static_cast<double>(tested), "B").device = ctx.device();
  m.details = {{"free_bytes", free_bytes},
               {"total_bytes", total_bytes},
               {"chunks", chunks.size()},
               {"chunk_bytes", chunk_bytes},
               {"tested_bytes", tested},
               {"patterns", std::move(steps_done)},
               {"errors", l.errors},
               {"first_bad_words", std::move(first)},
               {"inject_fault", injected},
               {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}};
  if (cut) {
    ErrorInfo e;
    e.id = "E_INTERRUPTED";
    e.message = id + " was cut short (Ctrl-C or SIGTERM); the error count covers only the steps that ran";
    e.gpu = ctx.device();
    m.status = MeasurementStatus::error;
    m.reason = e.message;
    m.error = e;
  }
  return m;
}

}  // namespace tranche
