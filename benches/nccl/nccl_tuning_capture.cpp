// Turning NCCL's TUNING log on for this process and reading what it appended.
#include "benches/nccl/nccl_tuning_capture.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "benches/nccl/nccl_core.h"

namespace tranche::nccl {
namespace {

std::string g_remove_at_exit;

extern "C" void remove_tuning_log() { std::remove(g_remove_at_exit.c_str()); }

std::string host_name() {
  char buf[256] = {};
  return ::gethostname(buf, sizeof buf - 1) == 0 ? buf : "unknown";
}

}  // namespace

TuningCapture& TuningCapture::process() {
  static TuningCapture capture;
  return capture;
}

TuningCapture::TuningCapture() : operator_env_(nccl_environment()) {
  const char* tmp = std::getenv("TMPDIR");
  plan_ = decide_tuning_capture(operator_env_, tmp && *tmp ? tmp : "/tmp", host_name(), static_cast<long>(::getpid()));
  for (const auto& [k, v] : plan_.set_env) ::setenv(k.c_str(), v.c_str(), 1);
  if (!plan_.set_env.empty()) {
    g_remove_at_exit = plan_.file;
    std::atexit(remove_tuning_log);
  }
}

TuningCapture::Piece TuningCapture::take_new() {
  Piece piece;
  if (!plan_.capture) return piece;
  std::ifstream in(plan_.file, std::ios::binary);
  if (!in) return piece;
  in.seekg(static_cast<std::streamoff>(offset_));
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::size_t complete = text.rfind('\n');
  if (complete == std::string::npos) return piece;
  text.resize(complete + 1);
  offset_ += text.size();
  piece.choices = parse_tuning_log(text);
  piece.warnings = warning_lines(text);
  return piece;
}

}  // namespace tranche::nccl
