// BurninSession: deadline, sampler, progress and the cut-short report.
#include "benches/burnin/burnin_session.h"

#include "benches/burnin/burnin_metrics.h"
#include "benches/burnin/burnin_progress.h"
#include "harness/core/duration_text.h"

namespace tranche {

std::vector<ParamSpec> burnin_session_params(double default_duration_s, const char* duration_param) {
  const bool run_wide = std::string(duration_param) == "duration_s";
  return {
      {duration_param, default_duration_s, "s",
       run_wide ? "how long to load the GPU (set by --duration or the profile's duration)"
                : "how long to load the GPU (not changed by --duration)",
       1, kMaxBurninDuration_s},
      {"sample_interval_s", 1.0, "s", "telemetry sampling period (NVML)", 0.05, 60},
      {"report_points", std::int64_t{1440}, "count",
       "telemetry points kept in the report per GPU (downsampled; the summary uses every sample)", 2, 100000},
  };
}

CheckInfo burnin_check_info(const std::string& id, const std::string& summary, double default_duration_s,
                            const char* duration_param, const std::vector<ParamSpec>& own_params,
                            const std::vector<std::string>& own_quantities, int order) {
  CheckInfo i;
  i.id = id;
  i.summary = summary;
  i.scope = Scope::gpu;
  i.params = burnin_session_params(default_duration_s, duration_param);
  i.params.insert(i.params.end(), own_params.begin(), own_params.end());
  for (const std::string& q : own_quantities) i.metrics.push_back(id + "/" + q);
  for (const char* q : burnin_telemetry_quantities()) i.metrics.push_back(id + "/" + q);
  i.timeout_s = default_duration_s + 300.0;
  i.order = order;
  return i;
}

BurninSession::BurninSession(RunContext& ctx, std::string check_id, const char* duration_param)
    : ctx_(ctx), check_id_(std::move(check_id)) {
  duration_s_ = ctx.param_double(duration_param);
  interval_s_ = ctx.param_double("sample_interval_s");
  const std::int64_t points = ctx.param_int("report_points");
  if (!(duration_s_ >= 1 && duration_s_ <= kMaxBurninDuration_s)) {
    throw InputError("check " + check_id_ + ": " + duration_param + " must be between 1 s and 30 days (e.g. 1800)");
  }
  if (!(interval_s_ >= 0.05 && interval_s_ <= 60)) {
    throw InputError("check " + check_id_ + ": sample_interval_s must be between 0.05 and 60");
  }
  if (points < 2 || points > 100000) throw InputError("check " + check_id_ + ": report_points must be 2..100000");
  report_points_ = static_cast<std::size_t>(points);
}

void BurninSession::start() {
  sampler_ = std::make_unique<TelemetrySampler>(ctx_.system(), ctx_.device(), interval_s_);
  sampler_->start();
  t0_ = std::chrono::steady_clock::now();
  // Stop loading a minute before the check's deadline (or at 90% of a short one) to leave time for the wrap-up.
  const auto budget = ctx_.deadline() - t0_;
  const auto reserve = std::min<std::chrono::steady_clock::duration>(std::chrono::seconds(60), budget / 10);
  end_ = std::min(t0_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(duration_s_)),
                  ctx_.deadline() - reserve);
}

bool BurninSession::keep_going() const {
  if (ctx_.cancelled()) {
    cancelled_seen_ = true;
    return false;
  }
  return std::chrono::steady_clock::now() < end_;
}

double BurninSession::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
}

void BurninSession::progress(std::optional<double> tflops, long long errors) {
  ProgressState p;
  p.check = check_id_;
  p.gpu = ctx_.device();
  p.elapsed_s = elapsed_s();
  p.total_s = duration_s_;
  p.tflops = tflops;
  p.errors = errors;
  if (sampler_) {
    if (auto s = sampler_->latest()) {
      p.temp_c = s->gpu_temp_c;
      p.power_w = s->power_w;
    }
  }
  progress_update(p);
}

TelemetrySummary BurninSession::finish(Measurement& m, long long errors) {
  const double ran = elapsed_s();
  TelemetrySeries series = sampler_ ? sampler_->stop() : TelemetrySeries{};
  const TelemetrySummary summary = summarize_telemetry(series);
  append_telemetry_metrics(m, summary, ctx_.device());
  m.details["telemetry"] = telemetry_json(series, report_points_);
  const bool cut = cancelled_seen_ || ctx_.cancelled();
  m.details["burnin"] = {{"duration_asked_s", duration_s_}, {"ran_s", ran}, {"cut_short", cut}};
  ProgressState p;
  p.check = check_id_;
  p.gpu = ctx_.device();
  p.elapsed_s = ran;
  p.total_s = duration_s_;
  p.errors = errors;
  progress_finish(p);
  if (cut) {
    ErrorInfo e;
    e.id = "E_INTERRUPTED";
    e.message = check_id_ + " was cut short after " + format_duration(ran) + " of " + format_duration(duration_s_) +
                " (Ctrl-C or SIGTERM); the figures cover only that time";
    e.gpu = ctx_.device();
    m.status = MeasurementStatus::error;
    m.reason = e.message;
    m.error = e;
  }
  return summary;
}

}  // namespace tranche
