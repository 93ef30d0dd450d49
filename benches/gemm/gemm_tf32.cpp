// gemm.tf32: TF32 GEMM (fp32 data, CUBLAS_COMPUTE_32F_FAST_TF32) throughput and correctness.
#include "benches/gemm/gemm_check.h"

namespace tranche {

using GemmTf32 = GemmCheck<GemmPrecision::tf32>;
TRANCHE_REGISTER_CHECK(GemmTf32)

}  // namespace tranche
