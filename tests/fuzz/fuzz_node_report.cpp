// libFuzzer target: the node report reader (what `tranche show`, `judge` and `rack` read) on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/core/errors.h"
#include "reports/node_report.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    tranche::node_report_from_json(j, "fuzz.json");
  } catch (const tranche::InputError&) {
    // The expected answer to bad input: one line naming the place. Anything else escapes and is a finding.
  }
  return 0;
}
