// make_plan: merges check defaults, the profile and command-line overrides into the list of checks to run.
#include "harness/core/plan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "harness/core/errors.h"

namespace tranche {

Profile builtin_all_checks_profile() {
  Profile p;
  p.name = "all";
  p.description = "every registered check with its default parameters";
  p.source = "built-in";
  for (const auto& e : CheckRegistry::global().entries()) p.checks.push_back({e.info.id, nlohmann::json::object(), true});
  return p;
}

namespace {

bool selects(const std::string& selector, const std::string& id) {
  if (selector == id) return true;
  const std::string family = selector.back() == '.' ? selector : selector + ".";
  return id.rfind(family, 0) == 0;
}

const ParamSpec* find_param(const CheckInfo& info, const std::string& name) {
  for (const auto& p : info.params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

bool same_kind(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_number() && b.is_number()) return !(a.is_number_integer() && !b.is_number_integer());
  if (a.is_array() && b.is_array()) return true;
  return a.type() == b.type();
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// The range a parameter's values must lie in: declared, or at least 0 for sizes, durations and counts.
std::pair<std::optional<double>, std::optional<double>> range_of(const ParamSpec& spec) {
  std::optional<double> lo = spec.min;
  if (!lo && (spec.unit == "B" || spec.unit == "s" || spec.unit == "count")) lo = 0.0;
  return {lo, spec.max};
}

std::string range_text(const std::pair<std::optional<double>, std::optional<double>>& r) {
  if (r.first && r.second) return number_text(*r.first) + ".." + number_text(*r.second);
  if (r.first) return "at least " + number_text(*r.first);
  if (r.second) return "at most " + number_text(*r.second);
  return "any value";
}

std::string choices_text(const std::vector<std::string>& choices) {
  std::string out;
  for (const auto& c : choices) out += (out.empty() ? "" : ", ") + c;
  return out;
}

// One string value (or each comma-separated part of it) must be one of the parameter's choices.
void check_choice(const std::string& check, const ParamSpec& spec, const std::string& text, const std::string& what) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string part = text.substr(start, comma - start);
    if (std::find(spec.choices.begin(), spec.choices.end(), part) == spec.choices.end()) {
      throw InputError(what + ": " + check + "." + spec.name + " = '" + part + "' is not allowed; valid: " +
                       choices_text(spec.choices));
    }
    start = comma + 1;
  }
}

void check_range(const std::string& check, const ParamSpec& spec, const nlohmann::json& value, const std::string& what) {
  const auto r = range_of(spec);
  auto check_one = [&](const nlohmann::json& v) {
    if (v.is_string() && !spec.choices.empty()) check_choice(check, spec, v.get<std::string>(), what);
    if (!v.is_number()) return;
    const double x = v.get<double>();
    if ((r.first && x < *r.first) || (r.second && x > *r.second)) {
      throw InputError(what + ": " + check + "." + spec.name + " = " + v.dump() + " is out of range; valid: " +
                       range_text(r) + (spec.unit.empty() ? "" : " " + spec.unit));
    }
    if (spec.multiple_of > 0 && v.is_number_integer() && v.get<std::int64_t>() % spec.multiple_of != 0) {
      throw InputError(what + ": " + check + "." + spec.name + " = " + v.dump() + " must be a multiple of " +
                       std::to_string(spec.multiple_of) + " in " + range_text(r));
    }
  };
  if (value.is_array()) {
    if (value.empty()) throw InputError(what + ": " + check + "." + spec.name + " needs at least one value");
    for (const auto& v : value) check_one(v);
  } else {
    check_one(value);
  }
}

// Applies `value` to param `name` of the item, checking it exists and has the default's type.
void apply_param(PlanItem& item, const std::string& name, const nlohmann::json& value, const std::string& what,
                 bool allow_test_params) {
  const CheckInfo& info = item.entry->info;
  if (name == "timeout_s") {
    if (!value.is_number() || value.get<double>() <= 0) throw InputError(what + ": timeout_s must be a positive number");
    item.timeout_s = value.get<double>();
    return;
  }
  const ParamSpec* spec = find_param(info, name);
  if (!spec) {
    std::string known;
    for (const auto& p : info.params) known += (known.empty() ? "" : ", ") + p.name;
    throw InputError(what + ": check " + info.id + " has no parameter '" + name + "' (it has: " +
                     (known.empty() ? "none" : known) + ", timeout_s)");
  }
  if (!same_kind(spec->default_value, value)) {
    throw InputError(what + ": parameter " + info.id + "." + name + " must be of the same type as its default " +
                     spec->default_value.dump());
  }
  if (spec->test_only && value != spec->default_value && !allow_test_params) {
    throw InputError(what + ": " + info.id + "." + name + " is a test-only parameter (" + spec->help +
                     "); it is refused in runs");
  }
  check_range(info.id, *spec, value, what);
  item.params[name] = value;
}

// Every parameter of a zip group is a list of the same length, or of one element that repeats.
void check_zip_groups(const PlanItem& item, const std::string& what) {
  std::map<std::string, std::pair<std::string, size_t>> longest;  // group -> (param, length > 1)
  for (const auto& p : item.entry->info.params) {
    if (p.zip_group.empty()) continue;
    const auto& v = item.params.at(p.name);
    const size_t n = v.is_array() ? v.size() : 1;
    if (n <= 1) continue;
    auto [it, fresh] = longest.emplace(p.zip_group, std::make_pair(p.name, n));
    if (!fresh && it->second.second != n) {
      throw InputError(what + ": " + item.entry->info.id + "." + it->second.first + " has " +
                       std::to_string(it->second.second) + " values but " + item.entry->info.id + "." + p.name +
                       " has " + std::to_string(n) + "; zipped lists need the same length (or one value, repeated)");
    }
  }
}

// Sets duration_s on an item whose check declares it (others ignore a run-wide duration).
void apply_duration(PlanItem& item, double seconds) {
  if (find_param(item.entry->info, "duration_s")) item.params["duration_s"] = seconds;
}

}  // namespace

double duration_margin_s(double duration_s) { return std::max(300.0, 0.05 * duration_s); }


namespace {

// "64M" -> 64e6, "4GiB" -> 4 * 2^30; nullopt when the text has no size suffix.
std::optional<long long> parse_size(const std::string& text) {
  static const std::pair<const char*, long double> kSuffixes[] = {
      {"KiB", 1024.0L}, {"MiB", 1048576.0L}, {"GiB", 1073741824.0L}, {"TiB", 1099511627776.0L},
      {"K", 1e3L},      {"M", 1e6L},         {"G", 1e9L},            {"T", 1e12L}};
  for (const auto& [suffix, scale] : kSuffixes) {
    const std::string sfx = suffix;
    if (text.size() <= sfx.size() || text.compare(text.size() - sfx.size(), sfx.size(), sfx) != 0) continue;
    const std::string number = text.substr(0, text.size() - sfx.size());
    size_t pos = 0;
    const long double v = std::stold(number, &pos);
    if (pos != number.size()) return std::nullopt;
    const long double bytes = v * scale;
    if (bytes != std::floor(bytes) || bytes > 9.2e18L || bytes < -9.2e18L) return std::nullopt;
    return static_cast<long long>(bytes);
  }
  return std::nullopt;
}

}  // namespace

nlohmann::json convert_param(const nlohmann::json& def, const std::string& text, const std::string& what,
                             const std::string& unit) {
  auto fail = [&] { return InputError(what + ": cannot read '" + text + "' as the type of " + def.dump()); };
  try {
    if (def.is_boolean()) {
      if (text == "true" || text == "1" || text == "yes") return true;
      if (text == "false" || text == "0" || text == "no") return false;
      throw fail();
    }
    if (def.is_number_integer()) {
      if (unit == "B") {
        if (auto bytes = parse_size(text)) return *bytes;
      }
      size_t pos = 0;
      long long v = std::stoll(text, &pos);
      if (pos != text.size()) throw fail();
      return v;
    }
    if (def.is_number()) {
      size_t pos = 0;
      double v = std::stod(text, &pos);
      if (pos != text.size()) throw fail();
      return v;
    }
    if (def.is_array()) {
      // "1,2,3" or the form `tranche list -v` prints: [1,2,3]
      std::string body = text;
      if (body.size() >= 2 && body.front() == '[' && body.back() == ']') body = body.substr(1, body.size() - 2);
      nlohmann::json out = nlohmann::json::array();
      const nlohmann::json elem = def.empty() ? nlohmann::json("") : def.front();
      size_t start = 0;
      while (start <= body.size()) {
        size_t comma = body.find(',', start);
        if (comma == std::string::npos) comma = body.size();
        std::string part = body.substr(start, comma - start);
        if (elem.is_string() && part.size() >= 2 && part.front() == '"' && part.back() == '"') {
          part = part.substr(1, part.size() - 2);
        }
        out.push_back(convert_param(elem, part, what, unit));
        start = comma + 1;
      }
      return out;
    }
  } catch (const std::logic_error&) {  // stoll/stod: invalid_argument, out_of_range
    throw fail();
  }
  return text;
}

Plan make_plan(const CheckRegistry& registry, const SystemInfo& system, const Profile& profile,
               const PlanOptions& options) {
  Plan plan;
  plan.profile = profile.name;
  plan.sequential = options.sequential;

  if (options.gpus) {
    for (int g : *options.gpus) {
      if (g < 0) throw InputError("--gpus: " + std::to_string(g) + " is not a GPU index (CUDA ordinals start at 0)");
      if (!system.gpus.empty() && !system.gpu(g)) {
        throw InputError("--gpus: GPU " + std::to_string(g) + " does not exist on this node (it has " +
                         std::to_string(system.gpus.size()) + "; see tranche inventory)");
      }
      if (!system.gpus.empty()) plan.gpus.push_back(g);
    }
  } else {
    for (const auto& g : system.gpus) plan.gpus.push_back(g.index);
  }

  std::vector<const CheckRegistry::Entry*> chosen;
  if (options.checks) {
    chosen = registry.select(*options.checks);
  } else {
    for (const auto& pe : profile.checks) {
      bool any = false;
      for (const auto& e : registry.entries()) {
        if (selects(pe.select, e.info.id)) any = true;
      }
      if (!any) throw InputError("profile " + profile.source + ": '" + pe.select + "' names no registered check");
    }
    for (const auto& e : registry.entries()) {
      for (const auto& pe : profile.checks) {
        if (selects(pe.select, e.info.id)) {
          chosen.push_back(&e);
          break;
        }
      }
    }
  }

  for (const auto* entry : chosen) {
    PlanItem item;
    item.entry = entry;
    item.timeout_s = entry->info.timeout_s;
    for (const auto& p : entry->info.params) item.params[p.name] = p.default_value;
    if (profile.duration_s) apply_duration(item, *profile.duration_s);
    for (const auto& pe : profile.checks) {
      if (!selects(pe.select, entry->info.id)) continue;
      item.required = pe.required;
      for (const auto& [k, v] : pe.params.items()) {
        apply_param(item, k, v, "profile " + profile.source + " entry '" + pe.select + "'", options.allow_test_params);
      }
    }
    if (options.duration_s) apply_duration(item, *options.duration_s);
    plan.items.push_back(std::move(item));
  }

  for (const auto& [key, text] : options.overrides) {
    const auto dot = key.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == key.size()) {
      throw InputError("--set " + key + "=" + text + ": expected CHECK.PARAM=VALUE, e.g. --set gemm.bf16.m=4096");
    }
    const std::string selector = key.substr(0, dot), name = key.substr(dot + 1);
    bool any = false;
    for (auto& item : plan.items) {
      if (!selects(selector, item.entry->info.id)) continue;
      any = true;
      const std::string what = "--set " + key + "=" + text;
      const ParamSpec* spec = find_param(item.entry->info, name);
      const nlohmann::json def = name == "timeout_s" ? nlohmann::json(1.0) : spec ? spec->default_value : nlohmann::json();
      if (!spec && name != "timeout_s") apply_param(item, name, nullptr, what, false);  // throws: unknown parameter
      apply_param(item, name, convert_param(def, text, what, spec ? spec->unit : "s"), what,
                  options.allow_test_params);
    }
    if (!any) throw InputError("--set " + key + "=" + text + ": '" + selector + "' matches no check in this run");
  }
  for (const auto& item : plan.items) check_zip_groups(item, "parameters of " + item.entry->info.id);
  for (auto& item : plan.items) {
    const auto it = item.params.find("duration_s");
    if (it == item.params.end() || !it->is_number()) continue;
    const double d = it->get<double>();
    if (!(d > 0)) throw InputError("check " + item.entry->info.id + ": duration_s must be positive (e.g. --duration 30m)");
    item.timeout_s = std::max(item.timeout_s, d + duration_margin_s(d));
  }
  return plan;
}

}  // namespace tranche
