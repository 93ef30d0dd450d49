// One line for a command-line mistake: what was wrong, the nearest valid name, and the help of the subcommand
// the operator was using (not the whole program's).
#pragma once
#include <CLI/CLI.hpp>
#include <string>

namespace tranche::cli {

// "tranche: unknown subcommand 'lst'; did you mean list? (see tranche --help)",
// "tranche run: unexpected argument 'foo' (see tranche run --help)", "tranche run: <CLI11's message> (...)".
std::string usage_error_line(CLI::App& app, int argc, char** argv, const CLI::ParseError& e);

}  // namespace tranche::cli
