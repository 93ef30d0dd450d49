// gemm.fp64: FP64 GEMM (CUBLAS_COMPUTE_64F) throughput and correctness.
#include "benches/gemm/gemm_check.h"

namespace tranche {

using GemmFp64 = GemmCheck<GemmPrecision::fp64>;
TRANCHE_REGISTER_CHECK(GemmFp64)

}  // namespace tranche
