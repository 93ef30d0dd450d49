// Vega-Lite specifications for the HTML rendering, built from the report's own figures and verdicts. Each
// builder returns no chart when the report has no data for it.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/render/render.h"

namespace tranche::render {

struct Chart {
  std::string id;     // DOM id of the chart's container ("chart-ratio", ...)
  std::string title;  // heading above it
  std::string note;   // one sentence under the heading: what is drawn and from which part of the report
  nlohmann::json spec;
};

// Node: per-check bars per GPU against the baseline (ratio, with warn and fail bands), NCCL bus bandwidth by
// message size, the P2P bandwidth matrices, burn-in timelines (telemetry and TFLOPS per interval).
std::vector<Chart> node_charts(const NodeReport& r);
// Rack: nodes x checks (failing checks and fleet outliers); tranche: nodes accepted per rack; compare: the ratio
// after/before of every compared figure.
std::vector<Chart> rack_charts(const nlohmann::json& rack);
std::vector<Chart> tranche_charts(const nlohmann::json& tranche);
std::vector<Chart> compare_charts(const nlohmann::json& compare);

}  // namespace tranche::render
