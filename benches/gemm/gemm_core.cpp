// GemmBench: operands in rotated sets, cuBLASLt candidate selection, CUDA-event timing and host verification.
#include "benches/gemm/gemm_core.h"

#include <algorithm>
#include <cstring>

#include "benches/gemm/gemm_numeric.h"
#include "harness/gpu/cublaslt_api.h"
#include "harness/gpu/cuda_launch.h"
#include "harness/gpu/device_buffer.h"
#include "harness/gpu/stream.h"
#include "kernels/gemm_fill.cuh"

namespace tranche {
namespace {

using kernels::GemmElement;

struct PrecisionSetup {
  MatmulTypes types;
  GemmElement input;
  GemmElement output;
  float input_scale;  // inputs are uniform in [-input_scale, input_scale] (int8: ignored)
};

// FP8 inputs use the E4M3 range up to 16 and are scaled back by 1/16 each (powers of two: exact on the host).
constexpr float kFp8InputScale = 16.0f;
constexpr float kFp8Scales[2] = {1.0f / kFp8InputScale, 1.0f / kFp8InputScale};  // A, B

PrecisionSetup setup_for(GemmPrecision p) {
  switch (p) {
    case GemmPrecision::fp64:
      return {{CUDA_R_64F, CUDA_R_64F, CUDA_R_64F, CUDA_R_64F, CUBLAS_COMPUTE_64F, CUDA_R_64F},
              GemmElement::f64, GemmElement::f64, 1.0f};
    case GemmPrecision::fp32:
      return {{CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F, CUDA_R_32F},
              GemmElement::f32, GemmElement::f32, 1.0f};
    case GemmPrecision::tf32:
      return {{CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, CUDA_R_32F},
              GemmElement::f32, GemmElement::f32, 1.0f};
    case GemmPrecision::fp16:
      return {{CUDA_R_16F, CUDA_R_16F, CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, CUDA_R_32F},
              GemmElement::f16, GemmElement::f16, 1.0f};
    case GemmPrecision::bf16:
      return {{CUDA_R_16BF, CUDA_R_16BF, CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F},
              GemmElement::bf16, GemmElement::bf16, 1.0f};
    case GemmPrecision::fp8:
      return {{CUDA_R_8F_E4M3, CUDA_R_8F_E4M3, CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F},
              GemmElement::e4m3, GemmElement::bf16, kFp8InputScale};
    case GemmPrecision::int8:
      return {{CUDA_R_8I, CUDA_R_8I, CUDA_R_32I, CUDA_R_32I, CUBLAS_COMPUTE_32I, CUDA_R_32I},
              GemmElement::i8, GemmElement::i32, 1.0f};
  }
  return {};
}

struct OperandSet {
  DeviceBuffer<unsigned char> a, b, d;
  bool written = false;
};

nlohmann::json candidate_json(const LtCandidate& c) {
  return {{"rank", c.rank},
          {"algorithm_id", c.config.id},
          {"tile_id", c.config.tile},
          {"stages_id", c.config.stages},
          {"splitk", c.config.splitk},
          {"reduction_scheme", c.config.reduction_scheme},
          {"workspace_bytes", c.workspace_bytes},
          {"waves", c.waves}};
}

}  // namespace

struct GemmBench::State {
  GemmPrecision precision;
  GemmShape shape;
  GemmOptions options;
  PrecisionSetup setup;
  GemmSample sample;
  Stream stream;
  LtHandle handle;
  std::unique_ptr<LtMatmul> matmul;
  std::vector<OperandSet> sets;
  DeviceBuffer<unsigned char> workspace;
  DeviceBuffer<float> scales;  // FP8: A scale, B scale
  std::vector<LtCandidate> offered;
  std::vector<CandidateTiming> timings;
  std::optional<std::size_t> chosen;
  std::int64_t launches = 0;  // products enqueued with the chosen algorithm (drives the rotation)
  std::int64_t last_set = -1;
  bool planted = false;

  std::uint64_t in_bytes(std::int64_t elements) const {
    return static_cast<std::uint64_t>(elements) * static_cast<std::uint64_t>(gemm_input_bytes(precision));
  }
  double product_scale() const {
    return precision == GemmPrecision::fp8 ? 1.0 / (double{kFp8InputScale} * double{kFp8InputScale}) : 1.0;
  }
  cublasStatus_t launch(const LtCandidate& c, std::size_t set) {
    OperandSet& s = sets[set];
    return matmul->enqueue(c, s.a.data(), s.b.data(), s.d.data(), workspace.data(), workspace.size(), stream.get());
  }
};

GemmBench::GemmBench(GemmPrecision p, const GemmShape& shape, const GemmOptions& options, std::uint64_t l2_bytes,
                     Deadline deadline)
    : s_(std::make_unique<State>()) {
  State& s = *s_;
  s.precision = p;
  s.shape = shape;
  s.options = options;
  s.setup = setup_for(p);
  s.sample = choose_gemm_sample(shape, options.verify_samples, options.seed);

  std::size_t free_bytes = 0, total_bytes = 0;
  TRANCHE_CUDA(cudaMemGetInfo(&free_bytes, &total_bytes));
  const auto workspace = static_cast<std::uint64_t>(options.workspace_bytes);
  // Leave a quarter of the free memory to cuBLASLt, the other checks' contexts and the driver.
  const std::uint64_t budget = free_bytes / 4 * 3 > workspace ? free_bytes / 4 * 3 - workspace : 0;
  const std::int64_t rotation = gemm_rotation_count(gemm_set_bytes(p, shape), l2_bytes, budget);

  s.workspace = DeviceBuffer<unsigned char>(workspace);
  const std::int64_t a_elems = shape.m * shape.k, b_elems = shape.k * shape.n, d_elems = shape.m * shape.n;
  for (std::int64_t i = 0; i < rotation; ++i) {
    OperandSet set;
    set.a = DeviceBuffer<unsigned char>(s.in_bytes(a_elems));
    set.b = DeviceBuffer<unsigned char>(s.in_bytes(b_elems));
    set.d = DeviceBuffer<unsigned char>(static_cast<std::size_t>(d_elems) *
                                        static_cast<std::size_t>(gemm_output_bytes(p)));
    const std::uint64_t base = options.seed * 1000003ull + 2 * static_cast<std::uint64_t>(i);
    TRANCHE_LAUNCH(kernels::fill_gemm_input(set.a.data(), static_cast<std::size_t>(a_elems), s.setup.input, base,
                                          s.setup.input_scale, s.stream.get()));
    TRANCHE_LAUNCH(kernels::fill_gemm_input(set.b.data(), static_cast<std::size_t>(b_elems), s.setup.input, base + 1,
                                          s.setup.input_scale, s.stream.get()));
    s.sets.push_back(std::move(set));
  }
  s.matmul = std::make_unique<LtMatmul>(s.handle.get(), s.setup.types, shape.m, shape.n, shape.k);
  if (p == GemmPrecision::fp8) {
    s.scales = DeviceBuffer<float>(2);
    TRANCHE_CUDA(cudaMemcpyAsync(s.scales.data(), kFp8Scales, sizeof kFp8Scales, cudaMemcpyHostToDevice,
                                 s.stream.get()));
    s.matmul->set_ab_scales(s.scales.data(), s.scales.data() + 1);
  }
  s.offered = s.matmul->candidates(s.workspace.size(), static_cast<int>(options.candidates));
  wait_stream(s.stream.get(), deadline, "GEMM operand fill");
}

GemmBench::~GemmBench() = default;

double GemmBench::select_algorithm(Deadline deadline) {
  State& s = *s_;
  s.timings.clear();
  std::size_t set = 0;
  auto next_set = [&] { return set++ % s.sets.size(); };
  for (const LtCandidate& c : s.offered) {
    CandidateTiming t{c, std::nullopt, ""};
    EventTimer first;
    first.start(s.stream.get());
    const cublasStatus_t st = s.launch(c, next_set());
    first.stop(s.stream.get());
    if (st != CUBLAS_STATUS_SUCCESS) {
      // A candidate the library cannot run is skipped, unless the GPU itself failed (a sticky CUDA error: the
      // context is unusable). sticky_cuda_error_now also resets a non-sticky error the failed launch left behind.
      if (sticky_cuda_error_now() != cudaSuccess) throw_cublas_error(st, "cublasLtMatmul(candidate)", __FILE__, __LINE__);
      t.error = cublaslt().cublasLtGetStatusName(st);
      s.timings.push_back(std::move(t));
      continue;
    }
    // The first launch is the warm-up (it may load the kernel); size the timed group from it, ~5 ms.
    const double first_s = first.elapsed_s(deadline);
    const std::int64_t reps = std::clamp<std::int64_t>(gemm_iterations_for(0.005, first_s, 200), 2, 200);
    EventTimer timer;
    timer.start(s.stream.get());
    for (std::int64_t r = 0; r < reps; ++r) TRANCHE_CUBLAS(s.launch(c, next_set()));
    timer.stop(s.stream.get());
    t.seconds_per_gemm = timer.elapsed_s(deadline) / static_cast<double>(reps);
    s.timings.push_back(std::move(t));
  }
  for (std::size_t i = 0; i < s.timings.size(); ++i) {
    const auto& t = s.timings[i].seconds_per_gemm;
    if (t && (!s.chosen || *t < *s.timings[*s.chosen].seconds_per_gemm)) s.chosen = i;
  }
  if (!s.chosen) {
    throw_cublas_error(CUBLAS_STATUS_NOT_SUPPORTED, "cublasLtMatmul: every heuristic candidate failed to launch",
                       __FILE__, __LINE__);
  }
  return *s.timings[*s.chosen].seconds_per_gemm;
}

void GemmBench::enqueue(std::int64_t count) {
  State& s = *s_;
  const LtCandidate& c = chosen();
  for (std::int64_t i = 0; i < count; ++i) {
    const auto set = static_cast<std::size_t>(s.launches % static_cast<std::int64_t>(s.sets.size()));
    TRANCHE_CUBLAS(s.launch(c, set));
    s.sets[set].written = true;
    s.last_set = static_cast<std::int64_t>(set);
    ++s.launches;
  }
}

std::vector<double> GemmBench::time_samples(std::int64_t samples, std::int64_t iterations, Deadline deadline) {
  State& s = *s_;
  // All samples are enqueued back to back so the GPU never idles between them (steady power and clocks).
  std::vector<std::unique_ptr<EventTimer>> timers;
  for (std::int64_t i = 0; i < samples; ++i) {
    timers.push_back(std::make_unique<EventTimer>());
    timers.back()->start(s.stream.get());
    enqueue(iterations);
    timers.back()->stop(s.stream.get());
  }
  std::vector<double> seconds;
  for (auto& t : timers) seconds.push_back(t->elapsed_s(deadline));
  return seconds;
}

void GemmBench::plant_error() {
  State& s = *s_;
  if (s.last_set < 0 || s.sample.size() == 0) return;
  const std::int64_t row = s.sample.rows.front(), col = s.sample.cols.front();
  const double delta = s.setup.output == GemmElement::f16 ? 16384.0 : 1.0e6;
  TRANCHE_LAUNCH(kernels::plant_gemm_error(s.sets[static_cast<std::size_t>(s.last_set)].d.data(), s.setup.output,
                                         static_cast<std::size_t>(col * s.shape.m + row), delta, s.stream.get()));
  s.planted = true;
}

GemmVerification GemmBench::verify(Deadline deadline) {
  State& s = *s_;
  wait_stream(s.stream.get(), deadline, "GEMM timed loop");
  const auto k = static_cast<std::size_t>(s.shape.k), m = static_cast<std::size_t>(s.shape.m);
  const std::size_t nr = s.sample.rows.size(), nc = s.sample.cols.size();
  const auto in = static_cast<std::size_t>(gemm_input_bytes(s.precision));
  const auto out = static_cast<std::size_t>(gemm_output_bytes(s.precision));
  const std::size_t a_bytes = nr * k * in, b_bytes = nc * k * in, d_bytes = nc * m * out;
  PinnedBuffer<unsigned char> host(a_bytes + b_bytes + d_bytes);
  GemmVerification total;
  for (const OperandSet& set : s.sets) {
    if (!set.written) continue;
    unsigned char* ha = host.data();
    unsigned char* hb = ha + a_bytes;
    unsigned char* hd = hb + b_bytes;
    // Row i of A, column j of B and column j of D are contiguous in the TN layout.
    for (std::size_t r = 0; r < nr; ++r) {
      const auto i = static_cast<std::size_t>(s.sample.rows[r]);
      TRANCHE_CUDA(cudaMemcpyAsync(ha + r * k * in, set.a.data() + i * k * in, k * in, cudaMemcpyDeviceToHost,
                                   s.stream.get()));
    }
    for (std::size_t c = 0; c < nc; ++c) {
      const auto j = static_cast<std::size_t>(s.sample.cols[c]);
      TRANCHE_CUDA(cudaMemcpyAsync(hb + c * k * in, set.b.data() + j * k * in, k * in, cudaMemcpyDeviceToHost,
                                   s.stream.get()));
      TRANCHE_CUDA(cudaMemcpyAsync(hd + c * m * out, set.d.data() + j * m * out, m * out, cudaMemcpyDeviceToHost,
                                   s.stream.get()));
    }
    wait_stream(s.stream.get(), deadline, "GEMM verification copy");
    const std::vector<double> a = decode_gemm_inputs(s.precision, ha, nr * k);
    const std::vector<double> b = decode_gemm_inputs(s.precision, hb, nc * k);
    const std::vector<double> dcols = decode_gemm_outputs(s.precision, hd, nc * m);
    std::vector<double> observed(nr * nc);
    for (std::size_t r = 0; r < nr; ++r) {
      for (std::size_t c = 0; c < nc; ++c) {
        observed[r * nc + c] = dcols[c * m + static_cast<std::size_t>(s.sample.rows[r])];
      }
    }
    const GemmVerification v =
        verify_gemm_sample(s.precision, s.shape.k, s.sample, a, b, observed, s.product_scale());
    total.checked += v.checked;
    total.mismatches += v.mismatches;
    total.non_finite += v.non_finite;
    total.max_error_ratio = std::max(total.max_error_ratio, v.max_error_ratio);
    for (const auto& f : v.first) {
      if (total.first.size() < 8) total.first.push_back(f);
    }
  }
  return total;
}

std::int64_t GemmBench::rotation_sets() const { return static_cast<std::int64_t>(s_->sets.size()); }
std::uint64_t GemmBench::set_bytes() const { return gemm_set_bytes(s_->precision, s_->shape); }
const std::vector<CandidateTiming>& GemmBench::candidate_timings() const { return s_->timings; }

const LtCandidate& GemmBench::chosen() const {
  if (!s_->chosen) {
    throw_cublas_error(CUBLAS_STATUS_NOT_INITIALIZED, "GemmBench::chosen before select_algorithm", __FILE__,
                       __LINE__);
  }
  return s_->timings[*s_->chosen].candidate;
}

nlohmann::json GemmBench::details() const {
  const State& s = *s_;
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& t : s.timings) {
    nlohmann::json c = candidate_json(t.candidate);
    c["seconds_per_gemm"] = t.seconds_per_gemm ? nlohmann::json(*t.seconds_per_gemm) : nlohmann::json(nullptr);
    if (!t.error.empty()) c["error"] = t.error;
    candidates.push_back(std::move(c));
  }
  const GemmTolerance tol = gemm_tolerance(s.precision, s.shape.k);
  nlohmann::json d = {
      {"m", s.shape.m},
      {"n", s.shape.n},
      {"k", s.shape.k},
      {"layout", "TN: A k x m (lda=k), B k x n (ldb=k), D m x n (ldd=m), column-major"},
      {"rotation_sets", s.sets.size()},
      {"set_bytes", set_bytes()},
      {"workspace_bytes", s.workspace.size()},
      {"candidates_offered", s.offered.size()},
      {"candidates", std::move(candidates)},
      {"chosen", s.chosen ? candidate_json(s.timings[*s.chosen].candidate) : nlohmann::json(nullptr)},
      {"verify_rows", s.sample.rows.size()},
      {"verify_cols", s.sample.cols.size()},
      {"tolerance", {{"sum_coeff", tol.sum_coeff}, {"ref_coeff", tol.ref_coeff}, {"floor", tol.floor}}},
      {"plant_error", s.planted},
  };
  if (s.precision == GemmPrecision::fp8) {
    d["fp8_input_range"] = kFp8InputScale;
    d["fp8_a_scale"] = 1.0 / kFp8InputScale;
    d["fp8_b_scale"] = 1.0 / kFp8InputScale;
  }
  return d;
}

}  // namespace tranche
