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

// Expected hosts compared with the hosts that reported. A report's host answers an expected name when the two are
// equal, or equal up to the first '.' when one of them is a short name: Slurm's node names are short, a node's own
// host name may be fully qualified ("gpu001" is answered by "gpu001.cluster.local"); two fully qualified names
// must be equal. `missing` are the expected names no report
// answers (in the expected order), `unexpected` the reported names no expected name answers (in reported order).
struct HostMatch {
  std::vector<std::string> missing, unexpected;
};
HostMatch match_hosts(const std::vector<std::string>& expected, const std::vector<std::string>& reported);

}  // namespace tranche
