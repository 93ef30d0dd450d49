// Writing renderings from the CLI (see render_output.h).
#include "harness/cli/render_output.h"

#include <filesystem>
#include <iostream>

#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"

namespace tranche::cli {

void add_render_shortcuts(CLI::App& cmd, RenderTargets& targets) {
  using render::Format;
  const std::pair<Format, const char*> shortcuts[] = {
      {Format::html, "--html"}, {Format::md, "--md"}, {Format::junit, "--junit"}, {Format::prom, "--prom"},
      {Format::csv, "--csv"}};
  for (const auto& [format, flag] : shortcuts) {
    cmd.add_option_function<std::string>(
           flag, [&targets, format = format](const std::string& file) { targets[format] = file; },
           std::string("Also render the report as ") + std::string(render::to_string(format)) + " into FILE")
        ->type_name("FILE")
        ->group("Renderings (tranche render)");
  }
}

void check_render_targets(const RenderTargets& targets) {
  for (const auto& [format, file] : targets) {
    if (file == "-") continue;
    const auto parent = std::filesystem::path(file).parent_path();
    ensure_writable_dir(parent.empty() ? std::string(".") : parent.string());
  }
}

void write_rendering(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text << std::flush;
    return;
  }
  write_file_atomic(path, text);
}

void write_renderings(const std::string& report_path, const RenderTargets& targets, std::ostream& out) {
  if (targets.empty()) return;
  const render::LoadedReport report = render::load_report(report_path);
  for (const auto& [format, file] : targets) {
    write_rendering(file, render::render(report, format));
    if (file != "-") out << render::to_string(format) << ": " << file << "\n";
  }
}

}  // namespace tranche::cli
