// Small readers shared by the fleet renderings (see fleet_view.h).
#include "reports/render/fleet_view.h"

#include <cctype>

#include "reports/units.h"

namespace tranche::render {

std::string text_at(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

std::string subject_text(const nlohmann::json& subject) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : " ") + s; };
  for (const char* key : {"rack", "host"}) {
    if (!text_at(subject, key).empty()) add(text_at(subject, key));
  }
  if (!text_at(subject, "gpu").empty()) add("GPU " + text_at(subject, "gpu"));
  for (const char* key : {"serial", "pci_bus_id", "sku"}) {
    if (!text_at(subject, key).empty()) add(text_at(subject, key));
  }
  return out;
}

std::string value_text(const nlohmann::json& value, const std::string& unit) {
  if (!value.is_number()) return "-";
  return format_value(value.get<double>(), unit);
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace tranche::render
