// FastNodeReader: the same digest as the full reader, and the same one-line errors for the same bad files.
#include "reports/fast_node_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fleet_fixture.h"
#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"

namespace tranche {
namespace {

std::string digest_text(const NodeDigest& d) {
  std::ostringstream os;
  os << d.schema << "|" << d.host << "|" << d.baseline_id << "|" << d.baseline_sha256 << "\n";
  for (const auto& g : d.gpus) os << g.index << " " << g.name << " " << g.serial << " " << g.uuid << " " << g.pci_bus_id << "\n";
  for (const auto& f : d.figures) os << f.key << " " << f.unit << " " << f.device.value_or(-1) << " " << f.value << "\n";
  for (const auto& p : d.problems) {
    os << p.check_id << " " << p.metric << " " << p.device.value_or(-1) << " " << to_string(p.outcome) << " "
       << p.message << " " << p.error_id << "\n";
  }
  for (const auto& [c, n] : d.outcomes_by_check) os << c << " " << n[0] << n[1] << n[2] << n[3] << n[4] << n[5] << "\n";
  os << to_string(d.summary.acceptance) << " " << to_string(d.summary.worst) << " " << d.summary.headline << "\n";
  for (const auto& [k, v] : d.summary.counts) os << k << "=" << v << " ";
  for (const auto& [g, o] : d.summary.gpu_outcomes) os << g << ":" << to_string(o) << " ";
  for (const auto& e : d.summary.error_ids) os << e << " ";
  return os.str();
}

std::string full_reader_error(const std::string& path) {
  try {
    load_node_report(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string fast_reader_error(const std::string& path) {
  try {
    FastNodeReader().read(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(FastNodeReader, SameDigestAsFullReaderOnFixture) {
  const std::string path = std::string(TRANCHE_TEST_DATA) + "/reports/h100-8gpu.json";
  const NodeDigest fast = FastNodeReader().read(path);
  const NodeDigest full = node_digest_from_report(load_node_report(path));
  EXPECT_EQ(digest_text(fast), digest_text(full));
  EXPECT_EQ(fast.host, "gpu-node-017");
  EXPECT_EQ(fast.gpus.size(), 8u);
  EXPECT_EQ(fast.sha256.size(), 64u);
}

TEST(FastNodeReader, SameDigestAsFullReaderOnRealisticReportWithProblems) {
  SyntheticNodeSpec spec;
  spec.host = "gpu042";
  spec.node_index = 41;
  spec.failing_gpu = 2;
  spec.gpu_scale[5] = 0.9;
  const std::string path = test::temp_path("realistic.json");
  save_node_report(make_synthetic_node_report(spec, test::h100_inventory(), test::h100_baseline()), path);
  const NodeDigest fast = FastNodeReader().read(path);
  EXPECT_EQ(digest_text(fast), digest_text(node_digest_from_report(load_node_report(path))));
  EXPECT_GT(fast.figures.size(), 400u);
  EXPECT_FALSE(fast.problems.empty());
  EXPECT_EQ(fast.summary.acceptance, Acceptance::rejected);
  std::filesystem::remove(path);
}

// Each corruption: both readers reject, with the same one-line message.
TEST(FastNodeReader, RejectsWhatTheFullReaderRejectsWithTheSameMessage) {
  const std::string good = read_file(std::string(TRANCHE_TEST_DATA) + "/reports/h100-8gpu.json");
  auto json = nlohmann::json::parse(good);
  std::vector<std::pair<std::string, std::string>> cases = {
      {"truncated", good.substr(0, good.size() / 2)},
      {"empty", ""},
      {"not-json", "hello"},
  };
  auto with = [&](const std::function<void(nlohmann::json&)>& f) {
    auto j = json;
    f(j);
    return j.dump(2);
  };
  cases.push_back({"host-number", with([](auto& j) { j["host"] = 5; })});
  cases.push_back({"no-summary", with([](auto& j) { j.erase("summary"); })});
  cases.push_back({"future-schema", with([](auto& j) { j["schema"] = "tranche/node-report/v9"; })});
  cases.push_back({"bad-outcome", with([](auto& j) { j["verdicts"][0]["outcome"] = "great"; })});
  cases.push_back({"metric-value-string", with([](auto& j) { j["measurements"][0]["metrics"][0]["value"] = "1"; })});
  cases.push_back({"labels-not-strings", with([](auto& j) { j["measurements"][0]["metrics"][0]["labels"] = {{"a", 1}}; })});
  for (const auto& [name, text] : cases) {
    const std::string path = test::temp_path(name + ".json");
    std::ofstream(path) << text;
    const std::string full = full_reader_error(path);
    EXPECT_NE(full, "(accepted)") << name;
    EXPECT_EQ(fast_reader_error(path), full) << name;
    EXPECT_EQ(full.find('\n'), std::string::npos) << name;
    std::filesystem::remove(path);
  }
  EXPECT_EQ(fast_reader_error("/nonexistent/report.json"), full_reader_error("/nonexistent/report.json"));
}

// The inventory is free-form: both readers accept odd GPU entries and the digest simply lacks them.
TEST(FastNodeReader, AcceptsWhatTheFullReaderAccepts) {
  auto j = nlohmann::json::parse(read_file(std::string(TRANCHE_TEST_DATA) + "/reports/h100-8gpu.json"));
  j["inventory"]["gpus"][1] = 3;
  j["inventory"]["gpus"][2]["serial"] = 12345;
  const std::string path = test::temp_path("odd-inventory.json");
  std::ofstream(path) << j.dump();
  EXPECT_EQ(full_reader_error(path), "(accepted)");
  const NodeDigest d = FastNodeReader().read(path);
  EXPECT_EQ(digest_text(d), digest_text(node_digest_from_report(load_node_report(path))));
  EXPECT_EQ(d.gpus.size(), 7u);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace tranche
