// FastNodeReader: simdjson on-demand over the report; any error defers to the full reader for its message.
#include "reports/fast_node_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <openssl/evp.h>
#include <simdjson.h>
#include <vector>

#include "harness/core/errors.h"

namespace tranche {

namespace od = simdjson::ondemand;

namespace {
// The two layouts this reader streams; only the parts that read measurements, verdicts, baseline and summary
// differ between them.
constexpr std::string_view kLayoutV1 = "tranche/node-report/v1";
constexpr std::string_view kLayoutV2 = "tranche/node-report/v2";
}  // namespace

struct FastNodeReader::Impl {
  od::parser parser;
  std::vector<char> buffer;
};

namespace {

// Thrown inside the reader when the file is well-formed JSON but not what a node report must be.
struct NotAReport {};

std::string str(od::value v) { return std::string(std::string_view(v.get_string())); }

bool is_null(od::value& v) { return v.type() == od::json_type::null; }

std::optional<int> optional_int(od::value v) {
  if (is_null(v)) return std::nullopt;
  return static_cast<int>(int64_t(v.get_int64()));
}

std::map<std::string, std::string> read_labels(od::value v) {
  std::map<std::string, std::string> out;
  if (is_null(v)) return out;
  for (auto field : v.get_object()) {
    std::string k(std::string_view(field.unescaped_key()));
    out[k] = str(field.value());
  }
  return out;
}

// The inventory is free-form to the full reader, so its GPU fields are taken only when they have the expected
// type (as node_digest_from_report does), never rejected.
std::string string_if_string(od::value v) {
  return v.type() == od::json_type::string ? std::string(std::string_view(v.get_string())) : std::string();
}

GpuIdentity read_gpu(od::object g) {
  GpuIdentity id;
  for (auto field : g) {
    const std::string_view k = field.unescaped_key();
    od::value v = field.value();
    if (k == "index") {
      if (v.type() == od::json_type::number && v.get_number_type() == od::number_type::signed_integer) {
        id.index = static_cast<int>(int64_t(v.get_int64()));
      }
    } else if (k == "name") {
      id.name = string_if_string(v);
    } else if (k == "serial") {
      id.serial = string_if_string(v);
    } else if (k == "uuid") {
      id.uuid = string_if_string(v);
    } else if (k == "pci_bus_id") {
      id.pci_bus_id = string_if_string(v);
    }
  }
  return id;
}

void read_inventory(od::object inv, NodeDigest& d) {
  for (auto field : inv) {
    if (std::string_view(field.unescaped_key()) != "gpus") continue;
    od::value gpus = field.value();
    if (gpus.type() != od::json_type::array) continue;
    for (auto g : gpus.get_array()) {
      od::value gv = g.value();
      if (gv.type() == od::json_type::object) d.gpus.push_back(read_gpu(gv.get_object()));
    }
  }
}

void read_metric(od::object m, NodeDigest& d) {
  std::string name, unit;
  std::optional<double> value;
  std::optional<int> device;
  std::map<std::string, std::string> labels;
  for (auto field : m) {
    const std::string_view k = field.unescaped_key();
    od::value v = field.value();
    if (k == "name") name = str(v);
    else if (k == "value") { if (!is_null(v)) value = double(v.get_double()); }
    else if (k == "unit") unit = str(v);
    else if (k == "labels") labels = read_labels(v);
    else if (k == "device") device = optional_int(v);
  }
  if (value && is_performance_unit(unit)) d.figures.push_back({figure_key(name, labels), unit, device, *value});
}

void read_measurements(od::array ms, NodeDigest& d) {
  for (auto m : ms) {
    for (auto field : m.get_object()) {
      if (std::string_view(field.unescaped_key()) != "metrics") continue;
      for (auto metric : field.value().get_array()) read_metric(metric.get_object(), d);
    }
  }
}

Outcome outcome_of(od::value v) {
  auto o = outcome_from_string(std::string_view(v.get_string()));
  if (!o) throw NotAReport{};
  return *o;
}

// Counts a verdict by check and outcome; keeps it as a problem unless it passed or is an optional skip.
void record_verdict(NodeDigest& d, DigestProblem p, bool required) {
  d.outcomes_by_check[p.check_id][static_cast<size_t>(p.outcome)] += 1;
  if (p.outcome == Outcome::pass || (p.outcome == Outcome::skip && !required)) return;
  d.problems.push_back(std::move(p));
}

void read_verdicts(od::array vs, NodeDigest& d) {
  for (auto verdict : vs) {
    DigestProblem p;
    bool required = true;
    for (auto field : verdict.get_object()) {
      const std::string_view k = field.unescaped_key();
      od::value v = field.value();
      if (k == "check_id") p.check_id = str(v);
      else if (k == "metric") p.metric = str(v);
      else if (k == "device") p.device = optional_int(v);
      else if (k == "outcome") p.outcome = outcome_of(v);
      else if (k == "required") required = bool(v.get_bool());
      else if (k == "message") p.message = str(v);
      else if (k == "error_id") p.error_id = str(v);
    }
    record_verdict(d, std::move(p), required);
  }
}

// The summary of either layout: v1 keys GPU outcomes by ordinal in `gpu_outcomes`, v2 lists them in `gpus`.
void read_summary(od::object s, NodeDigest& d) {
  Summary& out = d.summary;
  for (auto field : s) {
    const std::string_view k = field.unescaped_key();
    od::value v = field.value();
    if (k == "acceptance") {
      auto a = acceptance_from_string(std::string_view(v.get_string()));
      if (!a) throw NotAReport{};
      out.acceptance = *a;
    } else if (k == "worst") {
      out.worst = outcome_of(v);
    } else if (k == "counts") {
      for (auto c : v.get_object()) {
        std::string key(std::string_view(c.unescaped_key()));
        out.counts[key] = static_cast<int>(int64_t(c.value().get_int64()));
      }
    } else if (k == "error_ids") {
      for (auto e : v.get_array()) out.error_ids.emplace_back(std::string_view(e.get_string()));
    } else if (k == "gpu_outcomes") {
      for (auto g : v.get_object()) {
        const int gpu = std::stoi(std::string(std::string_view(g.unescaped_key())));
        out.gpu_outcomes[gpu] = outcome_of(g.value());
      }
    } else if (k == "gpus") {
      for (auto g : v.get_array()) {
        std::optional<int> gpu;
        std::optional<Outcome> outcome;
        for (auto gf : g.get_object()) {
          const std::string_view gk = gf.unescaped_key();
          od::value gv = gf.value();
          if (gk == "gpu") gpu = static_cast<int>(int64_t(gv.get_int64()));
          else if (gk == "outcome" && !is_null(gv)) outcome = outcome_of(gv);
        }
        if (gpu && outcome) out.gpu_outcomes[*gpu] = *outcome;
      }
    } else if (k == "headline") {
      out.headline = str(v);
    }
  }
}

void read_baseline(od::object b, NodeDigest& d) {
  for (auto field : b) {
    const std::string_view k = field.unescaped_key();
    if (k == "id") d.baseline_id = str(field.value());
    else if (k == "sha256") d.baseline_sha256 = str(field.value());
  }
}

// --- tranche/node-report/v2: verdicts refer to figures and expectations by index (docs/report-format.md) ---

std::string string_or_null(od::value v) { return is_null(v) ? std::string() : str(v); }

// What a v2 verdict's indices resolve to.
struct V2Figure {
  std::string name;
  std::optional<int> gpu;
};
struct V2Measurement {
  std::string check_id;
  std::optional<int> gpu;
  bool required = true;
  std::vector<V2Figure> figures;
};
struct V2Expectation {
  std::string metric;
  bool required = true;
};
struct V2Context {
  std::vector<V2Expectation> expectations;
  std::vector<V2Measurement> measurements;
};

void read_baseline_v2(od::object b, NodeDigest& d, V2Context& ctx) {
  for (auto field : b) {
    const std::string_view k = field.unescaped_key();
    if (k == "id") {
      d.baseline_id = string_or_null(field.value());
    } else if (k == "sha256") {
      d.baseline_sha256 = string_or_null(field.value());
    } else if (k == "expectations") {
      for (auto e : field.value().get_array()) {
        V2Expectation x;
        for (auto ef : e.get_object()) {
          const std::string_view ek = ef.unescaped_key();
          if (ek == "metric") x.metric = string_or_null(ef.value());
          else if (ek == "required") x.required = bool(ef.value().get_bool());
        }
        ctx.expectations.push_back(std::move(x));
      }
    }
  }
}

void read_metric_v2(od::object m, V2Measurement& owner, NodeDigest& d) {
  V2Figure f;
  f.gpu = owner.gpu;
  std::string unit;
  std::optional<double> value;
  std::map<std::string, std::string> labels;
  for (auto field : m) {
    const std::string_view k = field.unescaped_key();
    od::value v = field.value();
    if (k == "name") f.name = str(v);
    else if (k == "quantity") f.name = owner.check_id + "/" + std::string(str(v));  // "<check_id>/<quantity>"
    else if (k == "gpu") f.gpu = optional_int(v);
    else if (k == "labels") labels = read_labels(v);
    else if (k == "value") { if (!is_null(v)) value = double(v.get_double()); }
    else if (k == "unit") unit = str(v);
  }
  if (value && is_performance_unit(unit)) d.figures.push_back({figure_key(f.name, labels), unit, f.gpu, *value});
  owner.figures.push_back(std::move(f));
}

void read_measurements_v2(od::array ms, NodeDigest& d, V2Context& ctx) {
  for (auto m : ms) {
    V2Measurement owner;
    for (auto field : m.get_object()) {
      const std::string_view k = field.unescaped_key();
      od::value v = field.value();
      if (k == "check_id") owner.check_id = str(v);
      else if (k == "gpu") owner.gpu = optional_int(v);
      else if (k == "required") owner.required = bool(v.get_bool());
      else if (k == "metrics") {
        for (auto metric : v.get_array()) read_metric_v2(metric.get_object(), owner, d);
      }
    }
    ctx.measurements.push_back(std::move(owner));
  }
}

std::optional<size_t> optional_index(od::value v, size_t limit) {
  if (is_null(v)) return std::nullopt;
  const uint64_t i = v.get_uint64();
  if (i >= limit) throw NotAReport{};
  return static_cast<size_t>(i);
}

void read_verdicts_v2(od::array vs, NodeDigest& d, const V2Context& ctx) {
  // A v2 verdict is a row [measurement, metric, expectation, outcome, ratio(, more)] (docs/report-format.md).
  for (auto verdict : vs) {
    std::optional<size_t> mi, ki, ei;
    std::optional<std::string> check_id, name;
    std::optional<std::optional<int>> gpu;
    std::optional<bool> required;
    DigestProblem p;
    size_t col = 0;
    for (auto cell : verdict.get_array()) {
      od::value v = cell.value();
      switch (col++) {
        case 0: mi = optional_index(v, ctx.measurements.size()); break;
        case 1: ki = optional_index(v, mi ? ctx.measurements[*mi].figures.size() : 0); break;
        case 2: ei = optional_index(v, ctx.expectations.size()); break;
        case 3: p.outcome = outcome_of(v); break;
        case 4: break;  // ratio: aggregation reads figures, not ratios
        case 5:
          for (auto field : v.get_object()) {
            const std::string_view k = field.unescaped_key();
            od::value x = field.value();
            if (k == "message") p.message = string_or_null(x);
            else if (k == "error_id") p.error_id = string_or_null(x);
            else if (k == "check_id") check_id = str(x);
            else if (k == "gpu") gpu = optional_int(x);
            else if (k == "name") name = str(x);
            else if (k == "required") required = bool(x.get_bool());
          }
          break;
        default: throw NotAReport{};
      }
    }
    if (col < 5) throw NotAReport{};
    // Resolve as the full reader derives a verdict: the figure, then the expectation, then what it states.
    bool req = true;
    if (mi) {
      const V2Measurement& m = ctx.measurements[*mi];
      p.check_id = m.check_id;
      p.device = m.gpu;
      req = m.required;
      if (ki) {
        p.metric = m.figures[*ki].name;
        p.device = m.figures[*ki].gpu;
      }
    }
    if (ei) {
      if (!ki) p.metric = ctx.expectations[*ei].metric;
      req = ctx.expectations[*ei].required;
    }
    if (check_id) p.check_id = *check_id;
    if (gpu) p.device = *gpu;
    if (name) p.metric = *name;
    if (required) req = *required;
    record_verdict(d, std::move(p), req);
  }
}

// Whether the document's first key is "schema" with the v2 value (compact or --pretty).
bool opens_with_v2_schema(std::string_view t) {
  size_t i = 0;
  auto skip_space = [&] {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t')) ++i;
  };
  auto expect = [&](std::string_view s) {
    skip_space();
    if (t.substr(i, s.size()) != s) return false;
    i += s.size();
    return true;
  };
  return expect("{") && expect("\"schema\"") && expect(":") && expect("\"") && expect(kLayoutV2) && expect("\"");
}

// SHA-256 as lowercase hex through libcrypto, which uses the CPU's SHA extensions: the project's portable
// sha256_hex is 5x slower and was most of a rack's aggregation time.
std::string fast_sha256_hex(const char* data, size_t len) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (EVP_Digest(data, len, md, &md_len, EVP_sha256(), nullptr) != 1) throw std::runtime_error("EVP_Digest failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(md_len * 2, '0');
  for (unsigned i = 0; i < md_len; ++i) {
    hex[2 * i] = kHex[md[i] >> 4];
    hex[2 * i + 1] = kHex[md[i] & 15];
  }
  return hex;
}

// Reads the whole file into `buf` with simdjson's padding after it; returns its length, or -1 with errno set.
long long read_padded(const std::string& path, std::vector<char>& buf) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st {};
  if (::fstat(fd, &st) != 0) { const int e = errno; ::close(fd); errno = e; return -1; }
  size_t cap = static_cast<size_t>(st.st_size) + 1;
  size_t len = 0;
  for (;;) {
    if (buf.size() < cap + simdjson::SIMDJSON_PADDING) buf.resize(cap + simdjson::SIMDJSON_PADDING);
    const ssize_t n = ::read(fd, buf.data() + len, cap - len);
    if (n < 0) { if (errno == EINTR) continue; const int e = errno; ::close(fd); errno = e; return -1; }
    if (n == 0) break;
    len += static_cast<size_t>(n);
    if (len == cap) cap *= 2;  // the file grew since fstat
  }
  ::close(fd);
  std::memset(buf.data() + len, 0, simdjson::SIMDJSON_PADDING);
  return static_cast<long long>(len);
}

}  // namespace

FastNodeReader::FastNodeReader() : impl_(std::make_unique<Impl>()) {}
FastNodeReader::~FastNodeReader() = default;

NodeDigest FastNodeReader::read(const std::string& path) {
  const long long len = read_padded(path, impl_->buffer);
  if (len < 0) {
    load_node_report(path);  // names the problem as the full reader does ("cannot read ...")
    throw InputError("cannot read " + path + ": " + std::strerror(errno));
  }
  const std::string digest_sha = fast_sha256_hex(impl_->buffer.data(), static_cast<size_t>(len));
  // v2 writes "schema" first; v1 (keys in alphabetical order) writes it after the measurements, so a file
  // that does not open with the v2 schema is read as v1 and its schema checked when it comes. A v2 report whose
  // keys were reordered (rewritten by another JSON tool) is read again as v2.
  bool v2 = opens_with_v2_schema(std::string_view(impl_->buffer.data(), static_cast<size_t>(len)));
  for (int attempt = 0; attempt < 2; ++attempt) {
    NodeDigest d;
    d.file = path;
    d.sha256 = digest_sha;
    bool seen_host = false, seen_summary = false, reread_as_v2 = false;
    V2Context ctx;
    try {
      od::document doc = impl_->parser.iterate(impl_->buffer.data(), static_cast<size_t>(len), impl_->buffer.size());
      for (auto field : doc.get_object()) {
        const std::string_view k = field.unescaped_key();
        od::value v = field.value();
        if (k == "schema") {
          d.schema = str(v);
          if (!v2 && d.schema == kLayoutV2) {
            reread_as_v2 = true;
            break;
          }
          if (d.schema != (v2 ? kLayoutV2 : kLayoutV1)) throw NotAReport{};
        } else if (k == "host") {
          d.host = str(v);
          seen_host = true;
        } else if (k == "inventory") {
          read_inventory(v.get_object(), d);
        } else if (k == "baseline") {
          if (v2) read_baseline_v2(v.get_object(), d, ctx);
          else read_baseline(v.get_object(), d);
        } else if (k == "measurements") {
          if (v2) read_measurements_v2(v.get_array(), d, ctx);
          else read_measurements(v.get_array(), d);
        } else if (k == "verdicts") {
          if (v2) read_verdicts_v2(v.get_array(), d, ctx);
          else read_verdicts(v.get_array(), d);
        } else if (k == "summary") {
          read_summary(v.get_object(), d);
          seen_summary = true;
        }
      }
      if (reread_as_v2) {
        v2 = true;
        continue;
      }
      if (seen_host && seen_summary && !d.schema.empty()) return d;
    } catch (const simdjson::simdjson_error&) {
    } catch (const NotAReport&) {
    } catch (const std::invalid_argument&) {  // std::stoi on a GPU key that is not a number
    } catch (const std::out_of_range&) {
    }
    break;
  }
  // Not a valid report: the full reader names the problem, so both readers reject with the same words.
  load_node_report(path);
  throw InputError(path + ": not a node report tranche can aggregate (the fast reader rejected it; " +
                   "tranche show gives the details)");
}

}  // namespace tranche
