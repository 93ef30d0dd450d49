// GpuIsolation and the details["errors"] entries of node-scoped checks.
#include "harness/core/partial_errors.h"

#include "harness/core/model_json.h"

namespace tranche {

std::vector<ErrorInfo> partial_errors(const Measurement& m) {
  std::vector<ErrorInfo> out;
  const auto it = m.details.find("errors");
  if (it == m.details.end() || !it->is_array()) return out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    out.push_back(error_info_from_json((*it)[i], m.check_id + ": details.errors[" + std::to_string(i) + "]"));
  }
  return out;
}

bool GpuIsolation::attempt(int gpu, std::optional<int> peer, const std::function<void()>& step) {
  for (const std::optional<int> g : {std::optional<int>(gpu), peer}) {
    if (!g) continue;
    if (auto why = dead_reason(*g)) {
      skipped_.push_back({gpu, peer, "GPU " + std::to_string(*g) + " " + *why});
      return false;
    }
  }
  try {
    step();
    return true;
  } catch (const GpuError& e) {
    ErrorInfo info = e.info();
    const bool own = info.gpu && (*info.gpu == gpu || (peer && *info.gpu == *peer));
    if (!own) info.gpu = gpu;
    if (peer) info.message = "GPU " + std::to_string(gpu) + " -> GPU " + std::to_string(*peer) + ": " + info.message;
    if (info.sticky) dead_[*info.gpu] = "is skipped after its sticky error " + info.code_name + " in this check";
    errors_.push_back(std::move(info));
    peers_.push_back(peer);
    return false;
  }
}

std::optional<std::string> GpuIsolation::dead_reason(int gpu) const {
  const auto it = dead_.find(gpu);
  if (it == dead_.end()) return std::nullopt;
  return it->second;
}

void GpuIsolation::write(Measurement& m) const {
  if (!errors_.empty()) {
    nlohmann::json arr = nlohmann::json::array();
    for (std::size_t i = 0; i < errors_.size(); ++i) {
      nlohmann::json e = to_json(errors_[i]);
      e["peer"] = peers_[i] ? nlohmann::json(*peers_[i]) : nlohmann::json(nullptr);
      arr.push_back(std::move(e));
    }
    m.details["errors"] = std::move(arr);
  }
  if (!skipped_.empty()) {
    nlohmann::json arr = nlohmann::json::array();
    for (const Skip& s : skipped_) {
      arr.push_back({{"gpu", s.gpu}, {"peer", s.peer ? nlohmann::json(*s.peer) : nlohmann::json(nullptr)},
                     {"reason", s.reason}});
    }
    m.details["skipped"] = std::move(arr);
  }
}

}  // namespace tranche
