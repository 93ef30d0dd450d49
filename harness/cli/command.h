// Subcommand registration: each CLI file adds its subcommand to the app; main() knows none of them by name.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace tranche::cli {

// Adds a subcommand to `app`. The subcommand's callback stores its exit code in `exit_code`.
using CommandSetup = std::function<void(CLI::App& app, int& exit_code)>;

struct CommandEntry {
  int order;  // position in --help
  CommandSetup setup;
};

std::vector<CommandEntry>& command_registry();
bool register_command(int order, CommandSetup setup);

// The process's arguments as given (argv), for the report's command_line. Set by main() before parsing.
const std::vector<std::string>& invocation();
void set_invocation(int argc, char** argv);

}  // namespace tranche::cli

#define TRANCHE_REGISTER_COMMAND(order, fn) \
  namespace {                               \
  const bool tranche_command_##fn = ::tranche::cli::register_command(order, fn); \
  }
