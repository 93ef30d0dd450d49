// Escaping for every rendered format: HTML, XML, Prometheus label values, CSV fields, Markdown table cells, and
// JSON embedded in an HTML <script>. One place, so each renderer quotes text the same way and tests cover all.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace tranche::render {

// Text or attribute content in HTML: & < > " ' as entities.
std::string html_escape(std::string_view s);
// Text or attribute content in XML 1.0: & < > " ' as entities; control characters XML 1.0 cannot carry
// (below 0x20 except tab, newline, carriage return) become U+FFFD, so xmllint accepts the document.
std::string xml_escape(std::string_view s);
// A Prometheus text-format label value (without the quotes): backslash, double quote and newline escaped.
std::string prom_label_value(std::string_view s);
// An RFC 4180 CSV field: quoted (with doubled quotes) when it holds a comma, quote, CR or LF, or starts or ends
// with a space; as is otherwise.
std::string csv_field(std::string_view s);
// A Markdown table cell: Markdown punctuation and the pipe backslash-escaped, < > & as entities (GitLab and
// GitHub would otherwise read them as HTML), newlines as spaces.
std::string md_cell(std::string_view s);
// JSON text safe inside <script>: < > & and U+2028/U+2029 as \u escapes, so no string in the data can end the
// script element or the JavaScript line.
std::string json_for_script(const nlohmann::json& j);

}  // namespace tranche::render
