// BurninSession: what every long load check shares — its duration and deadline, the GPU's telemetry sampler,
// the live progress line, and how a cut-short run is reported.
#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "harness/core/check.h"
#include "harness/core/telemetry.h"
#include "harness/gpu/telemetry_sampler.h"

namespace tranche {

// Parameters every burn-in check declares: its length `duration_param` (burnin.gemm's "duration_s" is what
// --duration and the profile's "duration" set; burnin.power's "load_s" is its own), sample_interval_s and
// report_points.
std::vector<ParamSpec> burnin_session_params(double default_duration_s, const char* duration_param = "duration_s");

// The CheckInfo of a burn-in check: scope gpu; params burnin_session_params(default_duration_s, duration_param)
// then `own_params`; metrics <id>/<q> for `own_quantities` then the telemetry ones (burnin_telemetry_quantities);
// timeout default_duration_s + 300 s (set-up, verification, the report).
CheckInfo burnin_check_info(const std::string& id, const std::string& summary, double default_duration_s,
                            const char* duration_param, const std::vector<ParamSpec>& own_params,
                            const std::vector<std::string>& own_quantities, int order);

class BurninSession {
 public:
  // Reads `duration_param`, sample_interval_s and report_points from ctx (InputError naming the check when out
  // of range). Does not start anything.
  BurninSession(RunContext& ctx, std::string check_id, const char* duration_param = "duration_s");
  BurninSession(const BurninSession&) = delete;
  BurninSession& operator=(const BurninSession&) = delete;

  // Starts the sampler and the clock; the load ends duration_s later (or earlier: a minute before the check's
  // deadline, or at Ctrl-C/SIGTERM).
  void start();
  // True while the load should continue: not cancelled, duration not reached, deadline not near. Call every
  // iteration.
  bool keep_going() const;
  double elapsed_s() const;
  double duration_s() const { return duration_s_; }
  bool cut_short() const { return cancelled_seen_; }
  // Updates this GPU's progress line with the newest telemetry.
  void progress(std::optional<double> tflops, long long errors);
  const TelemetrySampler& sampler() const { return *sampler_; }

  // Stops the sampler; appends the telemetry metrics (burnin_metrics.h) and details["telemetry"] (downsampled
  // series with its summary) and details["burnin"] (asked and ran seconds, cut_short). A cancelled run becomes
  // status error E_INTERRUPTED "cut short after X of Y" while keeping every metric and detail. Returns the summary.
  TelemetrySummary finish(Measurement& m, long long errors);

 private:
  RunContext& ctx_;
  std::string check_id_;
  double duration_s_ = 0, interval_s_ = 1;
  std::size_t report_points_ = 1440;
  std::unique_ptr<TelemetrySampler> sampler_;
  std::chrono::steady_clock::time_point t0_{}, end_{};
  mutable bool cancelled_seen_ = false;
};

}  // namespace tranche
