// gemm.bf16: BF16 GEMM (fp32 accumulation) throughput and correctness.
#include "benches/gemm/gemm_check.h"

namespace tranche {

using GemmBf16 = GemmCheck<GemmPrecision::bf16>;
TRANCHE_REGISTER_CHECK(GemmBf16)

}  // namespace tranche
