// gemm.fp16: FP16 GEMM (fp32 accumulation) throughput and correctness.
#include "benches/gemm/gemm_check.h"

namespace tranche {

using GemmFp16 = GemmCheck<GemmPrecision::fp16>;
TRANCHE_REGISTER_CHECK(GemmFp16)

}  // namespace tranche
