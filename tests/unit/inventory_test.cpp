// The Inventory model: JSON round trip, strict reader errors, pure helpers, and the real no-NVML probe path.
#include "harness/core/inventory.h"

#include <gtest/gtest.h>

#include "benches/preflight/preflight_metrics.h"
#include "harness/core/atomic_file.h"
#include "harness/gpu/inventory_probe.h"
#include "harness/gpu/nvml_api.h"
#include "harness/gpu/system_probe.h"

namespace tranche {
namespace {

nlohmann::json fixture_json(const std::string& name) {
  return nlohmann::json::parse(read_file(std::string(TRANCHE_TEST_DATA) + "/inventory/" + name + ".json"));
}

TEST(InventoryJson, FixturesRoundTripExactly) {
  for (const char* name : {"healthy_hgx_h100", "pcie_x8", "ecc_off", "row_remap_pending", "nvlink_down",
                           "foreign_process", "mixed_sku", "seven_gpus"}) {
    nlohmann::json j = fixture_json(name);
    const Inventory inv = inventory_from_json(j, name);
    j.erase("fixture_note");
    EXPECT_EQ(to_json(inv), j) << name;
    EXPECT_EQ(to_json(inventory_from_json(to_json(inv), name)), to_json(inv)) << name;
  }
}

TEST(InventoryJson, ReadsTheFieldsItWrites) {
  const Inventory inv = inventory_from_json(fixture_json("foreign_process"), "f");
  ASSERT_EQ(inv.gpus.size(), 8u);
  const GpuInventory& g = inv.gpus[2];
  EXPECT_EQ(g.pci_device_id, 0x233010DEu);
  EXPECT_EQ(g.memory_bytes, 81559ULL << 20);
  EXPECT_EQ(g.pcie.max_generation, 5);
  EXPECT_EQ(g.nvlinks.size(), 18u);
  ASSERT_TRUE(g.processes.has_value());
  ASSERT_EQ(g.processes->size(), 1u);
  EXPECT_EQ((*g.processes)[0].pid, 48213);
  EXPECT_FALSE(g.retired_pages.pending.has_value());
  EXPECT_EQ(g.unavailable.at("retired_pages.pending"), "not supported");
  EXPECT_EQ(inv.topology.cells[0][1], "NV18");
  EXPECT_EQ(inv.node.driver_version, "580.65.06");
}

void expect_input_error(const nlohmann::json& j, const std::string& needle) {
  try {
    inventory_from_json(j, "inv.json");
    ADD_FAILURE() << "no InputError for " << needle;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(InventoryJson, StrictReaderNamesTheKey) {
  nlohmann::json j = fixture_json("healthy_hgx_h100");
  auto missing = j;
  missing["gpus"][3].erase("serial");
  expect_input_error(missing, "gpus[3]: missing key 'serial'");
  auto wrong_type = j;
  wrong_type["gpus"][0]["ecc"]["enabled"] = "yes";
  expect_input_error(wrong_type, "gpus[0].ecc: 'enabled' must be true, false or null");
  auto bad_hex = j;
  bad_hex["gpus"][1]["pci_device_id"] = "2330";
  expect_input_error(bad_hex, "pci_device_id");
  auto dup = j;
  dup["gpus"][1]["index"] = 0;
  expect_input_error(dup, "index 0 appears twice");
  auto bad_topo = j;
  bad_topo["topology"]["cells"].erase(0);
  expect_input_error(bad_topo, "8x8");
  auto schema = j;
  schema["schema"] = "tranche/inventory/v0";
  expect_input_error(schema, "schema");
  auto negative = j;
  negative["gpus"][0]["memory_bytes"] = -1;
  expect_input_error(negative, "memory_bytes");
}

TEST(InventoryHelpers, DriverVersionNumbersCompareLikeVersions) {
  EXPECT_EQ(driver_version_number("580.65.06"), 580065006.0);
  EXPECT_EQ(driver_version_number("535.104.05"), 535104005.0);
  EXPECT_EQ(driver_version_number("560.28"), 560028000.0);
  EXPECT_LT(*driver_version_number("535.104.05"), *driver_version_number("550.54.15"));
  EXPECT_FALSE(driver_version_number("latest").has_value());
  EXPECT_FALSE(driver_version_number("550.54.15-beta").has_value());
  EXPECT_FALSE(driver_version_number("").has_value());
}

TEST(InventoryHelpers, CpuListAndThrottleNames) {
  std::vector<bool> cpus(10, false);
  for (int i : {0, 1, 2, 3, 5, 8, 9}) cpus[i] = true;
  EXPECT_EQ(cpu_list_string(cpus), "0-3,5,8-9");
  EXPECT_EQ(cpu_list_string(std::vector<bool>(4, false)), "");
  EXPECT_EQ(throttle_reason_names(kThrottleGpuIdle | kThrottleHwThermal),
            (std::vector<std::string>{"gpu_idle", "hw_thermal_slowdown"}));
  EXPECT_EQ(throttle_reason_names(1ULL << 40), (std::vector<std::string>{"bit_40"}));
}

TEST(InventoryProbeHelpers, BusIdsAndTopologyNames) {
  EXPECT_EQ(sysfs_pci_name("00000000:1A:00.0"), "0000:1a:00.0");
  EXPECT_EQ(sysfs_pci_name("0000:1a:00.0"), "0000:1a:00.0");
  EXPECT_EQ(sysfs_pci_name("garbage"), "garbage");
  EXPECT_TRUE(same_bus_id("00000000:AB:00.0", "0000:ab:00.0"));
  EXPECT_FALSE(same_bus_id("00000000:AB:00.0", "0000:ba:00.0"));
  EXPECT_EQ(topology_level_name(10), "PIX");
  EXPECT_EQ(topology_level_name(30), "PHB");
  EXPECT_EQ(topology_level_name(50), "SYS");
  EXPECT_EQ(topology_level_name(7), "");
}

TEST(InventoryProbeHelpers, NvlinkCountsDirectAndThroughSwitches) {
  std::vector<GpuInventory> gpus(3);
  const char* bus[] = {"00000000:01:00.0", "00000000:02:00.0", "00000000:03:00.0"};
  for (int i = 0; i < 3; ++i) gpus[i].pci_bus_id = bus[i];
  auto link = [](std::optional<std::string> remote, const char* type, bool active) {
    NvLinkState l;
    l.active = active;
    l.remote_bus_id = std::move(remote);
    l.remote_type = type;
    return l;
  };
  // GPU 0 <-> GPU 1: two direct links (one inactive on GPU 0's side is not counted); GPU 2 has none.
  gpus[0].nvlinks = {link("0000:02:00.0", "gpu", true), link("0000:02:00.0", "gpu", true),
                     link("0000:02:00.0", "gpu", false)};
  gpus[1].nvlinks = {link("0000:01:00.0", "gpu", true), link("0000:01:00.0", "gpu", true)};
  auto m = nvlink_count_matrix(gpus);
  EXPECT_EQ(m[0][1], 2);
  EXPECT_EQ(m[1][0], 2);
  EXPECT_EQ(m[0][2], 0);
  EXPECT_EQ(m[0][0], 0);
  // HGX: every link to an NVSwitch; a GPU with a link down shows fewer with every peer.
  for (auto& g : gpus) g.nvlinks.assign(18, link(std::nullopt, "switch", true));
  gpus[2].nvlinks[0].active = false;
  m = nvlink_count_matrix(gpus);
  EXPECT_EQ(m[0][1], 18);
  EXPECT_EQ(m[0][2], 17);
}

// This machine has no NVIDIA driver: the no-NVML path is the real path here. On a node with NVML it does not
// apply and is skipped.
TEST(InventoryProbe, WithoutNvmlReportsENoNvmlAndStillFillsTheNode) {
  ErrorInfo e;
  if (nvml::load(&e) != nullptr) GTEST_SKIP() << "NVML is present on this machine";
  EXPECT_EQ(e.id, "E_NO_NVML");
  EXPECT_EQ(e.api, "nvml");
  EXPECT_NE(e.message.find("libnvidia-ml.so.1"), std::string::npos);
  const SystemInfo sys = probe_system();
  const Inventory& inv = sys.inventory;
  ASSERT_TRUE(inv.node.nvml_error.has_value());
  EXPECT_EQ(inv.node.nvml_error->id, "E_NO_NVML");
  EXPECT_EQ(inv.node.hostname, sys.hostname);
  EXPECT_TRUE(inv.node.kernel.has_value());
  EXPECT_FALSE(inv.node.driver_version.has_value());
  EXPECT_EQ(inv.gpus.size(), sys.gpus.size());  // the CUDA-side inventory is still reported
  for (const auto& g : inv.gpus) EXPECT_TRUE(g.unavailable.count("nvml"));
  for (const auto& m : preflight_measurements(inv)) {
    EXPECT_EQ(m.status, MeasurementStatus::error) << m.check_id;
    EXPECT_EQ(m.error->id, "E_NO_NVML");
  }
  // The probed inventory survives its own JSON.
  EXPECT_EQ(to_json(inventory_from_json(to_json(inv), "probe")), to_json(inv));
}

}  // namespace
}  // namespace tranche
