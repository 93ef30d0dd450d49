// Baseline files on disk (baselines/skus/<id>.json): strict loading with one-line errors, writing, and lookup by id.
#pragma once
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "harness/judge/baseline.h"

namespace tranche {

inline constexpr const char* kBaselineSchema = "tranche/baseline/v1";

// Units an expectation or datasheet figure may use (SI base units, as metrics are written).
bool is_known_unit(const std::string& unit);

// The metric names the registered checks declare (CheckRegistry::declared_metrics()): an expectation naming any
// other metric (a typo such as "gemm.bf61/flops") is refused at load, naming the file and the key. The CLI sets
// it once at start, before any baseline is read (the judge layer does not see the checks); an empty set, the
// default for code that never calls it, checks names for form only. Not thread-safe: set before loading.
void set_declared_metrics(std::set<std::string> names);

// Parses and validates one baseline document. Every error is an InputError on one line of the form
// "<file>: $.expectations[3].warn_ratio: <what is wrong and the fix>". Unknown keys are errors (a typo must not
// silently drop a margin). `file` is used only in messages and stored in Baseline::file.
Baseline baseline_from_json(const nlohmann::json& j, const std::string& file);

// "gpus_per_node": one count (8) or the board's valid counts ([4, 8]); each 1..72, ascending, distinct.
std::vector<int> gpu_counts_from_json(const nlohmann::json& j, const std::string& file, const std::string& place);

// Parses one expectation object at JSON place `place` ("$.expectations[2]"); the same rules as in a baseline.
Expectation expectation_from_json(const nlohmann::json& j, const std::string& file, const std::string& place);

// Reads, parses ("<file>:<line>:<col>: not valid JSON: ...") and validates a baseline file; sets file and sha256.
Baseline load_baseline_file(const std::string& path);

// The document baseline_from_json reads back (derive writes its output with it). Key order is fixed.
nlohmann::json to_json(const Baseline& b);
nlohmann::json to_json(const Expectation& e);

// baselines_dir()/skus.
std::string shipped_baselines_dir();

// Every baselines/skus/*.json in `dir` ("" = shipped_baselines_dir()), sorted by id. Throws InputError for an
// invalid file or two files with the same id.
std::vector<Baseline> load_baselines_in(const std::string& dir = "");

// True when a --baseline argument names a file (contains '/' or ends in .json) rather than a SKU id.
bool is_baseline_path(const std::string& sku_or_file);

// "--baseline SKU|FILE": a path (contains '/' or ends in .json) is loaded as a file; anything else is a SKU id
// among `known`. Throws InputError listing the known ids and the --baseline FILE fix when nothing matches.
Baseline resolve_baseline(const std::string& sku_or_file, const std::vector<Baseline>& known);

// "a, b, c" of the ids, for messages.
std::string known_ids(const std::vector<Baseline>& known);

}  // namespace tranche
