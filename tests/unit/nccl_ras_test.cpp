// The NCCL RAS client against a loopback server that speaks RAS's client protocol as NCCL 2.28.9's
// src/ras/client_support.cc does; an absent or silent server ends within the budget; the summary keeps the
// sections that name missing ranks.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "harness/gpu/nccl_ras.h"

namespace tranche {
namespace {

// A one-connection server on 127.0.0.1 (ephemeral port). `answer_status` false: handshake, then silence.
class FakeRas {
 public:
  explicit FakeRas(std::string status_text, bool answer_status = true)
      : text_(std::move(status_text)), answer_(answer_status) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    EXPECT_EQ(::listen(fd_, 1), 0);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeRas() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string received() const { return received_; }

 private:
  std::string read_line(int c) {
    std::string line;
    char ch = 0;
    while (::recv(c, &ch, 1, 0) == 1) {
      received_ += ch;
      if (ch == '\n') break;
      line += ch;
    }
    return line;
  }
  void send_text(int c, const std::string& s) { ::send(c, s.data(), s.size(), MSG_NOSIGNAL); }
  void serve() {
    const int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    for (;;) {
      const std::string cmd = read_line(c);
      if (cmd.rfind("CLIENT PROTOCOL ", 0) == 0) {
        send_text(c, "SERVER PROTOCOL 2\n");
      } else if (cmd.rfind("TIMEOUT ", 0) == 0) {
        send_text(c, "OK\n");
      } else if (cmd == "STATUS") {
        if (answer_) send_text(c, text_);
        if (!answer_) {
          while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        break;
      } else {
        break;
      }
    }
    ::close(c);  // the end of the answer, as NCCL closes after STATUS
  }

  std::string text_;
  bool answer_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::string received_;
};

// Laid out with the section headers of client_support.cc ("Job summary", "Errors", "INCOMPLETE", "Warnings");
// the figures in it are illustrative.
const char* kStatus =
    "NCCL version 2.28.9 compiled with CUDA 12.9\nCUDA runtime version 12090, driver version 12090\n\n"
    "Job summary\n===========\n\n  Nodes  Processes\n      2          2\n\n"
    "Errors\n======\n\nINCOMPLETE\n  Missing communicator data from 1 job process\n  Process 1 on node 10.0.0.2 "
    "managing GPU 0\n\nWarnings\n========\n\n  (none)\n";

TEST(NcclRas, StatusIsFetchedWithTheProtocolHandshake) {
  FakeRas server(kStatus);
  const RasStatus st = query_ras_status(server.address(), std::chrono::milliseconds(3000));
  EXPECT_TRUE(st.reached) << st.text;
  EXPECT_EQ(st.text, kStatus);
  EXPECT_EQ(st.address, server.address());
  // Handshake, RAS's own per-peer timeout (1 s for a 3 s budget), then STATUS.
  EXPECT_EQ(server.received(), "CLIENT PROTOCOL 2\nTIMEOUT 1\nSTATUS\n");
}

TEST(NcclRas, NoServerIsReportedNotThrown) {
  int port = 0;
  {
    FakeRas probe("");  // learn a free port, then close it
    port = std::stoi(probe.address().substr(probe.address().rfind(':') + 1));
    query_ras_status(probe.address(), std::chrono::milliseconds(500));
  }
  const RasStatus st = query_ras_status("127.0.0.1:" + std::to_string(port), std::chrono::milliseconds(500));
  EXPECT_FALSE(st.reached);
  EXPECT_NE(st.text.find("NCCL_RAS_ENABLE"), std::string::npos) << st.text;
  EXPECT_FALSE(query_ras_status("no-colon", std::chrono::milliseconds(100)).reached);
}

TEST(NcclRas, ASilentServerEndsWithinTheBudget) {
  FakeRas server(kStatus, /*answer_status=*/false);
  const auto t0 = std::chrono::steady_clock::now();
  const RasStatus st = query_ras_status(server.address(), std::chrono::milliseconds(400));
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_FALSE(st.reached);
  EXPECT_LT(took, std::chrono::milliseconds(1500));
  EXPECT_NE(st.text.find("did not answer STATUS"), std::string::npos) << st.text;
}

TEST(NcclRas, SummaryKeepsTheErrorsAndWarningsOnOneLine) {
  EXPECT_EQ(ras_status_summary(kStatus),
            "Errors ====== INCOMPLETE Missing communicator data from 1 job process Process 1 on node 10.0.0.2 "
            "managing GPU 0 Warnings ======== (none)");
  EXPECT_EQ(ras_status_summary("Job summary\n  2 nodes\n"), "Job summary 2 nodes");
  EXPECT_EQ(ras_status_summary("Errors\nabcdefgh", 8), "Errors a...");
  EXPECT_EQ(ras_address(), std::getenv("NCCL_RAS_ADDR") ? std::getenv("NCCL_RAS_ADDR") : "localhost:28028");
}

}  // namespace
}  // namespace tranche
