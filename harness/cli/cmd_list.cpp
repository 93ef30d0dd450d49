// tranche list: every registered check with its summary, scope, parameters and metrics (from its CheckInfo), or
// with --profiles the profiles a run can use.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "harness/cli/command.h"
#include "harness/cli/help_format.h"
#include "harness/core/outcome.h"
#include "harness/core/duration_estimate.h"
#include "harness/core/duration_text.h"
#include "harness/core/errors.h"
#include "harness/core/plan.h"
#include "harness/core/registry.h"
#include "harness/judge/profile_file.h"
#include "reports/terminal_table.h"

namespace tranche::cli {
namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

nlohmann::json check_json(const CheckInfo& info) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& p : info.params) {
    params.push_back({{"name", p.name},
                      {"default", p.default_value},
                      {"unit", p.unit},
                      {"help", p.help},
                      {"min", p.min ? nlohmann::json(*p.min) : nlohmann::json(nullptr)},
                      {"max", p.max ? nlohmann::json(*p.max) : nlohmann::json(nullptr)},
                      {"choices", p.choices},
                      {"multiple_of", p.multiple_of > 0 ? nlohmann::json(p.multiple_of) : nlohmann::json(nullptr)},
                      {"test_only", p.test_only}});
  }
  return {{"id", info.id},          {"summary", info.summary},   {"scope", info.scope == Scope::gpu ? "gpu" : "node"},
          {"params", params},       {"metrics", info.metrics},   {"timeout_s", info.timeout_s}};
}

// GPUs assumed for a profile's expected duration (an HGX/DGX node); node-scoped checks grow with the count.
constexpr int kNominalGpus = 8;

// Expected seconds of the profile on kNominalGpus GPUs, from its plan's checks and their parameters
// (harness/core/duration_estimate.h); nullopt when the profile does not plan in this build.
std::optional<double> profile_estimate_s(const Profile& p) {
  SystemInfo nominal;
  for (int i = 0; i < kNominalGpus; ++i) {
    nominal.gpus.emplace_back();
    nominal.gpus.back().index = i;
  }
  try {
    return estimate_plan_s(make_plan(CheckRegistry::global(), nominal, p, PlanOptions{}));
  } catch (const InputError&) {
    return std::nullopt;
  }
}

// Every profile in the baselines directory: name, number of check selections, expected duration, file and
// description.
void print_profiles(bool as_json) {
  const std::filesystem::path dir = std::filesystem::path(baselines_dir()) / "profiles";
  std::vector<std::filesystem::path> files;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.path().extension() == ".json") files.push_back(f.path());
  }
  std::sort(files.begin(), files.end());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : files) {
    const Profile p = load_profile(f.string());
    const auto estimate = profile_estimate_s(p);
    if (as_json) {
      out.push_back({{"name", p.name}, {"file", p.source}, {"selections", p.checks.size()},
                     {"estimated_s", estimate ? nlohmann::json(*estimate) : nlohmann::json(nullptr)},
                     {"estimated_for_gpus", kNominalGpus},
                     {"description", p.description}});
    } else {
      const std::string duration =
          estimate ? "about " + format_duration(*estimate) + " on " + std::to_string(kNominalGpus) + " GPUs" : "-";
      std::printf("%-12s %2zu %-10s  %-24s %s\n", p.name.c_str(), p.checks.size(),
                  p.checks.size() == 1 ? "selection" : "selections", duration.c_str(),
                  p.source.c_str());
      std::cout << std::string(13, ' ') << wrap_line(p.description, 87, 13) << std::flush;
    }
  }
  if (as_json) {
    std::cout << out.dump(2) << "\n";
  } else {
    std::printf("Durations are estimates from each check's parameters and nominal rates (harness/core/"
                "duration_estimate.h), not timings; --duration changes a burn-in's.\n");
  }
}

void setup_list(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("list", "List the registered checks (ids for --checks, parameters for --set)");
  cmd->footer(kPlainExitCodes);
  auto verbose = std::make_shared<bool>(false);
  auto as_json = std::make_shared<bool>(false);
  cmd->add_flag("-v,--verbose", *verbose, "Show each check's parameters, defaults and metrics");
  cmd->add_flag("--json", *as_json, "Print the list as JSON");
  auto profiles = std::make_shared<bool>(false);
  cmd->add_flag("--profiles", *profiles, "List the profiles (for run --profile) instead, with what each runs");
  cmd->callback([verbose, as_json, profiles, &exit_code] {
    if (*profiles) {
      print_profiles(*as_json);
      exit_code = kExitAccepted;
      return;
    }
    const auto& entries = CheckRegistry::global().entries();
    if (*as_json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : entries) out.push_back(check_json(e.info));
      std::cout << out.dump(2) << "\n";
    } else {
      for (const auto& e : entries) {
        const auto& i = e.info;
        std::printf("%-22s %-4s  %s\n", i.id.c_str(), i.scope == Scope::gpu ? "gpu" : "node", i.summary.c_str());
        if (!*verbose) continue;
        for (const auto& p : i.params) {
          std::string range;
          if (p.min && p.max) range = " [" + fmt(*p.min) + ".." + fmt(*p.max) + "]";
          else if (p.min) range = " [>= " + fmt(*p.min) + "]";
          if (p.multiple_of > 0) range += " (multiple of " + std::to_string(p.multiple_of) + ")";
          if (!p.choices.empty()) {
            range = " [";
            for (size_t c = 0; c < p.choices.size(); ++c) range += (c ? "|" : "") + p.choices[c];
            range += "]";
          }
          std::printf("    --set %s.%s=%s%s%s%s  %s\n", i.id.c_str(), p.name.c_str(), p.default_value.dump().c_str(),
                      p.unit.empty() ? "" : " ", p.unit.c_str(), range.c_str(), p.help.c_str());
        }
        std::printf("    --set %s.timeout_s=%g s  deadline for the whole check\n", i.id.c_str(), i.timeout_s);
        for (const auto& m : i.metrics) std::printf("    metric %s\n", m.c_str());
      }
    }
    exit_code = kExitAccepted;
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(20, setup_list)

}  // namespace tranche::cli
