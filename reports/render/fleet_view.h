// Small readers shared by the renderings of rack, tranche and compare reports (JSON as their readers return it).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace tranche::render {

// j[key] as text: a string as is, a number or bool as JSON, "" for null or absent.
std::string text_at(const nlohmann::json& j, const char* key);
// A compare subject ({"host", "gpu", "serial", ...} or {"rack"}) as "host gpu-017 GPU 3 SN..." in a fixed order.
std::string subject_text(const nlohmann::json& subject);
// A value with its unit for people ("3000.0 GB/s"); "-" for null.
std::string value_text(const nlohmann::json& value, const std::string& unit);
// "rejected" -> "REJECTED" for headings.
std::string upper(std::string s);

}  // namespace tranche::render
