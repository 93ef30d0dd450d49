// FastNodeReader: the strict simdjson walk for v2 reports; everything else, and anything the walk cannot vouch
// for, goes to the full reader, so both readers accept and reject the same files with the same messages.
#include "reports/fast_node_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <openssl/evp.h>
#include <vector>

#include "harness/core/errors.h"
#include "harness/core/json_guard.h"
#include "reports/fast_report_v2.h"

namespace tranche {

struct FastNodeReader::Impl {
  fast_v2::Walker walker;
  std::vector<char> buffer;
};

namespace {

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
  return expect("{") && expect("\"schema\"") && expect(":") && expect("\"") && expect(kNodeReportSchema) && expect("\"");
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
    if (buf.size() < cap + fast_v2::kPadding) buf.resize(cap + fast_v2::kPadding);
    const ssize_t n = ::read(fd, buf.data() + len, cap - len);
    if (n < 0) { if (errno == EINTR) continue; const int e = errno; ::close(fd); errno = e; return -1; }
    if (n == 0) break;
    len += static_cast<size_t>(n);
    if (len == cap) cap *= 2;  // the file grew since fstat
  }
  ::close(fd);
  std::memset(buf.data() + len, 0, fast_v2::kPadding);
  return static_cast<long long>(len);
}

}  // namespace

FastNodeReader::FastNodeReader() : impl_(std::make_unique<Impl>()) {}
FastNodeReader::~FastNodeReader() = default;

NodeDigest FastNodeReader::read(const std::string& path) {
  auto input = read_rack_input(path);
  if (auto* d = std::get_if<NodeDigest>(&input)) return std::move(*d);
  load_node_report(path);  // names the schema as the full reader does
  throw InputError(path + ": a multi-node NCCL result file, not a node report");
}

std::variant<NodeDigest, MultinodeInput> FastNodeReader::read_rack_input(const std::string& path) {
  const long long len = read_padded(path, impl_->buffer);
  if (len < 0) {
    load_node_report(path);  // names the problem as the full reader does ("cannot read ...")
    throw InputError("cannot read " + path + ": " + std::strerror(errno));
  }
  const size_t n = static_cast<size_t>(len);
  const char* data = impl_->buffer.data();
  NodeDigest d;
  d.file = path;
  d.sha256 = fast_sha256_hex(data, n);
  // What tranche writes today: the strict walk, which accepts nothing the full reader rejects.
  if (opens_with_v2_schema(std::string_view(data, n)) &&
      impl_->walker.read(data, n, impl_->buffer.size(), d)) {
    return d;
  }
  // Everything else (a v1 report, a multi-node file, a v2 report rewritten by another tool, a bad file) is
  // parsed in full, so it is accepted or rejected exactly as the full reader does, with its message.
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(data, data + n, duplicate_key_guard(path));
  } catch (const nlohmann::json::exception&) {
    load_node_report(path);  // throws the full reader's message for this file
    throw InputError(path + ": not valid JSON");  // the file changed while it was read
  }
  if (j.is_object() && (j.value("schema", nlohmann::json()) == kMultinodeSchema ||
                        j.value("schema", nlohmann::json()) == kMultinodeSchemaV1)) {
    return MultinodeInput{path, d.sha256, multinode_report_from_json(j, path)};
  }
  NodeDigest full = node_digest_from_report(node_report_from_json(j, path));
  full.file = path;
  full.sha256 = d.sha256;
  return full;
}

}  // namespace tranche
