// tranche list: every registered check with its summary, scope, parameters and metrics (from its CheckInfo).
#include <iostream>
#include <nlohmann/json.hpp>

#include "harness/cli/command.h"
#include "harness/core/outcome.h"
#include "harness/core/registry.h"

namespace tranche::cli {
namespace {

nlohmann::json check_json(const CheckInfo& info) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& p : info.params) {
    params.push_back({{"name", p.name}, {"default", p.default_value}, {"unit", p.unit}, {"help", p.help}});
  }
  return {{"id", info.id},          {"summary", info.summary},   {"scope", info.scope == Scope::gpu ? "gpu" : "node"},
          {"params", params},       {"metrics", info.metrics},   {"timeout_s", info.timeout_s}};
}

void setup_list(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("list", "List the registered checks (ids for --checks, parameters for --set)");
  auto verbose = std::make_shared<bool>(false);
  auto as_json = std::make_shared<bool>(false);
  cmd->add_flag("-v,--verbose", *verbose, "Show each check's parameters, defaults and metrics");
  cmd->add_flag("--json", *as_json, "Print the list as JSON");
  cmd->callback([verbose, as_json, &exit_code] {
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
          std::printf("    --set %s.%s=%s%s%s  %s\n", i.id.c_str(), p.name.c_str(), p.default_value.dump().c_str(),
                      p.unit.empty() ? "" : " ", p.unit.c_str(), p.help.c_str());
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
