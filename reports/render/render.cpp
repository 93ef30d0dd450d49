// Format names, reading a report of any kind through its reader, and dispatch to the per-format renderers.
#include "reports/render/render.h"

#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"
#include "reports/compare_reports.h"
#include "reports/rack_report.h"
#include "reports/tranche_report.h"

namespace tranche::render {

std::optional<Format> format_from_string(std::string_view s) {
  if (s == "html") return Format::html;
  if (s == "md" || s == "markdown") return Format::md;
  if (s == "junit") return Format::junit;
  if (s == "prom" || s == "prometheus") return Format::prom;
  if (s == "csv") return Format::csv;
  return std::nullopt;
}

std::string_view to_string(Format f) {
  switch (f) {
    case Format::html: return "html";
    case Format::md: return "md";
    case Format::junit: return "junit";
    case Format::prom: return "prom";
    case Format::csv: return "csv";
  }
  return "?";
}

std::string_view extension(Format f) {
  switch (f) {
    case Format::html: return "html";
    case Format::md: return "md";
    case Format::junit: return "xml";
    case Format::prom: return "prom";
    case Format::csv: return "csv";
  }
  return "txt";
}

std::string_view to_string(ReportKind k) {
  switch (k) {
    case ReportKind::node: return "node";
    case ReportKind::rack: return "rack";
    case ReportKind::tranche: return "tranche";
    case ReportKind::compare: return "compare";
  }
  return "?";
}

namespace {

nlohmann::json parse_report(const std::string& path) {
  try {
    return nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path + ": not valid JSON (byte " + std::to_string(e.byte) +
                     "); give a report written by tranche run, rack, tranche or compare");
  }
}

// The fleet reports are rendered straight from their JSON; a key their schema requires but the file lacks
// surfaces here as a JSON error, reported as bad input naming the file.
std::string guarded(const LoadedReport& r, std::string (*fn)(const LoadedReport&)) {
  try {
    return fn(r);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(r.file + ": not a complete " + std::string(to_string(r.kind)) + " report (" + e.what() +
                     "); re-create it with tranche " + std::string(to_string(r.kind)));
  }
}

}  // namespace

LoadedReport load_report(const std::string& path) {
  const nlohmann::json j = parse_report(path);
  const auto schema = j.is_object() && j.contains("schema") && j["schema"].is_string()
                          ? j["schema"].get<std::string>()
                          : std::string();
  LoadedReport r;
  r.file = path;
  if (schema == kNodeReportSchema || schema == kNodeReportSchemaV1) {
    r.kind = ReportKind::node;
    r.node = node_report_from_json(j, path);
  } else if (schema == kRackReportSchema) {
    r.kind = ReportKind::rack;
    r.fleet = load_rack_report(path);
  } else if (schema == kTrancheReportSchema) {
    r.kind = ReportKind::tranche;
    r.fleet = j;
  } else if (schema == kCompareReportSchema) {
    r.kind = ReportKind::compare;
    r.fleet = j;
  } else {
    throw InputError(path + ": schema '" + schema + "' is no tranche report (give a report written by tranche " +
                     "run, rack, tranche or compare)");
  }
  return r;
}

std::string render(const LoadedReport& r, Format format) {
  switch (format) {
    case Format::html: return guarded(r, render_html);
    case Format::md: return guarded(r, render_markdown);
    case Format::junit: return guarded(r, render_junit);
    case Format::prom: return guarded(r, render_prometheus);
    case Format::csv: return guarded(r, render_csv);
  }
  return {};
}

}  // namespace tranche::render
