// run_within_budget: run_node with a watchdog thread that cancels it when the budget is spent.
#include "harness/cli/budgeted_run.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace tranche::cli {

NodeRunResult run_within_budget(NodeRunOptions options, double budget_s) {
  std::atomic<bool> cancel{false};
  std::mutex m;
  std::condition_variable finished_cv;
  bool finished = false;
  std::thread watchdog([&] {
    std::unique_lock lock(m);
    const auto budget = std::chrono::duration<double>(budget_s);
    if (!finished_cv.wait_for(lock, budget, [&] { return finished; })) cancel = true;
  });
  auto stop_watchdog = [&] {
    {
      std::lock_guard lock(m);
      finished = true;
    }
    finished_cv.notify_one();
    watchdog.join();
  };
  try {
    NodeRunResult result = run_node(options, &cancel);
    stop_watchdog();
    return result;
  } catch (...) {
    stop_watchdog();
    throw;
  }
}

}  // namespace tranche::cli
