// Profiles on disk (baselines/profiles/<name>.json) and where tranche finds its baselines directory.
#pragma once
#include <set>
#include <string>

#include "harness/core/profile.h"
#include "harness/core/registry.h"

namespace tranche {

// The baselines directory: $TRANCHE_BASELINES_DIR, else <exe>/../share/tranche/baselines when installed, else
// the source tree's baselines/ (development builds). Throws InputError saying where it looked when none exists.
std::string baselines_dir();

// Parses a profile document. Throws InputError "<where>: ..." naming the key.
Profile profile_from_json(const nlohmann::json& j, const std::string& where);

// Loads a profile by name (baselines/profiles/<name>.json) or by path (anything containing '/' or ending in
// .json). Throws InputError naming the file, or the known profile names when the name is unknown.
Profile load_profile(const std::string& name_or_path);

// The ids of the registered checks a profile selects (its entries' `select`, as the planner reads them).
std::set<std::string> profile_check_ids(const Profile& profile, const CheckRegistry& registry);

// The profile `tranche run` uses when --profile is not given.
inline constexpr const char* kDefaultProfile = "acceptance";

}  // namespace tranche
