// libFuzzer target: the profile reader (baselines/profiles/*.json or --profile FILE).
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/core/errors.h"
#include "harness/judge/profile_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    tranche::profile_from_json(j, "fuzz.json");
  } catch (const tranche::InputError&) {
  }
  return 0;
}
