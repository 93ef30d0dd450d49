// Outcome ordering, names and the exit code of an acceptance.
#include "harness/core/outcome.h"

namespace tranche {

int severity(Outcome o) {
  switch (o) {
    case Outcome::skip: return 0;
    case Outcome::pass: return 1;
    case Outcome::unjudged: return 2;
    case Outcome::warn: return 3;
    case Outcome::error: return 4;
    case Outcome::fail: return 5;
  }
  return 5;
}

Outcome worst(Outcome a, Outcome b) { return severity(a) >= severity(b) ? a : b; }

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::pass: return "pass";
    case Outcome::warn: return "warn";
    case Outcome::fail: return "fail";
    case Outcome::skip: return "skip";
    case Outcome::error: return "error";
    case Outcome::unjudged: return "unjudged";
  }
  return "error";
}

std::optional<Outcome> outcome_from_string(std::string_view s) {
  for (Outcome o : {Outcome::pass, Outcome::warn, Outcome::fail, Outcome::skip, Outcome::error, Outcome::unjudged}) {
    if (to_string(o) == s) return o;
  }
  return std::nullopt;
}

std::string_view to_string(Acceptance a) {
  switch (a) {
    case Acceptance::accepted: return "accepted";
    case Acceptance::rejected: return "rejected";
    case Acceptance::incomplete: return "incomplete";
  }
  return "incomplete";
}

std::optional<Acceptance> acceptance_from_string(std::string_view s) {
  for (Acceptance a : {Acceptance::accepted, Acceptance::rejected, Acceptance::incomplete}) {
    if (to_string(a) == s) return a;
  }
  return std::nullopt;
}

int exit_code_for(Acceptance a) {
  switch (a) {
    case Acceptance::accepted: return kExitAccepted;
    case Acceptance::rejected: return kExitRejected;
    case Acceptance::incomplete: return kExitIncomplete;
  }
  return kExitIncomplete;
}

}  // namespace tranche
