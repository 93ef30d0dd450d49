// render_table: widths from the cells, the last column wrapped to what is left of the line width.
#include "reports/terminal_table.h"

#include <algorithm>
#include <cstring>

namespace tranche {

namespace {

constexpr std::size_t kMinWrappedWidth = 40;  // below this the last column moves under its row
constexpr std::size_t kUnderRowIndent = 4;
constexpr const char* kGap = "  ";

// The first `n` characters (code points) of text.
std::string prefix_chars(const std::string& text, std::size_t n) {
  std::size_t chars = 0, i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == n) break;
      ++chars;
    }
  }
  return text.substr(0, i);
}

std::string fit(const std::string& text, std::size_t width) {
  if (display_width(text) <= width) return text;
  if (width == 0) return "";
  return prefix_chars(text, width - 1) + "~";
}

// Word-wrapped lines of at most `width` characters; a word longer than the width is cut across lines.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    while (display_width(word) > width) {  // a path or an id longer than the column
      if (!line.empty()) lines.push_back(std::move(line)), line.clear();
      const std::string head = prefix_chars(word, width);
      lines.push_back(head);
      word = word.substr(head.size());
    }
    if (line.empty()) {
      line = word;
    } else if (display_width(line) + 1 + display_width(word) <= width) {
      line += " " + word;
    } else {
      lines.push_back(std::move(line));
      line = word;
    }
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

std::size_t display_width(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::size_t prose_width(const TableStyle& style) {
  return style.wrap_prose ? style.width : std::string::npos / 2;
}

std::string wrap_line(const std::string& text, std::size_t width, std::size_t indent, Tone tone, bool colour,
                      std::size_t plain_prefix) {
  const std::string head = prefix_chars(text, plain_prefix);
  const std::vector<std::string> lines = wrap(text, width > indent + 10 ? width : indent + 10);
  // Wrap once at the full width, then rewrap what follows the first line at the indented width.
  std::string out = lines.front();
  std::string rest;
  for (std::size_t i = 1; i < lines.size(); ++i) rest += (rest.empty() ? "" : " ") + lines[i];
  std::string painted = out.size() >= head.size() ? head + paint(out.substr(head.size()), tone, colour) : out;
  std::string result = painted + "\n";
  if (!rest.empty()) {
    for (const auto& l : wrap(rest, std::max<std::size_t>(width > indent ? width - indent : 10, 10))) {
      result += std::string(indent, ' ') + paint(l, tone, colour) + "\n";
    }
  }
  return result;
}

std::string paint(const std::string& text, Tone tone, bool colour) {
  if (!colour || tone == Tone::plain || text.empty()) return text;
  const char* sgr = tone == Tone::good ? "32" : tone == Tone::warn ? "33" : tone == Tone::bad ? "1;31" : "2";
  return std::string("\033[") + sgr + "m" + text + "\033[0m";
}

bool colour_wanted(bool stdout_is_terminal, const char* no_color, const char* term) {
  if (!stdout_is_terminal) return false;
  if (no_color && *no_color) return false;
  return !(term && std::strcmp(term, "dumb") == 0);
}

Tone tone_of(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass: return Tone::good;
    case Outcome::warn:
    case Outcome::unjudged: return Tone::warn;
    case Outcome::fail:
    case Outcome::error: return Tone::bad;
    case Outcome::skip: return Tone::muted;
  }
  return Tone::plain;
}

Tone tone_of_acceptance(const std::string& acceptance) {
  if (acceptance == "accepted") return Tone::good;
  if (acceptance == "rejected") return Tone::bad;
  if (acceptance == "incomplete" || acceptance == "not_judged" || acceptance == "not judged") return Tone::warn;
  return Tone::plain;
}

std::string render_table(const std::vector<TableColumn>& columns, const std::vector<std::vector<TableCell>>& rows,
                         const TableStyle& style) {
  if (columns.empty()) return "";
  const std::size_t n = columns.size(), last = n - 1;
  std::vector<std::size_t> widths(n, 0);
  for (std::size_t c = 0; c < n; ++c) widths[c] = display_width(columns[c].header);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < n && c < row.size(); ++c) widths[c] = std::max(widths[c], display_width(row[c].text));
  }
  for (std::size_t c = 0; c < n; ++c) {
    if (columns[c].max_width) widths[c] = std::min(widths[c], std::max(columns[c].max_width, display_width(columns[c].header)));
  }
  // The fixed columns never take more than the line: cut the widest until they fit beside a minimal last column.
  auto fixed_total = [&] {
    std::size_t t = 0;
    for (std::size_t c = 0; c < last; ++c) t += widths[c] + std::strlen(kGap);
    return t;
  };
  while (n > 1 && fixed_total() + 1 > style.width) {
    auto widest = std::max_element(widths.begin(), widths.begin() + static_cast<std::ptrdiff_t>(last));
    if (*widest <= 4) break;
    --*widest;
  }
  const std::size_t fixed = n > 1 ? fixed_total() : 0;
  const std::size_t left = style.width > fixed ? style.width - fixed : 0;
  // A short last column (an outcome) that fits stays on its row; a long one (a note) moves below when the line
  // leaves it too little room to be read.
  const bool under_row = n > 1 && left < widths[last] && left < kMinWrappedWidth;
  const std::size_t last_width = under_row ? style.width - kUnderRowIndent : std::min(widths[last], left);

  std::string out;
  auto emit_row = [&](const std::vector<TableCell>& row, bool header) {
    std::string line;
    for (std::size_t c = 0; c < last; ++c) {
      const TableCell cell = c < row.size() ? row[c] : TableCell{};
      const std::string shown = fit(cell.text, widths[c]);
      const std::string fill(widths[c] - display_width(shown), ' ');
      const std::string painted = header ? shown : paint(shown, cell.tone, style.colour);
      line += (columns[c].align_right ? fill + painted : painted + fill) + kGap;
    }
    const TableCell cell = last < row.size() ? row[last] : TableCell{};
    const std::vector<std::string> parts = wrap(cell.text, std::max<std::size_t>(last_width, 1));
    auto painted = [&](const std::string& s) { return header ? s : paint(s, cell.tone, style.colour); };
    if (under_row) {
      if (header && display_width(line) + display_width(cell.text) <= style.width) line += cell.text;
      out += rtrim(line) + "\n";
      if (header) return;
      if (!cell.text.empty()) {
        for (const auto& p : parts) out += std::string(kUnderRowIndent, ' ') + painted(p) + "\n";
      }
      return;
    }
    if (n == 1) line.clear();
    out += rtrim(line + painted(parts.front())) + "\n";
    for (std::size_t i = 1; i < parts.size(); ++i) out += std::string(fixed, ' ') + painted(parts[i]) + "\n";
  };
  std::vector<TableCell> header;
  for (const auto& c : columns) header.push_back({c.header});
  emit_row(header, true);
  for (const auto& row : rows) emit_row(row, false);
  return out;
}

}  // namespace tranche
