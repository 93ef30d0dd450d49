// The fast reader and the full reader accept and reject the same node reports, with the same one-line errors and
// the same digests: the fuzz corpus of fuzz_node_report (tests/data/golden, tests/data/reports), and thousands
// of mutations of a v2 report (each value removed or retyped, numbers and literals mangled, keys repeated,
// text truncated or extended).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fleet_fixture.h"
#include "harness/core/errors.h"
#include "harness/core/sha256.h"
#include "digest_text.h"
#include "reports/fast_node_reader.h"
#include "reports/fast_report_v2.h"

namespace tranche {
namespace {

using test::digest_text;

using ojson = nlohmann::ordered_json;
namespace fs = std::filesystem;


// "(accepted) <digest>" or the error message.
std::string full_answer(const std::string& path) {
  try {
    NodeDigest d = node_digest_from_report(load_node_report(path));
    d.file = path;
    d.sha256 = sha256_hex(read_file(path));
    return "(accepted) " + digest_text(d);
  } catch (const InputError& e) {
    return e.what();
  }
}

std::string fast_answer(FastNodeReader& reader, const std::string& path) {
  try {
    return "(accepted) " + digest_text(reader.read(path));
  } catch (const InputError& e) {
    return e.what();
  }
}

class Parity {
 public:
  explicit Parity(std::string name) : path_(test::temp_path(name)) {}
  ~Parity() { fs::remove(path_); }
  // Writes `text` and expects the same answer from both readers.
  void check(const std::string& text, const std::string& what) {
    { std::ofstream(path_, std::ios::binary) << text; }
    const std::string full = full_answer(path_), fast = fast_answer(reader_, path_);
    ++cases_;
    accepted_ += full.rfind("(accepted)", 0) == 0;
    // The strict walk alone (no full reader behind it): whatever it accepts, the full reader accepts too.
    std::string padded = text;
    padded.resize(text.size() + fast_v2::kPadding, '\0');
    NodeDigest walked;
    if (walker_.read(padded.data(), text.size(), padded.size(), walked)) {
      ++walked_;
      walked.file = path_;
      walked.sha256 = sha256_hex(text);
      EXPECT_EQ("(accepted) " + digest_text(walked), full) << what;
    }
    if (full != fast) {
      ADD_FAILURE() << what << "\n  full: " << full.substr(0, 300) << "\n  fast: " << fast.substr(0, 300);
      ++mismatches_;
    }
    EXPECT_EQ(full.find('\n') == std::string::npos, full.rfind("(accepted)", 0) != 0) << what << ": " << full;
  }
  int cases() const { return cases_; }
  int accepted() const { return accepted_; }
  int mismatches() const { return mismatches_; }
  int walked() const { return walked_; }  // accepted by the strict walk itself

 private:
  std::string path_;
  FastNodeReader reader_;
  fast_v2::Walker walker_;
  int cases_ = 0, accepted_ = 0, mismatches_ = 0, walked_ = 0;
};

// Every value's place in the document, as JSON pointers.
void collect_pointers(const ojson& j, const ojson::json_pointer& at, std::vector<ojson::json_pointer>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      out.push_back(at / k);
      collect_pointers(v, at / k, out);
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) {
      out.push_back(at / i);
      collect_pointers(j[i], at / i, out);
    }
  }
}

// `doc` with the value at `p` replaced by raw text (which may be invalid JSON).
std::string with_raw(const ojson& doc, const ojson::json_pointer& p, const std::string& raw) {
  ojson m = doc;
  m[p] = "\x01@@raw@@\x01";
  std::string text = m.dump();
  const std::string marker = ojson("\x01@@raw@@\x01").dump();
  text.replace(text.find(marker), marker.size(), raw);
  return text;
}

void mutate(Parity& parity, const ojson& doc, size_t stride) {
  std::vector<ojson::json_pointer> pointers;
  collect_pointers(doc, ojson::json_pointer(), pointers);
  const std::vector<ojson> retypes = {nullptr, true, "x", -1, 0, 7, 1.5, 18446744073709551615ull, ojson::object(),
                                      ojson::array()};
  const std::vector<std::string> raws = {"1.2.3", "01", "1e999", "-1e999", "-", "nul", "tru", "1e", ".5", "+1",
                                         "NaN", "123456789012345678901234567890", "\"a\\qb\"", "\"\x01\"",
                                         "\"\xff\xfe\"", "[1,]", "{\"a\":1,}", "[1}"};
  for (size_t i = 0; i < pointers.size(); i += stride) {
    const auto& p = pointers[i];
    const std::string where = p.to_string();
    ojson removed = doc;
    removed[p.parent_pointer()].erase(removed[p.parent_pointer()].is_object()
                                          ? removed[p.parent_pointer()].find(p.back())
                                          : removed[p.parent_pointer()].begin() + std::stol(p.back()));
    parity.check(removed.dump(), "remove " + where);
    for (const auto& r : retypes) {
      ojson m = doc;
      m[p] = r;
      parity.check(m.dump(), where + " = " + r.dump());
    }
    if (doc[p].is_primitive()) {
      for (const auto& raw : raws) parity.check(with_raw(doc, p, raw), where + " = raw " + raw);
    }
    if (doc[p].is_object() && !doc[p].empty()) {  // its first key twice
      const auto first = doc[p].begin();
      const std::string dup = "{" + ojson(first.key()).dump() + ":" + first.value().dump() + "," +
                              doc[p].dump().substr(1);
      parity.check(with_raw(doc, p, dup), where + ": first key repeated");
    }
  }
  const std::string text = doc.dump();
  parity.check(text, "unchanged");
  parity.check(doc.dump(1), "indented");
  for (const std::string tail : {" ", "x", "{}", "]", "}", "\n\n", ",", "null"}) {
    parity.check(text + tail, "followed by '" + tail + "'");
  }
  parity.check("\xef\xbb\xbf" + text, "with a byte-order mark");
  parity.check(text.substr(0, text.size() - 1) + "]", "closed by ]");
  for (size_t cut = 1; cut < text.size(); cut += std::max<size_t>(1, text.size() / 97)) {
    parity.check(text.substr(0, cut), "truncated at " + std::to_string(cut));
  }
}

TEST(ReaderParity, MutationsOfTheGoldenV2Report) {
  const auto doc = ojson::parse(read_file(std::string(TRANCHE_TEST_DATA) + "/golden/node_report.json"));
  Parity parity("parity-golden.json");
  mutate(parity, doc, 1);
  EXPECT_EQ(parity.mismatches(), 0);
  EXPECT_GT(parity.cases(), 2000);
  EXPECT_GT(parity.accepted(), 50);  // some mutations are valid reports (a changed string, an extra null)
  EXPECT_GT(parity.walked(), 50);    // and many of those the fast walk reads itself
  std::cout << parity.cases() << " cases, " << parity.accepted() << " accepted by both, " << parity.walked()
            << " of them by the fast walk alone\n";
}

TEST(ReaderParity, MutationsOfARealisticV2Report) {
  SyntheticNodeSpec spec;
  spec.host = "gpu042";
  spec.node_index = 41;
  spec.failing_gpu = 2;
  spec.samples = 5;
  const NodeReport r = make_synthetic_node_report(spec, test::h100_inventory(), test::h100_baseline());
  const auto doc = ojson::parse(node_report_text(r, false));
  Parity parity("parity-realistic.json");
  mutate(parity, doc, 1777);  // every 1777th value: each section of the layout, in seconds
  EXPECT_EQ(parity.mismatches(), 0);
  EXPECT_GT(parity.cases(), 300);
  EXPECT_GT(parity.walked(), 20);
  std::cout << parity.cases() << " cases, " << parity.accepted() << " accepted by both, " << parity.walked()
            << " of them by the fast walk alone\n";
}

// The case that once passed the fast reader: a negative sample count.
TEST(ReaderParity, NegativeSampleCountIsRejectedByBoth) {
  SyntheticNodeSpec spec;
  spec.host = "gpu007";
  spec.samples = 5;
  auto doc = ojson::parse(node_report_text(make_synthetic_node_report(spec, test::h100_inventory(), test::h100_baseline()), false));
  bool planted = false;
  for (auto& m : doc["measurements"]) {
    for (auto& x : m["metrics"]) {
      if (!planted && x.contains("n")) {
        x["n"] = -3;
        planted = true;
      }
    }
  }
  ASSERT_TRUE(planted);
  const std::string path = test::temp_path("negative-n.json");
  std::ofstream(path) << doc.dump();
  FastNodeReader reader;
  const std::string full = full_answer(path);
  EXPECT_NE(full.find(": n -3 is out of range"), std::string::npos) << full;
  EXPECT_EQ(fast_answer(reader, path), full);
  fs::remove(path);
}

// fuzz_node_report's corpus (scripts/robustness.sh): the golden reports and the fixtures, v1 and v2.
TEST(ReaderParity, FuzzCorpus) {
  Parity parity("parity-corpus.json");
  for (const char* dir : {"golden", "reports", "reports/derive"}) {
    for (const auto& e : fs::directory_iterator(std::string(TRANCHE_TEST_DATA) + "/" + dir)) {
      if (!e.is_regular_file()) continue;
      const std::string text = read_file(e.path().string());
      parity.check(text, e.path().string());
      parity.check(text.substr(0, text.size() / 3), e.path().string() + " truncated");
    }
  }
  EXPECT_EQ(parity.mismatches(), 0);
  EXPECT_GT(parity.accepted(), 5);
}

}  // namespace
}  // namespace tranche
