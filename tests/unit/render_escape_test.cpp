// Escaping helpers of tranche render: each format's special characters, and nothing else touched.
#include <gtest/gtest.h>

#include "reports/render/escape.h"

namespace tranche::render {
namespace {

TEST(RenderEscape, HtmlEscapesMarkupAndQuotes) {
  EXPECT_EQ(html_escape("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  EXPECT_EQ(html_escape("gpu-017 ok"), "gpu-017 ok");
}

TEST(RenderEscape, XmlEscapesMarkupAndReplacesCharactersXmlCannotCarry) {
  EXPECT_EQ(xml_escape("<a & 'b' \"c\">"), "&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;");
  EXPECT_EQ(xml_escape(std::string("x\x01y\tz\n")), "x\xEF\xBF\xBDy\tz\n");
}

TEST(RenderEscape, PrometheusLabelValueEscapesBackslashQuoteNewline) {
  EXPECT_EQ(prom_label_value("a\\b\"c\"\nd,e{f}"), "a\\\\b\\\"c\\\"\\nd,e{f}");
}

TEST(RenderEscape, CsvQuotesOnlyWhenNeededAndDoublesQuotes) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field(" padded"), "\" padded\"");
}

TEST(RenderEscape, MarkdownCellEscapesPipesMarkupAndNewlines) {
  EXPECT_EQ(md_cell("a|b"), "a\\|b");
  EXPECT_EQ(md_cell("<b>x</b> & *y* _z_ `c` [l] #h \\"), "&lt;b&gt;x&lt;/b&gt; &amp; \\*y\\* \\_z\\_ \\`c\\` \\[l\\] \\#h \\\\");
  EXPECT_EQ(md_cell("one\ntwo\r"), "one two ");
}

TEST(RenderEscape, JsonForScriptCannotCloseTheScriptElement) {
  const std::string text = json_for_script({{"host", "</script><script>alert(1)</script>"}, {"s", "a\u2028b&c"}});
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(text.find('&'), std::string::npos);
  EXPECT_EQ(text.find("\xE2\x80\xA8"), std::string::npos);
  // Still the same JSON.
  const auto back = nlohmann::json::parse(text);
  EXPECT_EQ(back["host"], "</script><script>alert(1)</script>");
  EXPECT_EQ(back["s"], "a\u2028b&c");
}

}  // namespace
}  // namespace tranche::render
