// make_plan: merges check defaults, the profile and command-line overrides into the list of checks to run.
#include "harness/core/plan.h"

#include <algorithm>

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

// Applies `value` to param `name` of the item, checking it exists and has the default's type.
void apply_param(PlanItem& item, const std::string& name, const nlohmann::json& value, const std::string& what) {
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
  item.params[name] = value;
}

// Sets duration_s on an item whose check declares it (others ignore a run-wide duration).
void apply_duration(PlanItem& item, double seconds) {
  if (find_param(item.entry->info, "duration_s")) item.params["duration_s"] = seconds;
}

}  // namespace

double duration_margin_s(double duration_s) { return std::max(300.0, 0.05 * duration_s); }

nlohmann::json convert_param(const nlohmann::json& def, const std::string& text, const std::string& what) {
  auto fail = [&] { return InputError(what + ": cannot read '" + text + "' as the type of " + def.dump()); };
  try {
    if (def.is_boolean()) {
      if (text == "true" || text == "1" || text == "yes") return true;
      if (text == "false" || text == "0" || text == "no") return false;
      throw fail();
    }
    if (def.is_number_integer()) {
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
      nlohmann::json out = nlohmann::json::array();
      const nlohmann::json elem = def.empty() ? nlohmann::json("") : def.front();
      size_t start = 0;
      while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        out.push_back(convert_param(elem, text.substr(start, comma - start), what));
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
        apply_param(item, k, v, "profile " + profile.source + " entry '" + pe.select + "'");
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
      if (!spec && name != "timeout_s") apply_param(item, name, nullptr, what);  // throws: unknown parameter
      apply_param(item, name, convert_param(def, text, what), what);
    }
    if (!any) throw InputError("--set " + key + "=" + text + ": '" + selector + "' matches no check in this run");
  }
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
