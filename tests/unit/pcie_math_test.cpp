// PCIe expected bandwidth per generation and width, transfer byte counts, and sysfs link-state parsing.
#include "benches/pcie/pcie_math.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/gpu/pcie_link_probe.h"

namespace tranche {
namespace {

using pcie::Direction;

TEST(PcieMath, BytesPerSample) {
  EXPECT_EQ(pcie::transfer_bytes(Direction::h2d, 256ull << 20), 256ull << 20);
  EXPECT_EQ(pcie::transfer_bytes(Direction::d2h, 1000), 1000u);
  EXPECT_EQ(pcie::transfer_bytes(Direction::bidir, 1000), 2000u);
}

TEST(PcieMath, SizeRoundsDownToPatternWords) {
  EXPECT_EQ(pcie::round_transfer_size(256ull << 20), 256ull << 20);
  EXPECT_EQ(pcie::round_transfer_size(1001), 1000u);
  EXPECT_EQ(pcie::round_transfer_size(13), 8u);
  EXPECT_EQ(pcie::round_transfer_size(3), 8u);
}

TEST(PcieMath, Gen5x16IsAboutFiftySixGBps) {
  const double e = *pcie::expected_bandwidth_Bps(5, 16);
  // 64 GB/s raw x 128/130 x 256/280 x 0.97.
  EXPECT_NEAR(e, 64e9 * 128.0 / 130.0 * 256.0 / 280.0 * 0.97, 1e3);
  EXPECT_GT(e, 55.0e9);  // nvbandwidth measures 55.4 GB/s on healthy H200 Gen5 x16 links
  EXPECT_LT(e, 57.0e9);
}

TEST(PcieMath, ScalesWithGenerationAndWidth) {
  const double g5x16 = *pcie::expected_bandwidth_Bps(5, 16), g5x8 = *pcie::expected_bandwidth_Bps(5, 8);
  const double g4x16 = *pcie::expected_bandwidth_Bps(4, 16), g4x8 = *pcie::expected_bandwidth_Bps(4, 8);
  const double g3x16 = *pcie::expected_bandwidth_Bps(3, 16), g3x8 = *pcie::expected_bandwidth_Bps(3, 8);
  EXPECT_NEAR(g5x8, g5x16 / 2, 1.0);
  EXPECT_NEAR(g4x16, g5x16 / 2, 1.0);
  EXPECT_NEAR(g4x8, g4x16 / 2, 1.0);
  EXPECT_NEAR(g3x16, g4x16 / 2, 1.0);
  EXPECT_NEAR(g3x8, g3x16 / 2, 1.0);
  EXPECT_NEAR(g4x16, 27.9e9, 0.1e9);
  // Gen2 loses 20% to 8b/10b: 5 GT/s x16 = 8 GB/s before TLP overhead.
  EXPECT_NEAR(*pcie::expected_bandwidth_Bps(2, 16), 8e9 * 256.0 / 280.0 * 0.97, 1e3);
  EXPECT_GT(*pcie::expected_bandwidth_Bps(6, 16), 1.8 * g5x16);
  // Larger payloads amortise the 24-byte TLP overhead.
  EXPECT_GT(*pcie::expected_bandwidth_Bps(5, 16, 512), g5x16);
}

TEST(PcieMath, UnknownLinkHasNoExpectation) {
  EXPECT_FALSE(pcie::expected_bandwidth_Bps(0, 16).has_value());
  EXPECT_FALSE(pcie::expected_bandwidth_Bps(9, 16).has_value());
  EXPECT_FALSE(pcie::expected_bandwidth_Bps(5, 0).has_value());
}

TEST(PcieLinkParse, SysfsSpeedStrings) {
  EXPECT_EQ(pcie_generation_from_speed("32.0 GT/s PCIe"), 5);
  EXPECT_EQ(pcie_generation_from_speed("16.0 GT/s PCIe\n"), 4);
  EXPECT_EQ(pcie_generation_from_speed("8.0 GT/s PCIe"), 3);
  EXPECT_EQ(pcie_generation_from_speed("8 GT/s"), 3);
  EXPECT_EQ(pcie_generation_from_speed("5.0 GT/s PCIe"), 2);
  EXPECT_EQ(pcie_generation_from_speed("2.5 GT/s PCIe"), 1);
  EXPECT_EQ(pcie_generation_from_speed("64.0 GT/s PCIe"), 6);
  EXPECT_FALSE(pcie_generation_from_speed("Unknown").has_value());
  EXPECT_FALSE(pcie_generation_from_speed("").has_value());
  EXPECT_FALSE(pcie_generation_from_speed("32.0").has_value());
  EXPECT_FALSE(pcie_generation_from_speed("12.0 GT/s").has_value());
}

TEST(PcieLinkParse, WidthAndBusId) {
  EXPECT_EQ(pcie_width_from_sysfs("16\n"), 16);
  EXPECT_EQ(pcie_width_from_sysfs("8"), 8);
  EXPECT_FALSE(pcie_width_from_sysfs("0").has_value());
  EXPECT_FALSE(pcie_width_from_sysfs("x16").has_value());
  EXPECT_EQ(sysfs_pci_address("00000000:18:00.0"), "0000:18:00.0");
  EXPECT_EQ(sysfs_pci_address("00000000:AB:00.0"), "0000:ab:00.0");
  EXPECT_EQ(sysfs_pci_address("0000:18:00.0"), "0000:18:00.0");
  EXPECT_EQ(sysfs_pci_address("00010000:18:00.0"), "10000:18:00.0");
  EXPECT_FALSE(sysfs_pci_address("bogus").has_value());
  EXPECT_FALSE(sysfs_pci_address("0000:1G:00.0").has_value());
}

TEST(PcieLinkParse, ReadsAFakeSysfsTree) {
  const auto root = std::filesystem::temp_directory_path() / ("tranche_sysfs_" + std::to_string(::getpid()));
  const auto dev = root / "0000:18:00.0";
  std::filesystem::create_directories(dev);
  auto put = [&](const char* name, const char* text) { std::ofstream(dev / name) << text; };
  put("current_link_speed", "16.0 GT/s PCIe\n");
  put("current_link_width", "8\n");
  put("max_link_speed", "32.0 GT/s PCIe\n");
  put("max_link_width", "16\n");
  put("numa_node", "1\n");
  const PcieLinkState st = read_pcie_link(0, "00000000:18:00.0", root.string());
  EXPECT_EQ(st.generation, 4);
  EXPECT_EQ(st.width, 8);
  EXPECT_EQ(st.max_generation, 5);
  EXPECT_EQ(st.max_width, 16);
  EXPECT_TRUE(st.note.empty());
  EXPECT_EQ(st.source, "sysfs");
  EXPECT_EQ(read_pci_numa_node("00000000:18:00.0", root.string()), 1);
  put("numa_node", "-1\n");
  EXPECT_FALSE(read_pci_numa_node("00000000:18:00.0", root.string()).has_value());
  const PcieLinkState missing = read_pcie_link(0, "00000000:19:00.0", root.string());
  EXPECT_FALSE(missing.generation.has_value());
  EXPECT_FALSE(missing.note.empty());
  std::filesystem::remove_all(root);
}

TEST(PcieLinkParse, SamplerKeepsTheHighestReadingUnderLoad) {
  const auto root = std::filesystem::temp_directory_path() / ("tranche_sampler_" + std::to_string(::getpid()));
  const auto dev = root / "0000:3b:00.0";
  std::filesystem::create_directories(dev);
  auto put = [&](const char* name, const char* text) { std::ofstream(dev / name) << text; };
  put("current_link_width", "16\n");
  put("current_link_speed", "2.5 GT/s PCIe\n");  // idle: the link saves power
  PcieLinkSampler sampler(0, "00000000:3B:00.0", 1, root.string());
  put("current_link_speed", "32.0 GT/s PCIe\n");  // under load
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  put("current_link_speed", "2.5 GT/s PCIe\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const PcieLinkState st = sampler.stop();
  EXPECT_EQ(st.generation, 5);
  EXPECT_EQ(st.width, 16);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace tranche
