// tranche/nccl-multinode/v2 JSON (v1 still read): explicit keys, strict reader, atomic write.
#include "reports/multinode_report.h"

#include <algorithm>
#include <map>

#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"

namespace tranche {

using nlohmann::json;

json to_json(const RankResult& r) {
  json figures = json::array();
  for (const RankFigure& f : r.figures) {
    figures.push_back({{"metric", f.metric}, {"labels", f.labels}, {"value", json_or_null(f.value)}, {"unit", f.unit}});
  }
  return json{{"rank", r.rank},
              {"host", r.host},
              {"gpus", r.gpus},
              {"status", r.status},
              {"error_id", r.error_id},
              {"error_message", r.error_message},
              {"acceptance", r.acceptance},
              {"node_report", r.node_report},
              {"nccl_version", r.nccl_version},
              {"figures", std::move(figures)}};
}

RankResult rank_result_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) throw InputError(where + ": must be an object");
  RankResult r;
  r.rank = static_cast<int>(json_integer(j, "rank", where));
  r.host = json_string(j, "host", where);
  r.gpus = static_cast<int>(json_integer(j, "gpus", where));
  r.status = json_string(j, "status", where);
  if (r.status != "measured" && r.status != "no_device" && r.status != "error") {
    throw InputError(where + ": status must be measured, no_device or error (got '" + r.status + "')");
  }
  r.error_id = json_string(j, "error_id", where);
  r.error_message = json_string(j, "error_message", where);
  r.acceptance = json_string(j, "acceptance", where);
  r.node_report = json_string(j, "node_report", where);
  r.nccl_version = json_string(j, "nccl_version", where);
  const json& figs = json_at(j, "figures", where);
  if (!figs.is_array()) throw InputError(where + ": figures must be an array");
  for (std::size_t i = 0; i < figs.size(); ++i) {
    const std::string w = where + ": figures[" + std::to_string(i) + "]";
    RankFigure f;
    f.metric = json_string(figs[i], "metric", w);
    f.labels = json_at(figs[i], "labels", w);
    if (!f.labels.is_object()) throw InputError(w + ": labels must be an object");
    f.value = json_optional_number(figs[i], "value", w);
    f.unit = json_string(figs[i], "unit", w);
    r.figures.push_back(std::move(f));
  }
  return r;
}

json to_json(const MultinodeReport& r) {
  json ranks = json::array(), hosts = json::array();
  std::map<std::string, int> by_status = {{"measured", 0}, {"no_device", 0}, {"error", 0}};
  for (const RankResult& rr : r.ranks) {
    ranks.push_back(to_json(rr));
    if (std::find(hosts.begin(), hosts.end(), rr.host) == hosts.end()) hosts.push_back(rr.host);
    ++by_status[rr.status];
  }
  json out{{"schema", r.schema},
              {"tool_version", r.tool_version},
              {"launcher", r.launcher},
              {"created_at", to_iso8601(r.created_at)},
              {"world_size", r.world_size},
              {"hosts", std::move(hosts)},
              {"summary", by_status},
              {"ranks", std::move(ranks)}};
  if (r.schema != kMultinodeSchemaV1) out["cross_node"] = r.cross_node;  // a v1 file read back stays v1
  return out;
}

MultinodeReport multinode_report_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) throw InputError(where + ": not a JSON object");
  MultinodeReport r;
  r.schema = json_string(j, "schema", where);
  if (r.schema != kMultinodeSchema && r.schema != kMultinodeSchemaV1) {
    throw InputError(where + ": schema is '" + r.schema + "', expected '" + kMultinodeSchema + "' (or v1)");
  }
  r.tool_version = json_string(j, "tool_version", where);
  r.launcher = json_string(j, "launcher", where);
  r.created_at = from_iso8601(json_string(j, "created_at", where), where + ": created_at");
  r.world_size = static_cast<int>(json_integer(j, "world_size", where));
  const json& ranks = json_at(j, "ranks", where);
  if (!ranks.is_array()) throw InputError(where + ": ranks must be an array");
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    r.ranks.push_back(rank_result_from_json(ranks[i], where + ": ranks[" + std::to_string(i) + "]"));
  }
  if (r.schema == kMultinodeSchema) {
    r.cross_node = json_at(j, "cross_node", where);
    if (!r.cross_node.is_object() && !r.cross_node.is_null()) {
      throw InputError(where + ": cross_node must be an object or null");
    }
  }
  if (static_cast<int>(r.ranks.size()) != r.world_size) {
    throw InputError(where + ": ranks has " + std::to_string(r.ranks.size()) + " entries but world_size is " +
                     std::to_string(r.world_size));
  }
  return r;
}

void save_multinode_report(const MultinodeReport& r, const std::string& path) {
  write_file_atomic(path, to_json(r).dump(2) + "\n");
}

MultinodeReport load_multinode_report(const std::string& path) {
  json j;
  try {
    j = json::parse(read_file(path));
  } catch (const json::parse_error& e) {
    throw InputError(path + ": not valid JSON: " + e.what());
  }
  return multinode_report_from_json(j, path);
}

}  // namespace tranche
