// tranche render: a report (node, rack, tranche or compare) read through its reader and rendered in one format.
// Renderers only present what the report says: they never judge, aggregate or look anything up.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "reports/node_report.h"

namespace tranche::render {

enum class Format { html, md, junit, prom, csv };
std::optional<Format> format_from_string(std::string_view s);
std::string_view to_string(Format f);
// The usual file name extension for the format ("html", "md", "xml", "prom", "csv").
std::string_view extension(Format f);

enum class ReportKind { node, rack, tranche, compare };
std::string_view to_string(ReportKind k);

// A report as its reader returned it: the node model for node reports (v2 and v1), the checked JSON for the
// others. `file` is the path it came from (shown in renderings).
struct LoadedReport {
  ReportKind kind = ReportKind::node;
  std::string file;
  NodeReport node;
  nlohmann::json fleet;  // rack, tranche or compare report
};

// Reads `path` with the reader of its schema (load_node_report, load_rack_report, ...). Throws InputError naming
// the file and the fix for an unreadable file or a schema that is no tranche report.
LoadedReport load_report(const std::string& path);

// The rendering of `report` in `format`, as text. Throws InputError naming the format and the report kind when
// the format does not apply to it (Prometheus of a compare report), or, for HTML, when the build has no
// Vega-Lite (with the fix).
std::string render(const LoadedReport& report, Format format);

// Per-format renderers (one file each). A format that does not apply to a kind throws InputError.
std::string render_markdown(const LoadedReport& r);
std::string render_junit(const LoadedReport& r);
std::string render_prometheus(const LoadedReport& r);
std::string render_csv(const LoadedReport& r);
std::string render_html(const LoadedReport& r);

// node_exporter's textfile collector directory, where `--format prom` goes without -o when the directory exists.
inline constexpr const char* kTextfileCollectorDir = "/var/lib/node_exporter/textfile_collector";

}  // namespace tranche::render
