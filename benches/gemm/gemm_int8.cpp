// gemm.int8: INT8 GEMM (int32 accumulation, exact check) throughput and correctness.
#include "benches/gemm/gemm_check.h"

namespace tranche {

using GemmInt8 = GemmCheck<GemmPrecision::int8>;
TRANCHE_REGISTER_CHECK(GemmInt8)

}  // namespace tranche
