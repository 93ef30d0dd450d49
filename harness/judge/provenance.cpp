// Provenance names and the margins each provenance earns.
#include "harness/judge/provenance.h"

#include <algorithm>
#include <cmath>

namespace tranche {

std::string_view to_string(Provenance p) {
  switch (p) {
    case Provenance::derived: return "derived";
    case Provenance::measured: return "measured";
    case Provenance::datasheet: return "datasheet";
  }
  return "datasheet";
}

std::optional<Provenance> provenance_from_string(std::string_view s) {
  for (auto p : {Provenance::derived, Provenance::measured, Provenance::datasheet}) {
    if (to_string(p) == s) return p;
  }
  return std::nullopt;
}

Margins default_margins(Provenance p, Direction d) {
  if (d == Direction::equal) return {1.0, 1.0};
  // Distance below (or above) the reference: a tranche-measured median is trusted most, an estimate least.
  double warn = 0.05, fail = 0.10;
  if (p == Provenance::measured) {
    warn = 0.08;
    fail = 0.15;
  } else if (p == Provenance::datasheet) {
    warn = 0.15;
    fail = 0.30;
  }
  return d == Direction::higher_is_better ? Margins{1.0 - warn, 1.0 - fail} : Margins{1.0 + warn, 1.0 + fail};
}

Margins required_margins(const Expectation& e) {
  Margins m = default_margins(e.provenance, e.direction);
  if (!e.floor || e.direction == Direction::equal || !(e.reference > 0)) return m;
  const double anchor = e.floor->value / e.reference;
  if (e.direction == Direction::higher_is_better) {
    const double need = std::ceil(anchor * 1000.0 - 1e-9) / 1000.0;
    if (need > m.fail_ratio) {
      m.fail_ratio = need;
      m.warn_ratio = std::max(m.warn_ratio, std::round((need + 0.02) * 1000.0) / 1000.0);
    }
  } else {
    const double need = std::floor(anchor * 1000.0 + 1e-9) / 1000.0;
    if (need < m.fail_ratio) {
      m.fail_ratio = need;
      m.warn_ratio = std::min(m.warn_ratio, std::round((need - 0.02) * 1000.0) / 1000.0);
    }
  }
  return m;
}

}  // namespace tranche
