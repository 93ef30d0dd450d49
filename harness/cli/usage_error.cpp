// usage_error_line: turns CLI11's parse errors into one line that names the mistake and the right help.
#include "harness/cli/usage_error.h"

#include "harness/core/suggest.h"

namespace tranche::cli {

std::string usage_error_line(CLI::App& app, int argc, char** argv, const CLI::ParseError& e) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) names.push_back(sub->get_name());
  // The subcommand the operator named (the first argument that is not an option).
  std::string word;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] != '-') {
      word = argv[i];
      break;
    }
  }
  CLI::App* used = nullptr;
  for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_name() == word) used = sub;
  }
  if (!word.empty() && !used) {
    return "tranche: unknown subcommand '" + word + "'" + did_you_mean(nearest_names(word, names)) +
           " (see tranche --help)";
  }
  const std::string who = used ? "tranche " + used->get_name() : std::string("tranche");
  const std::string help = "(see " + who + " --help)";
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    // CLI11: "The following argument was not expected: foo" / "The following arguments were not expected: a b".
    std::string msg = e.what();
    const auto colon = msg.find(": ");
    const std::string args = colon == std::string::npos ? msg : msg.substr(colon + 2);
    return who + ": unexpected argument" + (args.find(' ') == std::string::npos ? " '" : "s '") + args + "' " + help;
  }
  return who + ": " + e.what() + " " + help;
}

}  // namespace tranche::cli
