// Vega, Vega-Lite and Vega-Embed (minified UMD builds), embedded into the binary at build time from the npm
// packages scripts/install-deps.sh installs (third_party/js), so an HTML rendering needs nothing at view time.
#pragma once
#include <string>
#include <string_view>

namespace tranche::render {

struct VegaAssets {
  std::string_view vega, vega_lite, vega_embed;  // JavaScript text; empty when the build had none
  std::string versions;                          // "vega 6.2.0, vega-lite 6.4.1, vega-embed 7.0.2"
};

// The embedded scripts. Throws InputError naming the fix when this build was configured without them.
const VegaAssets& vega_assets();

}  // namespace tranche::render
