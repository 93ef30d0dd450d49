// gemm.fp32: FP32 GEMM (CUBLAS_COMPUTE_32F, no TF32) throughput and correctness.
#include "benches/gemm/gemm_check.h"

namespace tranche {

using GemmFp32 = GemmCheck<GemmPrecision::fp32>;
TRANCHE_REGISTER_CHECK(GemmFp32)

}  // namespace tranche
