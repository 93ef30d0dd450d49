// Text tables for the terminal: columns sized to their content within a width (100 by default), the last column
// wrapped onto continuation lines, and colour only where the caller says the output is a terminal that wants it.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "harness/core/outcome.h"

namespace tranche {

// What a cell means, for colour: good (green), warn (yellow), bad (red), muted (dim); plain has no colour.
enum class Tone { plain, good, warn, bad, muted };

struct TableCell {
  std::string text;
  Tone tone = Tone::plain;
};

struct TableColumn {
  std::string header;
  bool align_right = false;
  std::size_t max_width = 0;  // 0: as wide as its widest cell; otherwise longer cells are cut, ending in "~"
};

struct TableStyle {
  bool colour = false;      // ANSI SGR colours on tone cells; false: not one escape byte in the output
  std::size_t width = 100;  // no table line is longer (in characters: UTF-8 sequences count as one)
  // Prose lines (headers, verdicts, per-GPU lines) wrap to `width` too; false (off a terminal): one line each, so
  // logs and grep see every verdict whole.
  bool wrap_prose = false;
};

// `width` for prose lines under `style`: style.width when it wraps prose, else unlimited.
std::size_t prose_width(const TableStyle& style);

// The table with a header line; every line ends in '\n'. Columns are separated by two spaces. The last column gets
// what the others leave and wraps at word boundaries onto continuation lines aligned under it; when it does not fit
// and fewer than 40 characters are left, it goes on its own lines below the row, indented by 4. Rows shorter than the columns
// are padded with empty cells. Pure; thread-safe.
std::string render_table(const std::vector<TableColumn>& columns, const std::vector<std::vector<TableCell>>& rows,
                         const TableStyle& style);

// One line of prose (a verdict, a GPU line) wrapped at word boundaries to `width`, continuation lines indented by
// `indent`; what follows the first `plain_prefix` characters is coloured with `tone` when `colour`. Ends in '\n'.
std::string wrap_line(const std::string& text, std::size_t width, std::size_t indent, Tone tone = Tone::plain,
                      bool colour = false, std::size_t plain_prefix = 0);

// `text` wrapped in the tone's SGR colour when `colour`, else unchanged.
std::string paint(const std::string& text, Tone tone, bool colour);

// Colour on stdout: only a terminal, only when NO_COLOR is unset or empty (no-color.org) and TERM is not "dumb".
// Arguments are isatty(1), getenv("NO_COLOR") and getenv("TERM") (either may be null).
bool colour_wanted(bool stdout_is_terminal, const char* no_color, const char* term);

// pass good; warn and unjudged warn; fail and error bad; skip muted.
Tone tone_of(Outcome outcome);
// accepted good; rejected bad; incomplete and not_judged warn; anything else plain.
Tone tone_of_acceptance(const std::string& acceptance);

// Characters shown for `text` (UTF-8 code points).
std::size_t display_width(const std::string& text);

}  // namespace tranche
