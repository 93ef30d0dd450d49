// tranche tranche: aggregate rack reports into a tranche report (exit code as for a node).
#include <filesystem>
#include <iostream>

#include "harness/cli/command.h"
#include "harness/cli/fleet_options.h"
#include "harness/core/atomic_file.h"
#include "harness/core/sha256.h"
#include "reports/tranche_report.h"

namespace tranche::cli {
namespace {

struct TrancheArgs {
  std::vector<std::string> racks;
  std::string out, name;
};

void setup_tranche(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<TrancheArgs>();
  auto* cmd = app.add_subcommand(
      "tranche", "Aggregate rack reports into a tranche report: per-rack acceptance, distributions across racks, "
                 "the whole RMA list; exit 0 accepted, 1 rejected, 2 incomplete, 64 bad input");
  cmd->add_option("RACK", a->racks, "Rack reports written by tranche rack")->required();
  cmd->add_option("-o,--out", a->out, "Write the tranche report here (atomically)")->required();
  cmd->add_option("--name", a->name, "The tranche's name in the report (default: the output file's name)");
  cmd->callback([a, &exit_code] {
    std::vector<RackInput> racks;
    for (const auto& f : a->racks) {
      RackInput in{f, sha256_hex(read_file(f)), load_rack_report(f)};
      racks.push_back(std::move(in));
    }
    const std::string name = a->name.empty() ? std::filesystem::path(a->out).stem().string() : a->name;
    const auto report = aggregate_tranche(racks, name, tool_info());
    write_file_atomic(a->out, report.dump(1) + "\n");
    std::cout << "tranche " << name << ": " << report["headline"].get<std::string>() << "\nReport: " << a->out
              << "\n";
    exit_code = exit_code_for(*acceptance_from_string(report["acceptance"].get<std::string>()));
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(71, setup_tranche)

}  // namespace tranche::cli
