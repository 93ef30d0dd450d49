// The last-error rules of TRANCHE_LAUNCH and poll_until_done, driven by an injected fake error state (no GPU).
#include <gtest/gtest.h>

#include <chrono>
#include <deque>

#include "harness/gpu/cuda_error.h"
#include "harness/gpu/cuda_launch.h"
#include "harness/gpu/cuda_poll.h"
#include "harness/gpu/source_where.h"

namespace tranche {
namespace {

// A thread's last-error slot as the runtime documents it: take() returns it and resets it, except a sticky one.
cudaError_t g_last = cudaSuccess;
int g_takes = 0;
cudaError_t fake_take() {
  ++g_takes;
  const cudaError_t e = g_last;
  if (!is_sticky_cuda_error(e)) g_last = cudaSuccess;
  return e;
}
const CudaErrorState kFake{&fake_take};

class CudaLastError : public ::testing::Test {
 protected:
  void SetUp() override {
    g_last = cudaSuccess;
    g_takes = 0;
  }
};

TEST_F(CudaLastError, StaleNotReadyFromAPollIsDroppedBeforeALaunch) {
  g_last = cudaErrorNotReady;
  EXPECT_NO_THROW(clear_stale_cuda_error("launch()", "f.cpp", 1, kFake));
  EXPECT_EQ(g_last, cudaSuccess);
  // ... so the launcher's own cudaGetLastError reads success and the launch is not blamed.
  EXPECT_NO_THROW(check_launch_status(cudaSuccess, "launch()", "f.cpp", 1, kFake));
}

TEST_F(CudaLastError, StaleAllocationFailureOfAnEarlierCheckIsDropped) {
  g_last = cudaErrorMemoryAllocation;
  EXPECT_NO_THROW(clear_stale_cuda_error("launch()", "f.cpp", 1, kFake));
  EXPECT_EQ(g_last, cudaSuccess);
}

TEST_F(CudaLastError, StickyErrorBeforeALaunchThrowsSticky) {
  g_last = cudaErrorIllegalAddress;
  try {
    clear_stale_cuda_error("launch()", "f.cpp", 7, kFake);
    FAIL() << "no exception";
  } catch (const GpuError& e) {
    EXPECT_EQ(e.info().id, "E_CUDA_STICKY");
    EXPECT_TRUE(e.info().sticky);
    EXPECT_EQ(e.info().code_name, "cudaErrorIllegalAddress");
    EXPECT_EQ(e.info().expr, "launch()");
  }
}

// The slot is per thread, not per device: a thread that served GPU A (now sticky, already reported) and then
// launches on healthy GPU B must not blame B. The current device's context decides.
cudaError_t g_context = cudaSuccess;
cudaError_t fake_context() { return g_context; }
const CudaErrorState kFakeWithContext{&fake_take, &fake_context};

TEST_F(CudaLastError, StickyErrorOfAnotherDeviceIsNotTheCurrentOnes) {
  g_context = cudaSuccess;  // the current device is healthy
  g_last = cudaErrorIllegalAddress;
  EXPECT_FALSE(stale_error_is_current_devices(cudaErrorIllegalAddress, kFakeWithContext));
  EXPECT_NO_THROW(clear_stale_cuda_error("launch()", "f.cpp", 1, kFakeWithContext));
  g_context = cudaErrorNotReady;  // healthy and busy
  EXPECT_NO_THROW(clear_stale_cuda_error("launch()", "f.cpp", 1, kFakeWithContext));
  std::deque<cudaError_t> answers{cudaErrorNotReady, cudaSuccess};
  auto poll = [&] {
    const cudaError_t e = answers.front();
    answers.pop_front();
    return e;
  };
  EXPECT_NO_THROW(poll_until_done(poll, std::chrono::steady_clock::now() + std::chrono::seconds(10), "w", "q",
                                  kFakeWithContext, std::chrono::microseconds(0)));
}

TEST_F(CudaLastError, StickyErrorOfTheCurrentDeviceStillThrows) {
  g_context = cudaErrorContained;  // the current device's own context is corrupted
  g_last = cudaErrorContained;
  EXPECT_TRUE(stale_error_is_current_devices(cudaErrorContained, kFakeWithContext));
  EXPECT_THROW(clear_stale_cuda_error("launch()", "f.cpp", 1, kFakeWithContext), GpuError);
  // Non-sticky errors are never the current device's state, whatever the context says.
  EXPECT_FALSE(stale_error_is_current_devices(cudaErrorMemoryAllocation, kFakeWithContext));
  EXPECT_FALSE(stale_error_is_current_devices(cudaSuccess, kFakeWithContext));
}

TEST_F(CudaLastError, FailedLaunchThrowsItsOwnErrorAndLeavesACleanState) {
  g_last = cudaErrorInvalidConfiguration;  // what <<<>>> with a bad configuration records
  try {
    check_launch_status(cudaErrorInvalidConfiguration, "k<<<>>>", "f.cpp", 3, kFake);
    FAIL() << "no exception";
  } catch (const GpuError& e) {
    EXPECT_EQ(e.info().id, "E_CUDA_API");
    EXPECT_EQ(e.info().code_name, "cudaErrorInvalidConfiguration");
    EXPECT_EQ(e.info().where, "f.cpp:3");
  }
  EXPECT_EQ(g_last, cudaSuccess);
}

TEST_F(CudaLastError, LauncherThatForgotToReadTheStateIsStillCaught) {
  g_last = cudaErrorLaunchOutOfResources;
  EXPECT_THROW(check_launch_status(cudaSuccess, "k<<<>>>", "f.cpp", 3, kFake), GpuError);
  EXPECT_EQ(g_last, cudaSuccess);
}

TEST_F(CudaLastError, PollClearsNotReadyAfterEveryAnswer) {
  std::deque<cudaError_t> answers{cudaErrorNotReady, cudaErrorNotReady, cudaSuccess};
  auto query = [&] {
    const cudaError_t e = answers.front();
    answers.pop_front();
    if (e != cudaSuccess) g_last = e;  // the runtime records the query's answer as the last error
    return e;
  };
  poll_until_done(query, std::chrono::steady_clock::now() + std::chrono::seconds(10), "work", "query", kFake,
                  std::chrono::microseconds(0));
  EXPECT_TRUE(answers.empty());
  EXPECT_EQ(g_takes, 2);
  EXPECT_EQ(g_last, cudaSuccess);
}

TEST_F(CudaLastError, PollReportsTheQueryError) {
  auto query = [] { return cudaErrorLaunchFailure; };
  try {
    poll_until_done(query, std::chrono::steady_clock::now() + std::chrono::seconds(10), "work", "q(s)", kFake);
    FAIL() << "no exception";
  } catch (const GpuError& e) {
    EXPECT_EQ(e.info().code_name, "cudaErrorLaunchFailure");
    EXPECT_TRUE(e.info().sticky);
  }
}

TEST_F(CudaLastError, PollTimesOutWithETimeoutNamingTheWork) {
  auto query = [] {
    g_last = cudaErrorNotReady;
    return cudaErrorNotReady;
  };
  try {
    poll_until_done(query, std::chrono::steady_clock::now(), "GEMM timed loop", "q(s)", kFake,
                    std::chrono::microseconds(0));
    FAIL() << "no exception";
  } catch (const GpuError& e) {
    EXPECT_EQ(e.info().id, "E_TIMEOUT");
    EXPECT_NE(e.info().message.find("GEMM timed loop"), std::string::npos);
  }
  EXPECT_EQ(g_last, cudaSuccess);
}

TEST_F(CudaLastError, PollAsksTheProbeAfterEveryUnfinishedAnswerAndLetsItEndTheWait) {
  int answers = 0, probes = 0;
  auto query = [&] {
    ++answers;
    g_last = cudaErrorNotReady;
    return answers < 3 ? cudaErrorNotReady : cudaSuccess;
  };
  poll_until_done(query, std::chrono::steady_clock::now() + std::chrono::seconds(10), "w", "q", kFake,
                  std::chrono::microseconds(0), [&] { ++probes; });
  EXPECT_EQ(probes, 2);
  // A probe that throws (NCCL's asynchronous error) ends the wait with its own exception, before any deadline.
  auto never = [] {
    g_last = cudaErrorNotReady;
    return cudaErrorNotReady;
  };
  ErrorInfo info;
  info.id = "E_NCCL_API";
  try {
    poll_until_done(never, std::chrono::steady_clock::now() + std::chrono::seconds(10), "w", "q", kFake,
                    std::chrono::microseconds(0), [&] { throw GpuError(info); });
    FAIL() << "no exception";
  } catch (const GpuError& e) {
    EXPECT_EQ(e.info().id, "E_NCCL_API");
  }
  EXPECT_EQ(g_last, cudaSuccess);  // the not-ready answer was still cleared first
}

TEST_F(CudaLastError, StickyErrorSurfacingDuringAPollIsReported) {
  auto query = [] {
    g_last = cudaErrorContained;  // an asynchronous sticky error overwrites the slot
    return cudaErrorNotReady;
  };
  try {
    poll_until_done(query, std::chrono::steady_clock::now() + std::chrono::seconds(10), "w", "q", kFake);
    FAIL() << "no exception";
  } catch (const GpuError& e) {
    EXPECT_EQ(e.info().code_name, "cudaErrorContained");
    EXPECT_EQ(e.info().id, "E_CUDA_STICKY");
  }
}

TEST(CudaStickyErrors, ContextEndingCodesAreSticky) {
  for (cudaError_t e : {cudaErrorContained, cudaErrorNvlinkUncorrectable, cudaErrorTensorMemoryLeak,
                        cudaErrorMpsClientTerminated, cudaErrorIllegalAddress, cudaErrorECCUncorrectable}) {
    EXPECT_TRUE(is_sticky_cuda_error(e)) << cudaGetErrorName(e);
    EXPECT_EQ(cuda_error_info(e, "x", "f.cpp", 1).id, "E_CUDA_STICKY") << cudaGetErrorName(e);
  }
  for (cudaError_t e : {cudaErrorNotReady, cudaErrorMemoryAllocation, cudaErrorInvalidValue, cudaErrorPeerAccessAlreadyEnabled}) {
    EXPECT_FALSE(is_sticky_cuda_error(e)) << cudaGetErrorName(e);
  }
}

// Reports carry no build-machine paths: __FILE__ is mapped to the repository (-fmacro-prefix-map).
TEST(CudaErrorWhere, IsRelativeToTheRepository) {
  try {
    TRANCHE_CUDA(cudaErrorInvalidValue);
    FAIL() << "no exception";
  } catch (const GpuError& e) {
    EXPECT_EQ(e.info().where.rfind("tests/unit/cuda_launch_test.cpp:", 0), 0u) << e.info().where;
  }
}

}  // namespace
}  // namespace tranche

namespace tranche {
namespace {

TEST(CudaErrorWhere, BuildDirectoryPrefixesAreStripped) {
  EXPECT_EQ(source_where("../../../harness/gpu/stream.cpp", 7), "harness/gpu/stream.cpp:7");
  EXPECT_EQ(source_where("./kernels/x.cu", 1), "kernels/x.cu:1");
  EXPECT_EQ(source_where("benches/pcie/pcie_core.cpp", 12), "benches/pcie/pcie_core.cpp:12");
}

}  // namespace
}  // namespace tranche
