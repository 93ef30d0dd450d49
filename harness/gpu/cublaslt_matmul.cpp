// cuBLASLt handle, descriptors, heuristic query and launch for TN products.
#include "harness/gpu/cublaslt_matmul.h"

#include <cstring>

#include "harness/gpu/cublaslt_api.h"

namespace tranche {

std::string cublaslt_version_string() {
  const CublasLtApi* lt = try_cublaslt();
  if (!lt) return "";
  const std::size_t v = lt->cublasLtGetVersion();  // major*10000 + minor*100 + patch
  return std::to_string(v / 10000) + "." + std::to_string((v / 100) % 100) + "." + std::to_string(v % 100);
}

LtHandle::LtHandle() { TRANCHE_CUBLAS(cublaslt().cublasLtCreate(&handle_)); }
LtHandle::~LtHandle() {
  if (handle_) cublaslt().cublasLtDestroy(handle_);
}

LtAlgoConfig lt_algo_config(const cublasLtMatmulAlgo_t& algo) {
  LtAlgoConfig c;
  std::size_t written = 0;
  // Attributes an algorithm does not report keep their defaults: they are for the report only.
  cublaslt().cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_ID, &c.id, sizeof c.id, &written);
  cublaslt().cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_TILE_ID, &c.tile, sizeof c.tile, &written);
  cublaslt().cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_STAGES_ID, &c.stages, sizeof c.stages, &written);
  cublaslt().cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM, &c.splitk, sizeof c.splitk, &written);
  cublaslt().cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_REDUCTION_SCHEME, &c.reduction_scheme,
                                       sizeof c.reduction_scheme, &written);
  return c;
}

std::uint32_t lt_reduction_scheme_mask(const MatmulTypes& types) {
  std::uint32_t mask = CUBLASLT_REDUCTION_SCHEME_NONE | CUBLASLT_REDUCTION_SCHEME_COMPUTE_TYPE;
  // INPLACE adds the partial sums "using the output buffer (and output data type)" (cublasLt.h), in an order the
  // header does not fix: only exact integer sums are safe for the bitwise checksum comparison.
  const bool exact_integer_sums =
      types.d == CUDA_R_32I && types.compute == CUBLAS_COMPUTE_32I && types.scale == CUDA_R_32I;
  if (exact_integer_sums) mask |= CUBLASLT_REDUCTION_SCHEME_INPLACE;
  return mask;
}

bool lt_reduction_allowed(const LtAlgoConfig& config, std::uint32_t mask) {
  return (config.reduction_scheme & ~mask) == 0;
}

namespace {
void set_one(unsigned char* out, cudaDataType_t scale_type, double value) {
  if (scale_type == CUDA_R_64F) {
    std::memcpy(out, &value, sizeof value);
  } else if (scale_type == CUDA_R_32I) {
    const auto v = static_cast<std::int32_t>(value);
    std::memcpy(out, &v, sizeof v);
  } else {
    const auto v = static_cast<float>(value);
    std::memcpy(out, &v, sizeof v);
  }
}
}  // namespace

LtMatmul::LtMatmul(cublasLtHandle_t handle, const MatmulTypes& types, std::int64_t m, std::int64_t n,
                   std::int64_t k)
    : handle_(handle), types_(types) {
  set_one(alpha_, types.scale, 1.0);
  set_one(beta_, types.scale, 0.0);
  const auto um = static_cast<std::uint64_t>(m), un = static_cast<std::uint64_t>(n),
             uk = static_cast<std::uint64_t>(k);
  try {
    TRANCHE_CUBLAS(cublaslt().cublasLtMatmulDescCreate(&desc_, types.compute, types.scale));
    const cublasOperation_t transa = CUBLAS_OP_T, transb = CUBLAS_OP_N;
    TRANCHE_CUBLAS(cublaslt().cublasLtMatmulDescSetAttribute(desc_, CUBLASLT_MATMUL_DESC_TRANSA, &transa, sizeof transa));
    TRANCHE_CUBLAS(cublaslt().cublasLtMatmulDescSetAttribute(desc_, CUBLASLT_MATMUL_DESC_TRANSB, &transb, sizeof transb));
    TRANCHE_CUBLAS(cublaslt().cublasLtMatrixLayoutCreate(&a_layout_, types.a, uk, um, k));
    TRANCHE_CUBLAS(cublaslt().cublasLtMatrixLayoutCreate(&b_layout_, types.b, uk, un, k));
    TRANCHE_CUBLAS(cublaslt().cublasLtMatrixLayoutCreate(&d_layout_, types.d, um, un, m));
  } catch (...) {
    release();
    throw;
  }
}

LtMatmul::~LtMatmul() { release(); }

void LtMatmul::release() noexcept {
  if (d_layout_) cublaslt().cublasLtMatrixLayoutDestroy(d_layout_);
  if (b_layout_) cublaslt().cublasLtMatrixLayoutDestroy(b_layout_);
  if (a_layout_) cublaslt().cublasLtMatrixLayoutDestroy(a_layout_);
  if (desc_) cublaslt().cublasLtMatmulDescDestroy(desc_);
  d_layout_ = b_layout_ = a_layout_ = nullptr;
  desc_ = nullptr;
}

void LtMatmul::set_ab_scales(const void* a_scale, const void* b_scale) {
  TRANCHE_CUBLAS(
      cublaslt().cublasLtMatmulDescSetAttribute(desc_, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, &a_scale, sizeof a_scale));
  TRANCHE_CUBLAS(
      cublaslt().cublasLtMatmulDescSetAttribute(desc_, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &b_scale, sizeof b_scale));
}

std::vector<LtCandidate> LtMatmul::candidates(std::size_t workspace_bytes, int max_count) const {
  cublasLtMatmulPreference_t pref = nullptr;
  TRANCHE_CUBLAS(cublaslt().cublasLtMatmulPreferenceCreate(&pref));
  std::vector<cublasLtMatmulHeuristicResult_t> results(static_cast<std::size_t>(max_count > 0 ? max_count : 1));
  int returned = 0;
  cublasStatus_t st = CUBLAS_STATUS_SUCCESS;
  const std::uint64_t ws = workspace_bytes;
  const std::uint32_t reductions = lt_reduction_scheme_mask(types_);
  st = cublaslt().cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof ws);
  if (st == CUBLAS_STATUS_SUCCESS) {
    st = cublaslt().cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_REDUCTION_SCHEME_MASK, &reductions,
                                              sizeof reductions);
  }
  if (st == CUBLAS_STATUS_SUCCESS) {
    st = cublaslt().cublasLtMatmulAlgoGetHeuristic(handle_, desc_, a_layout_, b_layout_, d_layout_, d_layout_, pref,
                                        static_cast<int>(results.size()), results.data(), &returned);
  }
  cublaslt().cublasLtMatmulPreferenceDestroy(pref);
  TRANCHE_CUBLAS(st);
  std::vector<LtCandidate> out;
  for (int i = 0; i < returned; ++i) {
    const auto& r = results[static_cast<std::size_t>(i)];
    if (r.state != CUBLAS_STATUS_SUCCESS || r.workspaceSize > workspace_bytes) continue;
    LtCandidate c{r.algo, r.workspaceSize, r.wavesCount, i, lt_algo_config(r.algo)};
    if (!lt_reduction_allowed(c.config, reductions)) continue;  // the preference mask is the filter; this checks it
    out.push_back(c);
  }
  if (out.empty()) {
    throw_cublas_error(CUBLAS_STATUS_NOT_SUPPORTED, "cublasLtMatmulAlgoGetHeuristic: no algorithm fits", __FILE__,
                       __LINE__);
  }
  return out;
}

cublasStatus_t LtMatmul::enqueue(const LtCandidate& candidate, const void* a, const void* b, void* d,
                                 void* workspace, std::size_t workspace_bytes, cudaStream_t stream) const {
  return cublaslt().cublasLtMatmul(handle_, desc_, alpha_, a, a_layout_, b, b_layout_, beta_, d, d_layout_, d, d_layout_,
                        &candidate.algo, workspace, workspace_bytes, stream);
}

}  // namespace tranche
