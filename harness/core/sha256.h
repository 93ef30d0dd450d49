// SHA-256 (FIPS 180-4) of bytes, as lowercase hex: identifies the exact baseline file a report was judged with.
#pragma once
#include <string>
#include <string_view>

namespace tranche {

std::string sha256_hex(std::string_view data);

}  // namespace tranche
