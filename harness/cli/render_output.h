// Writing renderings from the CLI: `tranche render`, and the --html/--md/--junit/--prom/--csv shortcuts of
// `run` and `rack`, which render the report they have just written.
#pragma once
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <map>
#include <string>

#include "reports/render/render.h"

namespace tranche::cli {

// Format -> output file, as given by the shortcuts.
using RenderTargets = std::map<render::Format, std::string>;

// Adds --html FILE, --md FILE, --junit FILE, --prom FILE, --csv FILE to `cmd`.
void add_render_shortcuts(CLI::App& cmd, RenderTargets& targets);
// Before any work: each target's directory must exist and be writable (InputError naming it otherwise).
void check_render_targets(const RenderTargets& targets);
// Reads the report at `report_path` back through its reader and writes each rendering atomically; prints
// "<Format>: <file>" per file on `out`.
void write_renderings(const std::string& report_path, const RenderTargets& targets, std::ostream& out);
// Writes `text` to `path` atomically, or to stdout for "-".
void write_rendering(const std::string& path, const std::string& text);

}  // namespace tranche::cli
