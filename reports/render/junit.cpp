// JUnit XML for CI systems (Jenkins, GitLab): one testcase per check per GPU, named so history lines up across
// runs (classname tranche.<host>.gpu<N>, name <check id>); the failure message is the verdict's reason.
#include <cstdio>
#include <sstream>

#include "harness/core/model_json.h"
#include "reports/render/escape.h"
#include "reports/render/fleet_view.h"
#include "reports/render/node_rows.h"
#include "reports/render/render.h"

namespace tranche::render {
namespace {

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

// One testcase as it is written, and counted into its suite.
struct Case {
  std::string classname, name;
  double time = 0;
  enum Kind { pass, failure, error, skipped } kind = pass;
  std::string type, message, body, out;
};

struct Suite {
  std::string name, hostname, timestamp;
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<Case> cases;
};

void write_suite(const Suite& s, std::ostringstream& o) {
  int failures = 0, errors = 0, skipped = 0;
  double time = 0;
  for (const auto& c : s.cases) {
    failures += c.kind == Case::failure;
    errors += c.kind == Case::error;
    skipped += c.kind == Case::skipped;
    time += c.time;
  }
  o << "  <testsuite name=\"" << xml_escape(s.name) << "\" tests=\"" << s.cases.size() << "\" failures=\""
    << failures << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\"" << seconds(time) << "\"";
  if (!s.timestamp.empty()) o << " timestamp=\"" << xml_escape(s.timestamp) << "\"";
  if (!s.hostname.empty()) o << " hostname=\"" << xml_escape(s.hostname) << "\"";
  o << ">\n";
  if (!s.properties.empty()) {
    o << "    <properties>\n";
    for (const auto& [k, v] : s.properties) {
      o << "      <property name=\"" << xml_escape(k) << "\" value=\"" << xml_escape(v) << "\"/>\n";
    }
    o << "    </properties>\n";
  }
  for (const auto& c : s.cases) {
    o << "    <testcase classname=\"" << xml_escape(c.classname) << "\" name=\"" << xml_escape(c.name)
      << "\" time=\"" << seconds(c.time) << "\">\n";
    const char* tag = c.kind == Case::failure ? "failure" : c.kind == Case::error ? "error" : nullptr;
    if (tag) {
      o << "      <" << tag << " message=\"" << xml_escape(c.message) << "\" type=\"" << xml_escape(c.type) << "\">"
        << xml_escape(c.body) << "</" << tag << ">\n";
    } else if (c.kind == Case::skipped) {
      o << "      <skipped message=\"" << xml_escape(c.message) << "\"/>\n";
    }
    if (!c.out.empty()) o << "      <system-out>" << xml_escape(c.out) << "</system-out>\n";
    o << "    </testcase>\n";
  }
  o << "  </testsuite>\n";
}

std::string write_document(const std::vector<Suite>& suites) {
  std::ostringstream body;
  size_t tests = 0;
  for (const auto& s : suites) {
    write_suite(s, body);
    tests += s.cases.size();
  }
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tranche\" tests=\"" << tests << "\">\n"
    << body.str() << "</testsuites>\n";
  return o.str();
}

Case::Kind kind_of(Outcome o) {
  switch (o) {
    case Outcome::fail: return Case::failure;
    case Outcome::error: return Case::error;
    case Outcome::skip:
    case Outcome::unjudged: return Case::skipped;  // neither proven good nor a failure: CI shows it apart
    case Outcome::pass:
    case Outcome::warn: return Case::pass;  // a warning does not fail acceptance; its reason is in system-out
  }
  return Case::pass;
}

Case::Kind kind_of_acceptance(const std::string& a) {
  return a == "rejected" ? Case::failure : a == "incomplete" ? Case::error : Case::pass;
}

std::vector<Suite> node_suites(const LoadedReport& lr) {
  const NodeReport& r = lr.node;
  const auto gpus = gpus_by_ordinal(r);
  Suite s;
  s.name = "tranche " + r.host;
  s.hostname = r.host;
  s.timestamp = to_iso8601(r.started_at).substr(0, 19);  // xs:dateTime without the zone designator
  s.properties = {{"acceptance", std::string(to_string(r.summary.acceptance))},
                  {"profile", r.profile.name},
                  {"baseline", r.baseline.id},
                  {"tool", "tranche " + r.tool.version + " " + r.tool.git_sha},
                  {"report", lr.file}};
  Case acceptance;
  acceptance.classname = "tranche." + r.host;
  acceptance.name = "acceptance";
  acceptance.kind = kind_of_acceptance(std::string(to_string(r.summary.acceptance)));
  acceptance.type = std::string(to_string(r.summary.acceptance));
  acceptance.message = r.summary.headline;
  acceptance.out = r.summary.headline;
  s.cases.push_back(acceptance);
  for (const CheckRow& row : check_rows(r)) {
    Case c;
    c.classname = "tranche." + r.host + (row.gpu ? ".gpu" + std::to_string(*row.gpu) : ".node");
    c.name = row.check_id;
    c.time = row.duration_s;
    c.kind = kind_of(row.outcome);
    c.type = std::string(to_string(row.outcome));
    c.message = row.reason;
    std::string lines;
    for (const Verdict* v : row.verdicts) {
      if (v->outcome == Outcome::pass) continue;
      lines += verdict_reason(*v) + "\n";
      if (!v->message.empty()) lines += "  " + v->message + "\n";
    }
    c.body = lines;
    c.out = gpu_name(row.gpu, gpus, true);
    if (row.gpu) {
      const auto it = gpus.find(*row.gpu);
      if (it != gpus.end() && it->second.uuid) c.out += " " + *it->second.uuid;
    }
    c.out += "\n" + lines;
    s.cases.push_back(std::move(c));
  }
  return {s};
}

std::vector<Suite> rack_suites(const LoadedReport& lr) {
  const auto& j = lr.fleet;
  Suite s;
  s.name = "tranche rack " + text_at(j, "name");
  s.properties = {{"acceptance", text_at(j, "acceptance")}, {"report", lr.file}};
  for (const auto& n : j.at("nodes")) {
    Case c;
    c.classname = "tranche.rack." + text_at(j, "name");
    c.name = text_at(n, "host");
    c.kind = kind_of_acceptance(text_at(n, "acceptance"));
    c.type = text_at(n, "acceptance");
    std::string failing;
    for (const auto& f : n.at("failing_checks")) failing += (failing.empty() ? "" : ", ") + f.get<std::string>();
    c.message = text_at(n, "acceptance") + (failing.empty() ? "" : ": " + failing);
    for (const auto& e : j.at("rma")) {
      if (text_at(e, "host") != c.name) continue;
      c.body += "RMA GPU " + text_at(e, "gpu") + " " + text_at(e, "serial") + ": " + text_at(e, "next_step") + "\n";
    }
    c.out = c.message + "\n" + c.body;
    s.cases.push_back(std::move(c));
  }
  return {s};
}

std::vector<Suite> tranche_suites(const LoadedReport& lr) {
  const auto& j = lr.fleet;
  Suite s;
  s.name = "tranche " + text_at(j, "name");
  s.properties = {{"acceptance", text_at(j, "acceptance")}, {"report", lr.file}};
  for (const auto& r : j.at("racks")) {
    Case c;
    c.classname = "tranche.tranche." + text_at(j, "name");
    c.name = text_at(r, "rack");
    c.kind = kind_of_acceptance(text_at(r, "acceptance"));
    c.type = text_at(r, "acceptance");
    c.message = text_at(r, "acceptance") + ": " + text_at(r, "accepted_nodes") + " of " + text_at(r, "nodes") +
                " nodes accepted, " + text_at(r, "rma") + " GPUs to return, " + text_at(r, "missing_hosts") +
                " hosts missing";
    c.out = c.message;
    s.cases.push_back(std::move(c));
  }
  return {s};
}

std::vector<Suite> compare_suites(const LoadedReport& lr) {
  const auto& j = lr.fleet;
  Suite s;
  s.name = "tranche compare " + text_at(j.at("before"), "file") + " -> " + text_at(j.at("after"), "file");
  s.properties = {{"kind", text_at(j, "kind")}, {"tolerance", text_at(j, "tolerance")}, {"report", lr.file}};
  for (const auto& ch : j.at("changes")) {
    Case c;
    c.classname = "tranche.compare." + subject_text(ch.at("subject"));
    c.name = text_at(ch, "metric");
    const std::string unit = text_at(ch, "unit");
    c.message = value_text(ch.at("before"), unit) + " -> " + value_text(ch.at("after"), unit);
    if (ch.at("regression").get<bool>()) {
      c.kind = Case::failure;
      c.type = "regression";
      c.body = c.message;
    }
    c.out = c.message;
    s.cases.push_back(std::move(c));
  }
  for (const auto& m : j.at("missing")) {
    Case c;
    c.classname = "tranche.compare." + subject_text(m);
    c.name = "present";
    c.kind = Case::failure;
    c.type = "missing";
    c.message = subject_text(m) + " is in the first report and not in the second";
    s.cases.push_back(std::move(c));
  }
  return {s};
}

}  // namespace

std::string render_junit(const LoadedReport& r) {
  switch (r.kind) {
    case ReportKind::node: return write_document(node_suites(r));
    case ReportKind::rack: return write_document(rack_suites(r));
    case ReportKind::tranche: return write_document(tranche_suites(r));
    case ReportKind::compare: return write_document(compare_suites(r));
  }
  return {};
}

}  // namespace tranche::render
