// HelpFormatter: a value placeholder named after what the option takes, its default, and nothing else.
#include "harness/cli/help_format.h"

namespace tranche::cli {

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
  if (!opt->get_option_text().empty()) return " " + opt->get_option_text();
  if (opt->get_type_name().empty()) return "";  // a flag: CLI11 gives value options a type name, flags none
  std::string out = " VALUE";
  if (!opt->get_default_str().empty()) out += "=" + opt->get_default_str();
  if (opt->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
  if (opt->get_required()) out += " (required)";
  return out;
}

}  // namespace tranche::cli
