// Outcome of a verdict, a check, a GPU or a node, and how outcomes roll up to the worst.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace tranche {

// pass < warn < fail are judgements of a measured figure; skip means the check does not apply (with a reason);
// error means it could not be measured; unjudged means a figure was measured but no expectation judged it (it is
// never a pass: docs/methodology/baselines.md, "Nothing passes unjudged"). Roll-up severity:
// skip < pass < unjudged < warn < error < fail, so a node with one failed and one errored check is a failure
// (definite evidence), one error among passes is an error, and passes beside an unjudged figure roll up to unjudged.
enum class Outcome { pass, warn, fail, skip, error, unjudged };

// The more severe of a and b under the roll-up order above.
Outcome worst(Outcome a, Outcome b);
// Rank in the roll-up order (skip = 0 ... fail = 5).
int severity(Outcome o);

std::string_view to_string(Outcome o);
// Parses "pass", "warn", "fail", "skip", "error", "unjudged"; nullopt for anything else.
std::optional<Outcome> outcome_from_string(std::string_view s);

// Acceptance of a node (or a GPU): accepted, rejected (a check failed), incomplete (an error or a required skip).
enum class Acceptance { accepted, rejected, incomplete };
std::string_view to_string(Acceptance a);
std::optional<Acceptance> acceptance_from_string(std::string_view s);

// Process exit codes, documented in `tranche --help`.
inline constexpr int kExitAccepted = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitIncomplete = 2;
inline constexpr int kExitUsage = 64;
inline constexpr int kExitInternal = 70;
int exit_code_for(Acceptance a);

}  // namespace tranche
