// nvidia-smi's GPU numbers against CUDA's: --gpus takes nvidia-smi indices (mapped through NVML indices or PCI bus
// ids), and reports and progress name GPUs the same way.
#include <gtest/gtest.h>

#include "harness/core/errors.h"
#include "harness/core/gpu_selection.h"
#include "reports/gpu_summary.h"
#include "reports/node_report.h"
#include "reports/progress_line.h"
#include "reports/run_status.h"

namespace tranche {
namespace {

// A node whose CUDA order (fastest first) is not its bus order: CUDA 0 sits at bus 0xB8, CUDA 3 at bus 0x18.
const char* const kBus[] = {"0000:B8:00.0", "00000000:5D:00.0", "0000:9a:00.0", "0000:18:00.0"};

std::vector<SelectableGpu> gpus(bool with_nvml) {
  std::vector<SelectableGpu> out;
  const int nvml_of[] = {3, 1, 2, 0};  // NVML numbers in bus order, as nvidia-smi does
  for (int i = 0; i < 4; ++i) {
    SelectableGpu g;
    g.gpu = i;
    g.serial = "16500000000" + std::to_string(i);
    g.pci_bus_id = kBus[i];
    if (with_nvml) g.nvml_index = nvml_of[i];
    out.push_back(g);
  }
  return out;
}

TEST(GpuNumbering, CanonicalBusIdsCompareAcrossNvmlAndCudaSpellings) {
  EXPECT_EQ(canonical_pci_bus_id("00000000:5D:00.0"), "0000:5d:00.0");
  EXPECT_EQ(canonical_pci_bus_id("0000:5d:00.0"), "0000:5d:00.0");
  EXPECT_EQ(canonical_pci_bus_id("not-a-bus-id"), "not-a-bus-id");
}

TEST(GpuNumbering, NvmlIndexWhenKnownElseBusOrder) {
  const std::map<int, int> expected = {{0, 3}, {1, 1}, {2, 2}, {3, 0}};
  EXPECT_EQ(nvidia_smi_indices(gpus(true)), expected);
  EXPECT_EQ(nvidia_smi_indices(gpus(false)), expected);  // no NVML: rank by bus id gives the same numbers
  auto partial = gpus(true);
  partial[2].nvml_index.reset();  // one GPU NVML did not number: bus order for all, never two with one number
  EXPECT_EQ(nvidia_smi_indices(partial), expected);
  auto bare = gpus(false);
  for (auto& g : bare) g.pci_bus_id.reset();
  EXPECT_EQ(nvidia_smi_indices(bare), (std::map<int, int>{{0, 0}, {1, 1}, {2, 2}, {3, 3}}));
}

TEST(GpuNumbering, GpusSelectsByNvidiaSmiIndexAndReturnsCudaOrdinals) {
  for (bool nvml : {true, false}) {
    const auto g = gpus(nvml);
    EXPECT_EQ(select_gpus("0", g), (std::vector<int>{3})) << "nvidia-smi 0 is CUDA 3";
    EXPECT_EQ(select_gpus("0-1", g), (std::vector<int>{1, 3}));
    EXPECT_EQ(select_gpus("3", g), (std::vector<int>{0}));
    EXPECT_EQ(select_gpus("0000:5d:00.0", g), (std::vector<int>{1}));  // a bus id in either spelling
    EXPECT_EQ(select_gpus("00000000:B8:00.0", g), (std::vector<int>{0}));
    EXPECT_EQ(select_gpus("all", g).size(), 4u);
  }
}

TEST(GpuNumbering, UnderCudaVisibleDevicesTheNumbersAreNvidiaSmis) {
  // CUDA_VISIBLE_DEVICES=2,3: the process sees two GPUs as CUDA 0 and 1; nvidia-smi calls them 2 and 3.
  std::vector<SelectableGpu> g(2);
  g[0].gpu = 0;
  g[0].nvml_index = 2;
  g[1].gpu = 1;
  g[1].nvml_index = 3;
  EXPECT_EQ(select_gpus("3", g), (std::vector<int>{1}));
  try {
    select_gpus("0", g);
    FAIL() << "nvidia-smi 0 is not visible to this run";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("this node has GPUs 2-3 as nvidia-smi numbers them"), std::string::npos)
        << e.what();
  }
}

NodeReport swapped_report() {
  NodeReport r;
  r.baseline.id = "x";
  r.inventory = {{"gpus",
                  {{{"index", 0}, {"nvml_index", nullptr}, {"serial", "A"}, {"pci_bus_id", "0000:B8:00.0"}},
                   {{"index", 1}, {"nvml_index", nullptr}, {"serial", "B"}, {"pci_bus_id", "0000:18:00.0"}}}}};
  r.options = {{"gpus", {0, 1}}};
  Verdict v;
  v.check_id = "pcie.h2d";
  v.device = 0;
  v.outcome = Outcome::fail;
  v.message = "slow";
  r.verdicts = {v};
  r.summary = summarize(r.verdicts);
  return r;
}

TEST(GpuNumbering, GpuLinesUseNvidiaSmiNumbersWithTheCudaOrdinalBeside) {
  const auto s = summarize_gpus(swapped_report());
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].gpu, 0);
  EXPECT_EQ(s[0].index, 1);  // no NVML in the report: bus order
  EXPECT_EQ(gpu_summary_line(s[0]).rfind("GPU 1 (CUDA 0) SNA 0000:B8:00.0 rejected", 0), 0u) << gpu_summary_line(s[0]);
}

TEST(GpuNumbering, ProgressAndStatusLinesNameNvidiaSmisNumbers) {
  const nlohmann::json end = {{"event", "check_end"}, {"check", "gemm.bf16"}, {"gpu", 3}, {"status", "ok"},
                              {"duration_s", 1.0}};
  EXPECT_NE(progress_line(end, 1, 4, {{3, 0}})->find("GPU 0 "), std::string::npos);
  EXPECT_NE(progress_line(end, 1, 4)->find("GPU 3 "), std::string::npos);
}

TEST(RunStatus, ShowsTheRunningCheckItsGpusElapsedAndTimeLeft) {
  RunStatus s;
  EXPECT_EQ(s.line(0), "");
  s.on_event({{"event", "run_start"},
              {"measurements", 5},
              {"estimated_s", 130.0},
              {"estimates", {{"preflight.driver", 10.0}, {"gemm.bf16", 120.0}}},
              {"gpu_index", {{"0", 3}, {"1", 1}, {"2", 2}, {"3", 0}}}},
             100.0);
  s.on_event({{"event", "check_start"}, {"check", "preflight.driver"}, {"gpu", nullptr}}, 100.0);
  EXPECT_EQ(s.line(104), "[  0/5] preflight.driver | 4s elapsed | about 2m6s left");
  s.on_event({{"event", "check_end"}, {"check", "preflight.driver"}, {"gpu", nullptr}}, 105.0);
  for (int g = 0; g < 4; ++g) s.on_event({{"event", "check_start"}, {"check", "gemm.bf16"}, {"gpu", g}}, 105.0);
  EXPECT_EQ(s.line(165), "[  1/5] gemm.bf16 on GPUs 0-3 | 1m5s elapsed | about 1m left");
  s.on_event({{"event", "check_end"}, {"check", "gemm.bf16"}, {"gpu", 3}}, 170.0);  // nvidia-smi 0 is done
  EXPECT_EQ(s.line(170), "[  2/5] gemm.bf16 on GPUs 1-3 | 1m10s elapsed | about 55s left");
  EXPECT_EQ(s.line(300), "[  2/5] gemm.bf16 on GPUs 1-3 | 3m20s elapsed | estimate exceeded");
  EXPECT_EQ(s.line(300, 45), "[  2/5] ~ | 3m20s elapsed | estimate exceeded");
}

TEST(RunStatus, GpuRangesCompress) {
  EXPECT_EQ(gpu_ranges({0, 1, 2, 3, 6}), "0-3,6");
  EXPECT_EQ(gpu_ranges({5}), "5");
  EXPECT_EQ(gpu_ranges({}), "");
}

}  // namespace
}  // namespace tranche
