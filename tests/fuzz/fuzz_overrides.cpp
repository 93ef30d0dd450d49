// libFuzzer target: the site-override reader (--overrides FILE).
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/core/errors.h"
#include "harness/judge/overrides.h"
#include "harness/judge/strict_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    tranche::site_overrides_from_json(tranche::parse_data_file(text, "fuzz.json"), "fuzz.json");
  } catch (const tranche::InputError&) {
  }
  return 0;
}
