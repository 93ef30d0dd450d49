// RunStatus: counts finished measurements and keeps the running checks with their start times.
#include "reports/run_status.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "harness/core/duration_text.h"
#include "reports/terminal_table.h"

namespace tranche {

std::string gpu_ranges(const std::set<int>& gpus) {
  std::string out;
  for (auto it = gpus.begin(); it != gpus.end();) {
    int lo = *it, hi = lo;
    for (++it; it != gpus.end() && *it == hi + 1; ++it) hi = *it;
    out += (out.empty() ? "" : ",") + std::to_string(lo) + (hi > lo ? "-" + std::to_string(hi) : "");
  }
  return out;
}

int RunStatus::gpu_label(int cuda_ordinal) const {
  const auto it = gpu_index_.find(cuda_ordinal);
  return it != gpu_index_.end() ? it->second : cuda_ordinal;
}

void RunStatus::on_event(const nlohmann::json& e, double now_s) {
  if (!e.is_object()) return;
  const std::string kind = e.value("event", "");
  if (kind == "run_start") {
    started_ = true;
    start_s_ = now_s;
    total_ = e.value("measurements", 0);
    estimated_total_s_ = e.value("estimated_s", 0.0);
    if (auto it = e.find("estimates"); it != e.end() && it->is_object()) {
      for (const auto& [check, s] : it->items()) {
        if (s.is_number()) estimate_s_[check] = s.get<double>();
      }
    }
    if (auto it = e.find("gpu_index"); it != e.end() && it->is_object()) {
      for (const auto& [ordinal, index] : it->items()) {
        if (index.is_number_integer()) gpu_index_[std::stoi(ordinal)] = index.get<int>();
      }
    }
    return;
  }
  const std::string check = e.value("check", "");
  if (check.empty()) return;
  const auto gpu = e.find("gpu");
  const bool has_gpu = gpu != e.end() && gpu->is_number_integer();
  if (kind == "check_start") {
    Running& r = running_[check];
    if (r.open == 0) r.since_s = now_s;
    ++r.open;
    if (has_gpu) r.gpus.insert(gpu_label(gpu->get<int>()));
  } else if (kind == "check_end") {
    ++done_;
    auto it = running_.find(check);
    if (it == running_.end()) return;
    if (has_gpu) it->second.gpus.erase(gpu_label(gpu->get<int>()));
    if (--it->second.open <= 0) {
      running_.erase(it);
      finished_.insert(check);
    }
  }
}

std::string RunStatus::line(double now_s, std::size_t width) const {
  if (!started_) return "";
  double left = 0;
  for (const auto& [check, est] : estimate_s_) {
    if (finished_.count(check)) continue;
    const auto r = running_.find(check);
    left += r == running_.end() ? est : std::max(0.0, est - (now_s - r->second.since_s));
  }
  std::string running;
  for (const auto& [check, r] : running_) {
    running += (running.empty() ? "" : ", ") + check;
    if (!r.gpus.empty()) running += std::string(r.gpus.size() > 1 ? " on GPUs " : " on GPU ") + gpu_ranges(r.gpus);
  }
  char counter[32];
  std::snprintf(counter, sizeof counter, "[%3d/%d] ", done_, total_);
  const std::string elapsed = format_duration(now_s - start_s_) + " elapsed";
  std::string eta;
  if (estimated_total_s_ > 0) {
    eta = left > 0 ? "about " + format_duration(std::max(left, 1.0)) + " left" : "estimate exceeded";
  }
  std::string tail = " | " + elapsed + (eta.empty() ? "" : " | " + eta);
  std::string head = counter + (running.empty() ? std::string("between checks") : running);
  // Cut what runs, never the times: they are what the line is for.
  if (display_width(head) + display_width(tail) > width) {
    const std::size_t room = width > display_width(tail) + 1 ? width - display_width(tail) - 1 : 0;
    head = room ? head.substr(0, room) + "~" : "";  // check ids and GPU numbers are ASCII
  }
  return head + tail;
}

}  // namespace tranche
