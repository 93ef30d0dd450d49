// tranche render on the fixture reports (tests/data/render, written by make_render_fixtures): golden files for
// md, junit, prom and csv of the node and rack reports, and what each format must say of every report kind.
// Set TRANCHE_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change (then review the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"
#include "reports/render/node_rows.h"
#include "reports/render/render.h"
#include "reports/render/vega_assets.h"

namespace tranche::render {
namespace {

const std::string kDir = std::string(TRANCHE_TEST_DATA) + "/render/";

LoadedReport fixture(const std::string& name) {
  LoadedReport r = load_report(kDir + name + ".json");
  r.file = name + ".json";  // renderings name the file as given; keep the golden files free of this checkout's path
  return r;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

class RenderGolden : public ::testing::TestWithParam<std::pair<std::string, Format>> {};

TEST_P(RenderGolden, MatchesGoldenFile) {
  const auto& [name, format] = GetParam();
  const std::string text = render(fixture(name), format);
  const std::string golden = kDir + "golden/" + name + "." + std::string(extension(format));
  if (std::getenv("TRANCHE_UPDATE_GOLDEN")) write_file_atomic(golden, text);
  EXPECT_EQ(text, read_file(golden)) << "rendering differs from " << golden
                                     << "; if intended, rerun with TRANCHE_UPDATE_GOLDEN=1 and review the diff";
}

INSTANTIATE_TEST_SUITE_P(
    NodeAndRack, RenderGolden,
    ::testing::Values(std::pair{std::string("node"), Format::md}, std::pair{std::string("node"), Format::junit},
                      std::pair{std::string("node"), Format::prom}, std::pair{std::string("node"), Format::csv},
                      std::pair{std::string("rack"), Format::md}, std::pair{std::string("rack"), Format::junit},
                      std::pair{std::string("rack"), Format::prom}, std::pair{std::string("rack"), Format::csv}),
    [](const auto& p) { return p.param.first + "_" + std::string(to_string(p.param.second)); });

TEST(RenderFormats, ReadsEveryKindThroughItsReader) {
  EXPECT_EQ(fixture("node").kind, ReportKind::node);
  EXPECT_EQ(fixture("rack").kind, ReportKind::rack);
  EXPECT_EQ(fixture("tranche").kind, ReportKind::tranche);
  EXPECT_EQ(fixture("compare").kind, ReportKind::compare);
  // A v1 node report is read too (through load_node_report), with its note.
  const LoadedReport v1 = load_report(std::string(TRANCHE_TEST_DATA) + "/golden/node_report_v1.json");
  EXPECT_EQ(v1.kind, ReportKind::node);
  EXPECT_FALSE(v1.node.read_note.empty());
  EXPECT_NE(render_markdown(v1).find(v1.node.host), std::string::npos);
}

TEST(RenderFormats, JunitHasOneTestcasePerCheckPerGpuPlusAcceptance) {
  const LoadedReport r = fixture("node");
  const std::string xml = render_junit(r);
  EXPECT_EQ(count(xml, "<testcase "), check_rows(r.node).size() + 1);
  // GPU 1 failed gemm.bf16: its testcase fails, with the verdict's reason as the message.
  const auto at = xml.find("classname=\"tranche.gpu00017.gpu1\" name=\"gemm.bf16\"");
  ASSERT_NE(at, std::string::npos);
  const std::string tail = xml.substr(at, xml.find("</testcase>", at) - at);
  EXPECT_NE(tail.find("<failure message=\"gemm.bf16/flops"), std::string::npos) << tail;
  EXPECT_NE(xml.find("classname=\"tranche.gpu00017\" name=\"acceptance\""), std::string::npos);
}

TEST(RenderFormats, PrometheusCarriesDcgmExporterLabelsAndTheVerdictGauge) {
  const std::string prom = render_prometheus(fixture("node"));
  EXPECT_NE(prom.find("# TYPE tranche_check_verdict gauge"), std::string::npos);
  EXPECT_NE(prom.find("tranche_node_acceptance{Hostname=\"gpu00017\",acceptance=\"rejected\"} 1"), std::string::npos);
  EXPECT_NE(prom.find(",check=\"gemm.bf16\",outcome=\"fail\"} 5"), std::string::npos);
  EXPECT_NE(prom.find("pci_bus_id=\"00000000:"), std::string::npos);  // NVML's form, as dcgm-exporter writes it
  EXPECT_EQ(prom.find("pci_bus_id=\"0000:"), std::string::npos);
}

TEST(RenderFormats, CsvHasOneRowPerFigure) {
  const LoadedReport r = fixture("node");
  size_t figures = 0;
  for (const auto& m : r.node.measurements) figures += m.metrics.size();
  EXPECT_EQ(count(render_csv(r), "\r\n"), figures + 1);  // the escape fixture proves no field holds a CRLF
}

TEST(RenderFormats, EveryFormatEscapesHostReasonAndLabels) {
  const LoadedReport r = fixture("node-escape");
  const std::string md = render_markdown(r);
  EXPECT_NE(md.find("gpu-017 \"lab\" &lt;a&amp;b&gt;, c\\\\d"), std::string::npos);
  EXPECT_EQ(md.find("<b>GPU</b>"), std::string::npos);
  const std::string xml = render_junit(r);
  EXPECT_NE(xml.find("hostname=\"gpu-017 &quot;lab&quot; &lt;a&amp;b&gt;, c\\d\""), std::string::npos);
  EXPECT_NE(xml.find("slow &quot;bf16&quot; &lt;b&gt;GPU&lt;/b&gt; &amp; more"), std::string::npos);
  const std::string prom = render_prometheus(r);
  EXPECT_NE(prom.find("Hostname=\"gpu-017 \\\"lab\\\" <a&b>, c\\\\d\""), std::string::npos);
  EXPECT_NE(prom.find("sensor=\"board \\\"A\\\" \\\\ <1>,\\n2 & 3\""), std::string::npos);
  const std::string csv = render_csv(r);
  EXPECT_NE(csv.find("\"gpu-017 \"\"lab\"\" <a&b>, c\\d\""), std::string::npos);
  EXPECT_NE(csv.find("\"slow \"\"bf16\"\" <b>GPU</b> & more, see C:\\logs\nsecond line\""), std::string::npos);
  const std::string html = render_html(r);
  EXPECT_NE(html.find("gpu-017 &quot;lab&quot; &lt;a&amp;b&gt;, c\\d"), std::string::npos);
  EXPECT_EQ(html.find("<b>GPU</b>"), std::string::npos);
  EXPECT_EQ(html.find("<a&b>"), std::string::npos);
}

TEST(RenderFormats, HtmlIsSelfContainedWithEveryChartTheNodeHasDataFor) {
  const std::string html = render_html(fixture("node"));
  for (const char* id : {"chart-ratio", "chart-nccl", "chart-p2p", "chart-burnin"}) {
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);  // nothing fetched at view time
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_NE(html.find("vegaEmbed"), std::string::npos);
  // The embedded scripts are whole and cannot end their <script> element early.
  const VegaAssets& js = vega_assets();
  EXPECT_GT(js.vega.size(), 100000u);
  EXPECT_GT(js.vega_lite.size(), 100000u);
  EXPECT_GT(js.vega_embed.size(), 10000u);
  for (auto s : {js.vega, js.vega_lite, js.vega_embed}) EXPECT_EQ(s.find("</script"), std::string_view::npos);
  EXPECT_EQ(count(html, "<script"), 6u);  // error capture, 3 libraries, chart data, drawing
}

TEST(RenderFormats, ChartsAppearOnlyWithTheirData) {
  // The v1 golden node report has no NCCL sweep, P2P figures or burn-in telemetry: no such charts.
  const std::string html = render_html(load_report(std::string(TRANCHE_TEST_DATA) + "/golden/node_report_v1.json"));
  for (const char* id : {"chart-nccl", "chart-p2p", "chart-burnin"}) {
    EXPECT_EQ(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  }
}

TEST(RenderFormats, CompareHasNoPrometheusFormAndSaysWhich) {
  try {
    render(fixture("compare"), Format::prom);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--format md, csv, junit or html"), std::string::npos) << e.what();
  }
  EXPECT_NE(render_markdown(fixture("compare")).find("Regressions"), std::string::npos);
}

TEST(RenderFormats, RejectsFilesThatAreNoTrancheReport) {
  EXPECT_THROW(load_report(std::string(TRANCHE_TEST_DATA) + "/inventory/healthy_hgx_h100.json"), InputError);
  EXPECT_THROW(load_report(kDir + "does-not-exist.json"), InputError);
}

TEST(RenderFormats, AFleetReportMissingARequiredKeyIsBadInput) {
  LoadedReport r = fixture("tranche");
  r.fleet.erase("racks");
  EXPECT_THROW(render(r, Format::md), InputError);
}

TEST(RenderFormats, FormatNames) {
  EXPECT_EQ(format_from_string("prometheus"), Format::prom);
  EXPECT_EQ(format_from_string("markdown"), Format::md);
  EXPECT_FALSE(format_from_string("pdf"));
  EXPECT_EQ(extension(Format::junit), "xml");
}

}  // namespace
}  // namespace tranche::render
