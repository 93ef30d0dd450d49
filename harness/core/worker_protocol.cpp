// JSON for the supervisor-worker exchange: explicit keys, strict readers (a worker's output is input too).
#include "harness/core/worker_protocol.h"

#include "harness/core/errors.h"
#include "harness/core/model_json.h"

namespace tranche {

using json = nlohmann::json;

namespace {

GpuInfo gpu_info_from_json(const json& j, const std::string& w) {
  GpuInfo g;
  g.index = static_cast<int>(json_integer(j, "index", w));
  g.name = json_string(j, "name", w);
  g.uuid = json_string(j, "uuid", w);
  g.pci_bus_id = json_string(j, "pci_bus_id", w);
  const std::string cc = json_string(j, "compute_capability", w);
  const auto dot = cc.find('.');
  try {
    g.cc_major = std::stoi(cc.substr(0, dot));
    g.cc_minor = dot == std::string::npos ? 0 : std::stoi(cc.substr(dot + 1));
  } catch (const std::exception&) {
    throw InputError(w + ": compute_capability '" + cc + "' is not MAJOR.MINOR");
  }
  g.sm_count = static_cast<int>(json_integer(j, "sm_count", w));
  g.memory_bytes = static_cast<std::uint64_t>(json_integer(j, "memory_bytes", w));
  g.l2_bytes = static_cast<std::uint64_t>(json_integer(j, "l2_bytes", w));
  g.numa_node = static_cast<int>(json_integer(j, "numa_node", w));
  return g;
}

json gpu_json(std::optional<int> g) { return g ? json(*g) : json(nullptr); }

}  // namespace

json system_to_json(const SystemInfo& s) {
  json gpus = json::array();
  for (const auto& g : s.gpus) gpus.push_back(to_json(g));
  return {{"hostname", s.hostname},
          {"gpus", gpus},
          {"device_error", s.device_error ? to_json(*s.device_error) : json(nullptr)},
          {"cuda_driver_version", s.cuda_driver_version},
          {"cuda_runtime_version", s.cuda_runtime_version},
          {"inventory", to_json(s.inventory)}};
}

SystemInfo system_from_json(const json& j, const std::string& where) {
  SystemInfo s;
  s.hostname = json_string(j, "hostname", where);
  const json& gpus = json_at(j, "gpus", where);
  if (!gpus.is_array()) throw InputError(where + ": 'gpus' must be an array");
  for (size_t i = 0; i < gpus.size(); ++i) {
    s.gpus.push_back(gpu_info_from_json(gpus[i], where + ".gpus[" + std::to_string(i) + "]"));
  }
  if (const json& e = json_at(j, "device_error", where); !e.is_null()) {
    s.device_error = error_info_from_json(e, where + ".device_error");
  }
  s.cuda_driver_version = static_cast<int>(json_integer(j, "cuda_driver_version", where));
  s.cuda_runtime_version = static_cast<int>(json_integer(j, "cuda_runtime_version", where));
  s.inventory = inventory_from_json(json_at(j, "inventory", where), where + ".inventory");
  return s;
}

json plan_to_json(const Plan& p) {
  json items = json::array();
  for (const auto& item : p.items) {
    items.push_back({{"check", item.entry->info.id},
                     {"params", item.params},
                     {"required", item.required},
                     {"timeout_s", item.timeout_s}});
  }
  return {{"profile", p.profile}, {"gpus", p.gpus}, {"sequential", p.sequential}, {"items", items}};
}

Plan plan_from_json(const json& j, const CheckRegistry& registry, const std::string& where) {
  Plan p;
  p.profile = json_string(j, "profile", where);
  p.sequential = json_bool(j, "sequential", where);
  const json& gpus = json_at(j, "gpus", where);
  const json& items = json_at(j, "items", where);
  if (!gpus.is_array() || !items.is_array()) throw InputError(where + ": 'gpus' and 'items' must be arrays");
  for (const auto& g : gpus) {
    if (!g.is_number_integer()) throw InputError(where + ".gpus: every GPU must be an integer");
    p.gpus.push_back(g.get<int>());
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string w = where + ".items[" + std::to_string(i) + "]";
    PlanItem item;
    const std::string id = json_string(items[i], "check", w);
    item.entry = registry.find(id);
    if (!item.entry) throw InputError(w + ": unknown check '" + id + "'");
    item.params = json_at(items[i], "params", w);
    if (!item.params.is_object()) throw InputError(w + ": 'params' must be an object");
    item.required = json_bool(items[i], "required", w);
    item.timeout_s = json_number(items[i], "timeout_s", w);
    p.items.push_back(std::move(item));
  }
  return p;
}

json job_to_json(const WorkerJob& job) {
  json done = json::array();
  for (const auto& [check, gpu] : job.done) done.push_back({check, gpu_json(gpu)});
  return {{"system", system_to_json(job.system)}, {"plan", plan_to_json(job.plan)}, {"done", done}};
}

WorkerJob job_from_json(const json& j, const CheckRegistry& registry) {
  WorkerJob job;
  job.system = system_from_json(json_at(j, "system", "job"), "job.system");
  job.plan = plan_from_json(json_at(j, "plan", "job"), registry, "job.plan");
  const json& done = json_at(j, "done", "job");
  if (!done.is_array()) throw InputError("job: 'done' must be an array");
  for (const auto& d : done) {
    if (!d.is_array() || d.size() != 2 || !d[0].is_string() || !(d[1].is_null() || d[1].is_number_integer())) {
      throw InputError("job.done: every entry must be [check, gpu|null]");
    }
    job.done.insert({d[0].get<std::string>(), d[1].is_null() ? std::nullopt : std::optional<int>(d[1].get<int>())});
  }
  return job;
}

std::vector<Slot> plan_slots(const Plan& plan) {
  std::vector<Slot> out;
  for (const auto& item : plan.items) {
    const std::string& id = item.entry->info.id;
    if (item.entry->info.scope == Scope::node || plan.gpus.empty()) {
      out.push_back({id, std::nullopt});
    } else {
      for (int g : plan.gpus) out.push_back({id, g});
    }
  }
  return out;
}

}  // namespace tranche
