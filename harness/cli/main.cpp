// tranche's entry point: builds the CLI from the registered subcommands and maps failures to exit codes.
#include <cstdio>
#include <iostream>

#include "harness/cli/command.h"
#include "harness/core/errors.h"
#include "harness/core/outcome.h"
#include "harness/core/registry.h"
#include "harness/judge/baseline_file.h"
#include "tranche/version.h"

namespace tranche::cli {

std::vector<CommandEntry>& command_registry() {
  static std::vector<CommandEntry> entries;
  return entries;
}

bool register_command(int order, CommandSetup setup) {
  command_registry().push_back({order, std::move(setup)});
  return true;
}

namespace {
std::vector<std::string>& invocation_storage() {
  static std::vector<std::string> args;
  return args;
}
}  // namespace

const std::vector<std::string>& invocation() { return invocation_storage(); }

void set_invocation(int argc, char** argv) { invocation_storage().assign(argv, argv + argc); }

}  // namespace tranche::cli

namespace {

constexpr const char* kFooter = R"(Exit codes:
  0   accepted    every required check passed or warned
  1   rejected    at least one check failed (a figure below its baseline, wrong results, a bad preflight)
  2   incomplete  a check could not measure (error), a required check was skipped (no GPU, no driver), or a
                  required check's figure has no expectation in the baseline (E_NO_EXPECTATION)
  64  usage or input error (unknown option or check, unreadable or corrupt file, unwritable --out)
  70  internal error in tranche (please report it with the event log)

Start with:  tranche run            all checks of the default profile on every GPU of this node
             tranche list -v        what each check measures and its parameters
             tranche show REPORT    a report's verdict in the terminal)";

}  // namespace

int main(int argc, char** argv) {
  using namespace tranche;
  cli::set_invocation(argc, argv);
  // Baselines may only expect what the linked checks measure; the judge layer is told, it does not look.
  set_declared_metrics(CheckRegistry::global().declared_metrics());
  CLI::App app{"tranche: acceptance tests and benchmarks for GPU nodes. Measures every GPU of this node, judges "
               "each figure against the vendor baseline of the detected SKU, and writes a JSON acceptance report.",
               "tranche"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("tranche ") + kToolVersion + " (git " + kGitSha + ")");
  app.require_subcommand(1);
  int exit_code = kExitInternal;
  auto& registry = cli::command_registry();
  std::stable_sort(registry.begin(), registry.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
  for (const auto& c : registry) c.setup(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "tranche: " << e.what() << " (see tranche --help)\n";
    return kExitUsage;
  } catch (const InputError& e) {
    std::cerr << "tranche: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "tranche: internal error: " << e.what() << " (please report it with the event log)\n";
    return kExitInternal;
  }
  return exit_code;
}
