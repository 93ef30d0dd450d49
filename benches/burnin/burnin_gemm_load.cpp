// GemmLoad: operands, deterministic algorithm choice, product + checksum enqueue, host verification.
#include "benches/burnin/burnin_gemm_load.h"

#include "benches/gemm/gemm_numeric.h"
#include "harness/core/errors.h"
#include "harness/gpu/cublaslt_matmul.h"
#include "harness/gpu/cuda_launch.h"
#include "harness/gpu/device_buffer.h"
#include "harness/gpu/stream.h"
#include "kernels/burnin.cuh"
#include "kernels/gemm_fill.cuh"

namespace tranche {

namespace {

struct Setup {
  MatmulTypes types;
  kernels::GemmElement element;
};

Setup setup_for(GemmPrecision p) {
  switch (p) {
    case GemmPrecision::fp64:
      return {{CUDA_R_64F, CUDA_R_64F, CUDA_R_64F, CUDA_R_64F, CUBLAS_COMPUTE_64F, CUDA_R_64F},
              kernels::GemmElement::f64};
    case GemmPrecision::fp32:
      return {{CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F, CUDA_R_32F},
              kernels::GemmElement::f32};
    case GemmPrecision::tf32:
      return {{CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, CUDA_R_32F},
              kernels::GemmElement::f32};
    case GemmPrecision::fp16:
      return {{CUDA_R_16F, CUDA_R_16F, CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, CUDA_R_32F},
              kernels::GemmElement::f16};
    default:
      return {{CUDA_R_16BF, CUDA_R_16BF, CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F},
              kernels::GemmElement::bf16};
  }
}

}  // namespace

GemmPrecision burnin_precision(const std::string& name, const std::string& check) {
  for (GemmPrecision p : {GemmPrecision::fp64, GemmPrecision::fp32, GemmPrecision::tf32, GemmPrecision::fp16,
                          GemmPrecision::bf16}) {
    if (gemm_precision_name(p) == name) return p;
  }
  throw InputError("check " + check + ": precision '" + name + "' is not one of fp64, fp32, tf32, fp16, bf16");
}

struct GemmLoad::State {
  GemmPrecision precision;
  GemmShape shape;
  Setup setup;
  GemmSample sample;
  cudaStream_t stream;
  LtHandle handle;
  std::unique_ptr<LtMatmul> matmul;
  DeviceBuffer<unsigned char> a, b, d, workspace;
  DeviceBuffer<kernels::ChecksumState> checksum;
  LtCandidate chosen;
  int offered = 0;
  std::int64_t enqueued = 0;
};

GemmLoad::GemmLoad(GemmPrecision p, const GemmShape& shape, std::uint64_t seed, std::int64_t workspace_bytes,
                   std::int64_t verify_samples, cudaStream_t stream, Deadline deadline)
    : s_(std::make_unique<State>()) {
  State& s = *s_;
  s.precision = p;
  s.shape = shape;
  s.setup = setup_for(p);
  s.stream = stream;
  s.sample = choose_gemm_sample(shape, verify_samples, seed);
  const auto in = static_cast<std::size_t>(gemm_input_bytes(p)), out = static_cast<std::size_t>(gemm_output_bytes(p));
  const auto m = static_cast<std::size_t>(shape.m), n = static_cast<std::size_t>(shape.n),
             k = static_cast<std::size_t>(shape.k);
  s.a = DeviceBuffer<unsigned char>(m * k * in);
  s.b = DeviceBuffer<unsigned char>(k * n * in);
  s.d = DeviceBuffer<unsigned char>(m * n * out);
  s.workspace = DeviceBuffer<unsigned char>(static_cast<std::size_t>(workspace_bytes));
  s.checksum = DeviceBuffer<kernels::ChecksumState>(1);
  TRANCHE_LAUNCH(kernels::fill_gemm_input(s.a.data(), m * k, s.setup.element, seed * 1000003ull, 1.0f, stream));
  TRANCHE_LAUNCH(kernels::fill_gemm_input(s.b.data(), k * n, s.setup.element, seed * 1000003ull + 1, 1.0f, stream));
  TRANCHE_LAUNCH(kernels::checksum_reset(s.checksum.data(), stream));
  s.matmul = std::make_unique<LtMatmul>(s.handle.get(), s.setup.types, shape.m, shape.n, shape.k);
  const std::vector<LtCandidate> offered = s.matmul->candidates(s.workspace.size(), 16);
  s.offered = static_cast<int>(offered.size());
  bool found = false;
  for (const LtCandidate& c : offered) {
    if (c.config.splitk <= 1) {
      s.chosen = c;
      found = true;
      break;
    }
  }
  if (!found) {
    throw_cublas_error(CUBLAS_STATUS_NOT_SUPPORTED,
                       "cublasLtMatmulAlgoGetHeuristic: no algorithm without split-K for the burn-in shape", __FILE__,
                       __LINE__);
  }
  wait_stream(stream, deadline, "burn-in GEMM operand fill");
}

GemmLoad::~GemmLoad() = default;

void GemmLoad::enqueue(std::int64_t count, bool flip_first) {
  State& s = *s_;
  for (std::int64_t i = 0; i < count; ++i) {
    TRANCHE_CUBLAS(s.matmul->enqueue(s.chosen, s.a.data(), s.b.data(), s.d.data(), s.workspace.data(),
                                     s.workspace.size(), s.stream));
    if (flip_first && i == 0) TRANCHE_LAUNCH(kernels::flip_bit(s.d.data(), 0, 0, s.stream));
    TRANCHE_LAUNCH(kernels::output_checksum(s.d.data(), s.d.size(), kernels::checksum_sum(s.checksum.data()), s.stream));
    TRANCHE_LAUNCH(kernels::checksum_compare(s.checksum.data(), s.stream));
    ++s.enqueued;
  }
}

GemmVerification GemmLoad::verify(Deadline deadline) {
  State& s = *s_;
  const auto k = static_cast<std::size_t>(s.shape.k), m = static_cast<std::size_t>(s.shape.m);
  const auto in = static_cast<std::size_t>(gemm_input_bytes(s.precision));
  const auto out = static_cast<std::size_t>(gemm_output_bytes(s.precision));
  const std::size_t nr = s.sample.rows.size(), nc = s.sample.cols.size();
  PinnedBuffer<unsigned char> host(nr * k * in + nc * k * in + nc * m * out);
  unsigned char* ha = host.data();
  unsigned char* hb = ha + nr * k * in;
  unsigned char* hd = hb + nc * k * in;
  // TN layout: row i of A, column j of B and column j of D are contiguous.
  for (std::size_t r = 0; r < nr; ++r) {
    const auto i = static_cast<std::size_t>(s.sample.rows[r]);
    TRANCHE_CUDA(cudaMemcpyAsync(ha + r * k * in, s.a.data() + i * k * in, k * in, cudaMemcpyDeviceToHost, s.stream));
  }
  for (std::size_t c = 0; c < nc; ++c) {
    const auto j = static_cast<std::size_t>(s.sample.cols[c]);
    TRANCHE_CUDA(cudaMemcpyAsync(hb + c * k * in, s.b.data() + j * k * in, k * in, cudaMemcpyDeviceToHost, s.stream));
    TRANCHE_CUDA(cudaMemcpyAsync(hd + c * m * out, s.d.data() + j * m * out, m * out, cudaMemcpyDeviceToHost, s.stream));
  }
  wait_stream(s.stream, deadline, "burn-in GEMM verification copy");
  const std::vector<double> a = decode_gemm_inputs(s.precision, ha, nr * k);
  const std::vector<double> b = decode_gemm_inputs(s.precision, hb, nc * k);
  const std::vector<double> dcols = decode_gemm_outputs(s.precision, hd, nc * m);
  std::vector<double> observed(nr * nc);
  for (std::size_t r = 0; r < nr; ++r) {
    for (std::size_t c = 0; c < nc; ++c) observed[r * nc + c] = dcols[c * m + static_cast<std::size_t>(s.sample.rows[r])];
  }
  return verify_gemm_sample(s.precision, s.shape.k, s.sample, a, b, observed);
}

GemmCounts GemmLoad::counts(Deadline deadline) {
  State& s = *s_;
  PinnedBuffer<kernels::ChecksumState> host(1);
  TRANCHE_CUDA(cudaMemcpyAsync(host.data(), s.checksum.data(), sizeof(kernels::ChecksumState), cudaMemcpyDeviceToHost,
                               s.stream));
  wait_stream(s.stream, deadline, "burn-in checksum read");
  const kernels::ChecksumState& c = *host.data();
  GemmCounts out;
  out.products = static_cast<std::int64_t>(c.iterations);
  out.mismatches = static_cast<std::int64_t>(c.mismatches);
  if (c.first_bad_iteration != ~0ull) out.first_bad = static_cast<std::int64_t>(c.first_bad_iteration);
  if (c.last_bad_iteration != ~0ull) out.last_bad = static_cast<std::int64_t>(c.last_bad_iteration);
  return out;
}

std::int64_t GemmLoad::enqueued() const { return s_->enqueued; }
double GemmLoad::flops_per_product() const { return gemm_flops(s_->shape); }
GemmPrecision GemmLoad::precision() const { return s_->precision; }

nlohmann::json GemmLoad::details() const {
  const State& s = *s_;
  return {{"precision", std::string(gemm_precision_name(s.precision))},
          {"m", s.shape.m},
          {"n", s.shape.n},
          {"k", s.shape.k},
          {"algorithm_id", s.chosen.config.id},
          {"tile_id", s.chosen.config.tile},
          {"splitk", s.chosen.config.splitk},
          {"heuristic_rank", s.chosen.rank},
          {"candidates_offered", s.offered},
          {"verify_elements", s.sample.size()}};
}

}  // namespace tranche
