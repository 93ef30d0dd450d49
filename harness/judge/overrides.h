// Site overrides: a buyer's stricter margins, node facts and extra expectations, layered over a vendor baseline.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/judge/baseline.h"

namespace tranche {

inline constexpr const char* kSiteOverridesSchema = "tranche/site-overrides/v1";

// Tightens the margins of the baseline expectations whose metric equals `metric` and whose labels include
// every label given here.
struct MarginOverride {
  std::string metric;
  std::map<std::string, std::string> labels;
  std::optional<double> warn_ratio;
  std::optional<double> fail_ratio;
  std::optional<bool> required;  // may only turn an optional expectation into a required one
};

struct SiteOverrides {
  std::string file;
  std::string sha256;
  std::string site;                      // who decided ("ACME DC1 acceptance")
  std::string source;                    // the policy document behind it
  std::vector<std::string> applies_to;   // baseline ids; empty = any
  std::optional<NodeExpectations> node;  // fields given replace the baseline's (the site knows its chassis)
  std::vector<MarginOverride> margins;
  std::vector<Expectation> expectations;  // extra expectations (a metric+labels the baseline lacks)
};

// Parses and validates an overrides document; one-line InputError "<file>: $.margins[0].fail_ratio: ...".
SiteOverrides site_overrides_from_json(const nlohmann::json& j, const std::string& file);
// Reads, parses and validates a file; sets file and sha256.
SiteOverrides load_site_overrides(const std::string& path);

// The baseline with the overrides applied and recorded (overrides_file, overrides_sha256; every changed or added
// expectation's source names the override file and its source). Throws InputError naming the override file and
// place when: the overrides do not apply to this baseline id; a margin entry matches no expectation; a margin
// would loosen the vendor's (higher_is_better: a smaller ratio; lower_is_better: a larger one) or breaks
// fail <= warn ordering; required would go from true to false; an extra expectation duplicates one.
Baseline apply_site_overrides(const Baseline& baseline, const SiteOverrides& overrides);

}  // namespace tranche
