// Profile: which checks a run includes, with which parameters (the files live in baselines/profiles/).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace tranche {

struct ProfileEntry {
  std::string select;                                 // a check id or a family prefix ("gemm.")
  nlohmann::json params = nlohmann::json::object();   // parameter values for the checks it selects
  bool required = true;                               // a required check that cannot run makes a node incomplete
};

struct Profile {
  std::string name;
  std::string description;
  std::string source;  // the file it was read from; "built-in" otherwise
  std::vector<ProfileEntry> checks;
  std::optional<double> duration_s;  // "duration": sets duration_s of every selected check that has one
};

// Every registered check with its defaults: used when no profile file is available.
Profile builtin_all_checks_profile();

}  // namespace tranche
