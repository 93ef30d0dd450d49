// tranche render: a node, rack, tranche or compare report as HTML (with charts), Markdown, JUnit XML,
// Prometheus text or CSV. Renders only: the verdicts are the report's own.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "harness/cli/command.h"
#include "harness/cli/render_output.h"
#include "harness/core/errors.h"
#include "harness/core/outcome.h"

namespace tranche::cli {
namespace {

struct RenderArgs {
  std::string report, format, out;
};

// Where `--format prom` goes without -o: node_exporter's textfile collector directory
// ($TRANCHE_TEXTFILE_COLLECTOR_DIR, else the usual one), one file per report kind.
std::string default_prom_file(const render::LoadedReport& r) {
  const char* env = std::getenv("TRANCHE_TEXTFILE_COLLECTOR_DIR");
  const std::string dir = env && *env ? env : render::kTextfileCollectorDir;
  if (!std::filesystem::is_directory(dir)) {
    throw InputError(dir + " does not exist: give -o FILE (or -o - for stdout), or create it and start "
                           "node_exporter with --collector.textfile.directory=" + dir);
  }
  return dir + "/tranche" + (r.kind == render::ReportKind::node ? "" : "-" + std::string(to_string(r.kind))) +
         ".prom";
}

void setup_render(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<RenderArgs>();
  auto* cmd = app.add_subcommand(
      "render", "Render a node, rack, tranche or compare report as html (charts, offline), md (for a ticket), "
                "junit (CI), prom (node_exporter textfile collector) or csv; exit 0, or 64 on bad input");
  cmd->add_option("REPORT", a->report, "A report written by tranche run, judge, rack, tranche or compare")
      ->required();
  cmd->add_option("--format", a->format, "html, md, junit, prom or csv")
      ->required()
      ->check(CLI::IsMember({"html", "md", "markdown", "junit", "prom", "prometheus", "csv"}));
  cmd->add_option("-o,--out", a->out,
                  std::string("Write here, atomically (- for stdout). Default: stdout; for prom "
                              "$TRANCHE_TEXTFILE_COLLECTOR_DIR or ") +
                      render::kTextfileCollectorDir + "/tranche[-KIND].prom");
  cmd->callback([a, &exit_code] {
    const render::Format format = *render::format_from_string(a->format);
    if (!a->out.empty()) check_render_targets({{format, a->out}});
    const render::LoadedReport report = render::load_report(a->report);
    const std::string text = render::render(report, format);
    std::string out = a->out;
    if (out.empty()) out = format == render::Format::prom ? default_prom_file(report) : "-";
    write_rendering(out, text);
    if (out != "-") std::cerr << "tranche: wrote " << out << "\n";
    exit_code = kExitAccepted;
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(85, setup_render)

}  // namespace tranche::cli
