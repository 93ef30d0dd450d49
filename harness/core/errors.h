// The two exception types that cross layers: InputError (bad input from the operator) and GpuError (a vendor
// API call failed). A bad measured result is never an exception: it is a metric the judge fails.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>

namespace tranche {

// What went wrong in a vendor API call or in measuring; stored in the Measurement and the report.
struct ErrorInfo {
  std::string id;         // stable catalog id, e.g. "E_CUDA_API" (see error_catalog.h)
  std::string message;    // one line: what happened
  std::string api;        // "cuda", "cublasLt", "nccl", "nvml", "" when not an API failure
  long long code = 0;     // the API's numeric status
  std::string code_name;  // the API's name for it, e.g. "cudaErrorIllegalAddress"
  std::string expr;       // the call as written
  std::string where;      // file:line
  std::optional<int> gpu; // GPU index the call was made for, when known
  bool sticky = false;    // the CUDA context is unusable after this error (illegal address, launch failure)
};

// Bad operator input (unknown check, malformed file, unwritable directory): the CLI prints what() on one line
// and exits 64. The message names the file or option and the fix.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

// A vendor API call failed. Thrown by the TRANCHE_CUDA / TRANCHE_CUBLAS / ... macros in harness/gpu; caught by
// the runner per check, which records info() in the Measurement.
class GpuError : public std::runtime_error {
 public:
  explicit GpuError(ErrorInfo info);
  const ErrorInfo& info() const { return info_; }

 private:
  ErrorInfo info_;
};

}  // namespace tranche
