// gemm.fp8: FP8 E4M3 GEMM (scaled inputs, bf16 output, sm_89+) throughput and correctness.
#include "benches/gemm/gemm_check.h"

namespace tranche {

using GemmFp8 = GemmCheck<GemmPrecision::fp8>;
TRANCHE_REGISTER_CHECK(GemmFp8)

}  // namespace tranche
