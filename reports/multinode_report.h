// The multi-node result file rank 0 writes after `tranche run --multinode` (schema tranche/nccl-multinode/v2,
// reports/schema/nccl-multinode.schema.json, layout in docs/multinode.md); `tranche rack` reads it.
#pragma once
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace tranche {

inline constexpr const char* kMultinodeSchema = "tranche/nccl-multinode/v2";
// v1 had no cross_node section; the reader still takes it (cross_node null).
inline constexpr const char* kMultinodeSchemaV1 = "tranche/nccl-multinode/v1";

// One headline figure a rank's own node run measured (nccl.<op>/bus_bandwidth, labels as in the node report).
struct RankFigure {
  std::string metric;
  nlohmann::json labels = nlohmann::json::object();
  std::optional<double> value;
  std::string unit;
};

// What one MPI rank reports: where it ran, what its node run concluded, and its NCCL figures.
struct RankResult {
  int rank = 0;
  std::string host;
  int gpus = 0;                       // GPUs this rank measured (0: no device)
  std::string status;                 // "measured" | "no_device" | "error"
  std::string error_id;               // E_NO_DEVICE, ... when status != measured ("" otherwise)
  std::string error_message;
  std::string acceptance;             // the node report's acceptance ("accepted", "rejected", "incomplete")
  std::string node_report;            // path of the rank's node report, as the rank wrote it
  std::string nccl_version;           // "" when NCCL could not be loaded on that rank
  std::vector<RankFigure> figures;
};

struct MultinodeReport {
  std::string schema = kMultinodeSchema;
  std::string tool_version;
  std::string launcher;  // "srun", "mpirun" or ""
  std::chrono::system_clock::time_point created_at{};
  int world_size = 0;  // MPI ranks
  std::vector<RankResult> ranks;  // in rank order, one per rank
  // The NCCL checks across nodes (docs/multinode.md "Across nodes"): world, per collective the merged table and
  // figures, nccl.pairwise's pairs, scores and slow nodes. Built by nccl::cross_node_section; null in v1 files.
  nlohmann::json cross_node = nullptr;
};

nlohmann::json to_json(const RankResult& r);
// Strict: throws InputError naming `where` and the key when a key is missing or mistyped.
RankResult rank_result_from_json(const nlohmann::json& j, const std::string& where);

// Adds "hosts" (distinct host names, first-seen order) and "summary" (ranks per status) to the file.
nlohmann::json to_json(const MultinodeReport& r);
// Strict: also rejects another schema string (v2, or v1 without cross_node) and a ranks array whose length is
// not world_size; cross_node must be an object in v2.
MultinodeReport multinode_report_from_json(const nlohmann::json& j, const std::string& where);

// Writes atomically (temp file, rename). Throws InputError on an unwritable path.
void save_multinode_report(const MultinodeReport& r, const std::string& path);
MultinodeReport load_multinode_report(const std::string& path);

}  // namespace tranche
