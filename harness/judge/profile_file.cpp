// Profile loading and baselines directory resolution.
#include "harness/judge/profile_file.h"
#include "harness/core/json_guard.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "harness/core/atomic_file.h"
#include "harness/core/duration_text.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"

namespace tranche {

namespace fs = std::filesystem;

std::string baselines_dir() {
  if (const char* env = std::getenv("TRANCHE_BASELINES_DIR"); env && *env) {
    if (!fs::is_directory(env)) {
      throw InputError(std::string("TRANCHE_BASELINES_DIR=") + env +
                       " is not a directory: point it at tranche's baselines/ (with skus/ and profiles/)");
    }
    return env;
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path installed = ec ? fs::path() : exe.parent_path().parent_path() / "share" / "tranche" / "baselines";
  if (!installed.empty() && fs::is_directory(installed)) return installed.string();
  if (fs::is_directory(TRANCHE_SOURCE_BASELINES_DIR)) return TRANCHE_SOURCE_BASELINES_DIR;
  throw InputError("tranche's baselines directory is missing: looked in " + installed.string() + " and " +
                   TRANCHE_SOURCE_BASELINES_DIR +
                   "; install tranche with cmake --install (or copy baselines/ there) or set TRANCHE_BASELINES_DIR");
}

Profile profile_from_json(const nlohmann::json& j, const std::string& where) {
  Profile p;
  p.name = json_string(j, "name", where);
  p.description = json_string(j, "description", where);
  p.source = where;
  const auto& checks = json_at(j, "checks", where);
  if (!checks.is_array() || checks.empty()) throw InputError(where + ": 'checks' must be a non-empty array");
  for (size_t i = 0; i < checks.size(); ++i) {
    const std::string w = where + ": checks[" + std::to_string(i) + "]";
    ProfileEntry e;
    e.select = json_string(checks[i], "select", w);
    if (e.select.empty()) throw InputError(w + ": 'select' is empty");
    if (auto it = checks[i].find("params"); it != checks[i].end()) {
      if (!it->is_object()) throw InputError(w + ": 'params' must be an object");
      e.params = *it;
    }
    if (auto it = checks[i].find("required"); it != checks[i].end()) e.required = json_bool(checks[i], "required", w);
    p.checks.push_back(std::move(e));
  }
  if (auto it = j.find("duration"); it != j.end()) {
    if (!it->is_string()) throw InputError(where + ": 'duration' must be a string such as \"30m\"");
    p.duration_s = parse_duration(it->get<std::string>(), where + ": duration");
  }
  return p;
}

Profile load_profile(const std::string& name_or_path) {
  std::string path = name_or_path;
  const bool is_path = name_or_path.find('/') != std::string::npos ||
                       (name_or_path.size() > 5 && name_or_path.ends_with(".json"));
  const fs::path dir = fs::path(baselines_dir()) / "profiles";
  if (!is_path) {
    path = (dir / (name_or_path + ".json")).string();
    if (!fs::exists(path)) {
      std::string known;
      std::error_code ec;
      for (const auto& f : fs::directory_iterator(dir, ec)) {
        if (f.path().extension() == ".json") known += (known.empty() ? "" : ", ") + f.path().stem().string();
      }
      throw InputError("unknown profile '" + name_or_path + "'; known profiles: " + (known.empty() ? "none" : known) +
                       " (in " + dir.string() + "), or pass a file with --profile FILE");
    }
  }
  const std::string text = read_file(path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text, duplicate_key_guard(path));
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path + ": not valid JSON at byte " + std::to_string(e.byte) + ": fix the profile file");
  } catch (const nlohmann::json::exception& e) {  // a number out of range (1e999) is not a parse_error
    throw InputError(path + ": not valid JSON (" + e.what() + "): fix the profile file");
  }
  return profile_from_json(j, path);
}

std::set<std::string> profile_check_ids(const Profile& profile, const CheckRegistry& registry) {
  std::set<std::string> ids;
  for (const auto& entry : profile.checks) {
    for (const auto* e : registry.select(entry.select)) ids.insert(e->info.id);
  }
  return ids;
}

}  // namespace tranche
