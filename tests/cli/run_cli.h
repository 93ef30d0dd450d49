// Runs the built tranche binary and captures its exit code, stdout and stderr, for CLI tests.
#pragma once
#include <string>
#include <vector>

namespace tranche::test {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs TRANCHE_BINARY with args (each shell-quoted), in `cwd` when given, with extra env assignments.
CliResult run_cli(const std::vector<std::string>& args, const std::string& cwd = "", const std::string& env = "");
// Runs any shell command line; returns its exit code and output.
CliResult run_shell(const std::string& command);
// A fresh empty directory under the system temp dir.
std::string make_temp_dir();
// Files in dir whose names end with suffix.
std::vector<std::string> files_with_suffix(const std::string& dir, const std::string& suffix);

}  // namespace tranche::test
