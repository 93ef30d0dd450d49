// How --help prints options: "--out DIR=tranche-out" style, without CLI11's type names ("TEXT", "INT:INT in
// [...]"), and the exit codes each subcommand can return in its own help.
#pragma once
#include <CLI/CLI.hpp>
#include <string>

namespace tranche::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* opt) const override;
};

// Footer for run, show and judge: the acceptance exit codes.
inline constexpr const char* kAcceptanceExitCodes = R"(Exit codes:
  0   accepted    1   rejected    2   incomplete    64  usage or input error    70  internal error)";
// Footer for the other subcommands.
inline constexpr const char* kPlainExitCodes = "Exit codes: 0 done, 64 usage or input error, 70 internal error";

}  // namespace tranche::cli
