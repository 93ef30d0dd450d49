// NCCL RAS client: a bounded TCP exchange with the RAS thread NCCL runs in every process that initialised it.
#include "harness/gpu/nccl_ras.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace tranche {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxAnswer = 64 * 1024;

int millis_left(Clock::time_point end) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

class Connection {
 public:
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  // Empty on success, else why not.
  std::string open(const std::string& address, Clock::time_point end) {
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) return "NCCL_RAS_ADDR '" + address + "' is not host:port";
    const std::string host = address.substr(0, colon), port = address.substr(colon + 1);
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
      return "cannot resolve " + address + ": " + ::gai_strerror(rc);
    }
    std::string why = "no address for " + address;
    for (addrinfo* a = found; a; a = a->ai_next) {
      fd_ = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
      if (fd_ < 0) continue;
      if (::connect(fd_, a->ai_addr, a->ai_addrlen) == 0 || (errno == EINPROGRESS && wait_connected(end, &why))) {
        ::freeaddrinfo(found);
        return "";
      }
      if (errno != EINPROGRESS) why = std::string("connect to ") + address + ": " + std::strerror(errno);
      ::close(fd_);
      fd_ = -1;
    }
    ::freeaddrinfo(found);
    return why;
  }
  bool send_line(const std::string& line, Clock::time_point end) {
    for (std::size_t done = 0; done < line.size();) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, millis_left(end)) <= 0) return false;
      const ssize_t n = ::send(fd_, line.data() + done, line.size() - done, MSG_NOSIGNAL);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  // Reads up to and including the next newline (until_eof false) or until the peer closes (true).
  bool receive(std::string& out, bool until_eof, Clock::time_point end) {
    char buf[4096];
    for (;;) {
      if (!until_eof && out.find('\n') != std::string::npos) return true;
      if (out.size() >= kMaxAnswer) return true;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, millis_left(end)) <= 0) return false;
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n < 0) return false;
      if (n == 0) return until_eof;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }

 private:
  bool wait_connected(Clock::time_point end, std::string* why) {
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, millis_left(end)) <= 0) {
      *why = "connect: no answer in time";
      return false;
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) *why = std::string("connect: ") + std::strerror(err);
    return err == 0;
  }
  int fd_ = -1;
};

}  // namespace

std::string ras_address() {
  if (const char* env = std::getenv("NCCL_RAS_ADDR"); env && *env) return env;
  return "localhost:28028";
}

RasStatus query_ras_status(const std::string& address, std::chrono::milliseconds budget) {
  RasStatus st;
  st.address = address;
  const Clock::time_point end = Clock::now() + budget;
  Connection c;
  if (std::string why = c.open(address, end); !why.empty()) {
    st.text = why + " (is NCCL_RAS_ENABLE=0, or NCCL older than 2.24?)";
    return st;
  }
  std::string line;
  if (!c.send_line("CLIENT PROTOCOL 2\n", end) || !c.receive(line, false, end) ||
      line.rfind("SERVER PROTOCOL ", 0) != 0) {
    st.text = "RAS handshake failed at " + address + (line.empty() ? "" : ": " + line.substr(0, line.find('\n')));
    return st;
  }
  // RAS's own wait for each peer: well inside our budget, so its answer arrives before we give up.
  const long leg_s = std::max<long>(1, static_cast<long>(budget.count() / 3000));
  line.clear();
  if (!c.send_line("TIMEOUT " + std::to_string(leg_s) + "\n", end) || !c.receive(line, false, end) ||
      line.rfind("OK", 0) != 0) {
    st.text = "RAS refused TIMEOUT at " + address + (line.empty() ? "" : ": " + line.substr(0, line.find('\n')));
    return st;
  }
  std::string answer;
  if (!c.send_line("STATUS\n", end)) {
    st.text = "RAS STATUS could not be sent to " + address;
    return st;
  }
  const bool complete = c.receive(answer, true, end);
  if (answer.empty()) {
    st.text = "RAS did not answer STATUS within " + std::to_string(budget.count()) + " ms";
    return st;
  }
  st.reached = true;
  st.text = complete ? answer : answer + "\n(cut: no end of answer within the time allowed)";
  return st;
}

std::string ras_status_summary(const std::string& text, std::size_t max_chars) {
  std::size_t from = std::string::npos;
  for (const char* header : {"\nErrors", "\nWarnings"}) {
    const std::size_t at = text.find(header);
    if (at != std::string::npos) from = std::min(from, at + 1);
  }
  if (text.rfind("Errors", 0) == 0 || text.rfind("Warnings", 0) == 0) from = 0;
  const std::string part = from == std::string::npos ? text : text.substr(from);
  std::string out;
  bool space = false;
  for (const char ch : part) {
    if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
    if (out.size() >= max_chars) return out + "...";
  }
  return out;
}

}  // namespace tranche
