// The embedded Vega scripts (see vega_assets.h). CMake defines TRANCHE_VEGA_JS, TRANCHE_VEGA_LITE_JS and
// TRANCHE_VEGA_EMBED_JS (absolute paths) and TRANCHE_VEGA_VERSIONS when third_party/js/node_modules has them;
// the assembler's .incbin copies each file into .rodata, so the 0.8 MB of JavaScript costs no compile time.
#include "reports/render/vega_assets.h"

#include "harness/core/errors.h"

#if defined(TRANCHE_VEGA_JS) && defined(TRANCHE_VEGA_LITE_JS) && defined(TRANCHE_VEGA_EMBED_JS)
#define TRANCHE_INCBIN(sym, path)                                                                       \
  asm(".section .rodata\n.global " #sym "\n" #sym ":\n.incbin \"" path "\"\n.global " #sym "_end\n" #sym \
      "_end:\n.byte 0\n.previous\n")
TRANCHE_INCBIN(tranche_vega_js, TRANCHE_VEGA_JS);
TRANCHE_INCBIN(tranche_vega_lite_js, TRANCHE_VEGA_LITE_JS);
TRANCHE_INCBIN(tranche_vega_embed_js, TRANCHE_VEGA_EMBED_JS);
extern "C" const char tranche_vega_js[], tranche_vega_js_end[];
extern "C" const char tranche_vega_lite_js[], tranche_vega_lite_js_end[];
extern "C" const char tranche_vega_embed_js[], tranche_vega_embed_js_end[];
#define TRANCHE_HAVE_VEGA 1
#endif

namespace tranche::render {

const VegaAssets& vega_assets() {
#ifdef TRANCHE_HAVE_VEGA
  static const VegaAssets assets{
      std::string_view(tranche_vega_js, static_cast<size_t>(tranche_vega_js_end - tranche_vega_js)),
      std::string_view(tranche_vega_lite_js, static_cast<size_t>(tranche_vega_lite_js_end - tranche_vega_lite_js)),
      std::string_view(tranche_vega_embed_js, static_cast<size_t>(tranche_vega_embed_js_end - tranche_vega_embed_js)),
      TRANCHE_VEGA_VERSIONS};
  return assets;
#else
  throw InputError(
      "HTML rendering is not in this build: it embeds Vega-Lite from third_party/js/node_modules, which was missing "
      "when it was configured; run scripts/install-deps.sh (npm ci), then re-run cmake and rebuild");
#endif
}

}  // namespace tranche::render
