// progress_line: one fixed-width line per finished check.
#include "reports/progress_line.h"

#include <cstdio>

#include "reports/units.h"

namespace tranche {

std::optional<std::string> progress_line(const nlohmann::json& event, int done, int total,
                                         const std::map<int, int>& gpu_index) {
  if (!event.is_object() || event.value("event", "") != "check_end") return std::nullopt;
  const std::string check = event.value("check", "?");
  const auto gpu_it = event.find("gpu");
  std::string gpu = "node";
  if (gpu_it != event.end() && gpu_it->is_number_integer()) {
    const auto named = gpu_index.find(gpu_it->get<int>());
    gpu = "GPU " + std::to_string(named != gpu_index.end() ? named->second : gpu_it->get<int>());
  }
  std::string status = event.value("status", "?");
  if (auto e = event.find("error"); e != event.end() && e->is_string()) status += " " + e->get<std::string>();
  std::string figure = "-";
  if (auto f = event.find("figure"); f != event.end() && f->is_object()) {
    const auto v = f->find("value");
    figure = format_value(v != f->end() && v->is_number() ? std::optional<double>(v->get<double>()) : std::nullopt,
                          f->value("unit", ""));
  }
  const double secs = event.value("duration_s", 0.0);
  char counter[32] = "";
  if (total > 0) std::snprintf(counter, sizeof counter, "[%3d/%d] ", done, total);
  char line[400];
  std::snprintf(line, sizeof line, "%s%-20s %-6s %-22s %16s %8.1f s", counter, check.c_str(), gpu.c_str(),
                status.c_str(), figure.c_str(), secs);
  return std::string(line);
}

}  // namespace tranche
