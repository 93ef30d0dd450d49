// preflight.driver: is there a CUDA driver and at least one device? Reports versions and the device count.
#include "harness/core/registry.h"

namespace tranche {
namespace {

class PreflightDriver final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo{
        "preflight.driver",
        "CUDA driver present, driver and runtime versions, number of visible devices",
        Scope::node,
        {},
        {"preflight.driver/device_count", "preflight.driver/cuda_driver_version",
         "preflight.driver/cuda_runtime_version"},
        10.0,
        0,
        false,  // judged by built-in rules: device_count is information, not a figure a baseline holds
        [](const nlohmann::json&, int) { return 0.1; }};  // reads what the probe found: no device work
    return kInfo;
  }

  Measurement run(RunContext& ctx) override {
    const SystemInfo& sys = ctx.system();
    Measurement m;
    m.check_id = info().id;
    m.add_metric("device_count", static_cast<double>(sys.gpus.size()), "count");
    m.add_metric("cuda_driver_version", static_cast<double>(sys.cuda_driver_version), "count");
    m.add_metric("cuda_runtime_version", static_cast<double>(sys.cuda_runtime_version), "count");
    if (sys.device_error) {
      // The node cannot be tested: this is an error (could not measure), not a failed figure.
      m.status = MeasurementStatus::error;
      m.error = sys.device_error;
      m.reason = sys.device_error->message;
    }
    return m;
  }
};

}  // namespace

TRANCHE_REGISTER_CHECK(PreflightDriver)

}  // namespace tranche
