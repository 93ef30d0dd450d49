// Duplicate keys in a JSON object are an input error: nlohmann::json would silently keep the last one, so a
// report or data file could say two things and be read as one.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace tranche {

// A parser callback for nlohmann::json::parse that throws InputError "<where>: key 'K' appears twice in one
// object" at the second occurrence. Each call returns a fresh guard (it keeps one key set per open object).
nlohmann::json::parser_callback_t duplicate_key_guard(const std::string& where);

}  // namespace tranche
