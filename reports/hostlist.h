// Slurm hostlist expressions ("gpu[001-080],login1") expanded as `scontrol show hostnames` does.
#pragma once
#include <string>
#include <vector>

namespace tranche {

// Expands a comma-separated hostlist. Each bracket holds comma-separated numbers or ranges "a-b" (zero-padded
// to the width of a when a has a leading zero, as Slurm does); several brackets in one name multiply
// ("r[1-2]n[1-2]" -> r1n1 r1n2 r2n1 r2n2). Order is kept, duplicates are kept. Throws InputError naming the
// expression on an unbalanced bracket, a bad range (b < a, not a number) or more than 1,000,000 names.
std::vector<std::string> expand_hostlist(const std::string& expression);

// An --expect-hosts argument: a readable file holds one hostlist expression per line ('#' starts a comment);
// anything else is itself an expression.
std::vector<std::string> expected_hosts_from_argument(const std::string& file_or_expression);

}  // namespace tranche
