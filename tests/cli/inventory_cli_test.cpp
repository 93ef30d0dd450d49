// tranche inventory on this GPU-less machine and on recorded fixtures: exit codes, messages, JSON schema.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "reports/node_report.h"
#include "tests/cli/run_cli.h"

namespace tranche::test {
namespace {

const std::string kSchema = std::string(TRANCHE_SOURCE_DIR) + "/reports/schema/inventory.schema.json";
const std::string kFixtures = std::string(TRANCHE_TEST_DATA) + "/inventory/";

// Validates `json_text` against the inventory schema with python3's jsonschema (Draft 2020-12).
CliResult validate(const std::string& json_text) {
  const std::string dir = make_temp_dir();
  const std::string file = dir + "/inventory.json";
  std::ofstream(file) << json_text;
  const std::string script =
      "import json,sys,jsonschema; s=json.load(open(sys.argv[1])); "
      "jsonschema.Draft202012Validator.check_schema(s); "
      "jsonschema.Draft202012Validator(s).validate(json.load(open(sys.argv[2]))); print('valid')";
  return run_shell(std::string(TRANCHE_PYTHON) + " -c \"" + script + "\" '" + kSchema + "' '" + file + "'");
}

bool has_device() {
  // The inventory says so itself: no device error in the JSON means CUDA found GPUs.
  const auto r = run_cli({"inventory", "--json"});
  const auto j = nlohmann::json::parse(r.out, nullptr, false);
  return !j.is_discarded() && j["node"]["device_error"].is_null() && j["node"]["nvml_error"].is_null();
}

TEST(InventoryCli, WithoutDeviceExitsIncompleteWithTheFix) {
  if (has_device()) GTEST_SKIP() << "this machine has a GPU and NVML";
  const auto r = run_cli({"inventory"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(r.err.find("E_NO_DEVICE") != std::string::npos || r.err.find("E_NO_NVML") != std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Next: "), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("node "), std::string::npos) << "the node part is still printed: " << r.out;
  EXPECT_NE(r.out.find("kernel"), std::string::npos) << r.out;
}

TEST(InventoryCli, JsonIsValidAgainstTheSchema) {
  const auto r = run_cli({"inventory", "--json"});
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2) << r.exit_code << r.err;
  const auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << "not JSON: " << r.out;
  EXPECT_EQ(j["schema"], "tranche/inventory/v1");
  const auto v = validate(r.out);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("valid"), std::string::npos);
}

TEST(InventoryCli, RecordedInventoryRendersAndValidates) {
  for (const char* name : {"healthy_hgx_h100", "seven_gpus", "mixed_sku"}) {
    const auto r = run_cli({"inventory", "--from", kFixtures + name + ".json", "--json"});
    EXPECT_EQ(r.exit_code, 0) << name << r.err;
    const auto v = validate(r.out);
    EXPECT_EQ(v.exit_code, 0) << name << v.out << v.err;
  }
  const auto table = run_cli({"inventory", "--from", kFixtures + "healthy_hgx_h100.json"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("1654223041180"), std::string::npos) << table.out;  // GPU 0's serial
  EXPECT_NE(table.out.find("00000000:DB:00.0"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Gen5 x16"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("NV18"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("18/18"), std::string::npos) << table.out;
}

TEST(InventoryCli, SchemaRejectsABrokenInventory) {
  auto j = nlohmann::json::parse(run_cli({"inventory", "--from", kFixtures + "healthy_hgx_h100.json", "--json"}).out);
  j["gpus"][0]["pcie"]["max_width"] = "sixteen";
  EXPECT_NE(validate(j.dump()).exit_code, 0);
}

TEST(InventoryCli, BadInputFileIsAUsageError) {
  const std::string dir = make_temp_dir();
  std::ofstream(dir + "/bad.json") << R"({"schema": "tranche/inventory/v1", "node": {}})";
  const auto r = run_cli({"inventory", "--from", dir + "/bad.json"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("missing key 'hostname'"), std::string::npos) << r.err;
  std::ofstream(dir + "/garbage.json") << "{not json";
  EXPECT_EQ(run_cli({"inventory", "--from", dir + "/garbage.json"}).exit_code, 64);
  EXPECT_EQ(run_cli({"inventory", "--from", dir + "/absent.json"}).exit_code, 64);
}

TEST(InventoryCli, ListShowsThePreflightChecks) {
  const auto r = run_cli({"list"});
  ASSERT_EQ(r.exit_code, 0);
  for (const char* id : {"preflight.inventory", "preflight.pcie", "preflight.ecc", "preflight.nvlink",
                         "preflight.processes", "preflight.persistence", "preflight.throttle"}) {
    EXPECT_NE(r.out.find(id), std::string::npos) << id;
  }
}

}  // namespace
}  // namespace tranche::test

namespace tranche::test {
namespace {

// With the fake libnvidia-ml.so.1 of tests/fake_nvml on the library path, the real dlopen loader and NVML probe
// run: fields come from "NVML", a missing symbol and a NOT_SUPPORTED answer are recorded, never fatal. Real GPUs
// are hidden from the CUDA runtime, so on a GPU machine too the inventory holds the fake NVML's two GPUs.
CliResult run_with_fake_nvml(const std::vector<std::string>& args) {
  return run_cli(args, "", std::string("LD_LIBRARY_PATH=") + TRANCHE_FAKE_NVML_DIR + " CUDA_VISIBLE_DEVICES=");
}

TEST(InventoryCliFakeNvml, ProbesEveryFieldThroughDlopen) {
  const auto r = run_with_fake_nvml({"inventory", "--json"});
  const auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out << r.err;
  EXPECT_FALSE(j["node"]["device_error"].is_null());  // CUDA sees no device: none here, hidden on a GPU machine
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(j["node"]["nvml_error"].is_null()) << j["node"]["nvml_error"].dump();
  EXPECT_EQ(j["node"]["driver_version"], "580.65.06");
  EXPECT_EQ(j["node"]["nvml_version"], "13.580.65.06");
  // From NVML's 13000 when the CUDA runtime finds no driver; from the real driver where there is one.
  EXPECT_GT(j["node"]["cuda_driver_version"].get<int>(), 0);
  if (!std::filesystem::exists("/dev/nvidiactl")) {
    EXPECT_EQ(j["node"]["cuda_driver_version"], 13000);
  }
  ASSERT_EQ(j["gpus"].size(), 2u);
  const auto& g0 = j["gpus"][0];
  const auto& g1 = j["gpus"][1];
  EXPECT_EQ(g0["serial"], "1650000000000");
  EXPECT_EQ(g0["pci_bus_id"], "00000000:18:00.0");
  EXPECT_EQ(g0["pci_device_id"], "0x233010DE");
  EXPECT_EQ(g0["memory_bytes"], 81559ULL << 20);
  EXPECT_EQ(g0["architecture"], "hopper");
  EXPECT_EQ(g0["power"]["limit_w"], 700.0);
  EXPECT_EQ(g0["clocks"]["max_sm_hz"], 1980e6);
  EXPECT_EQ(g1["pcie"]["current_width"], 8);
  EXPECT_EQ(g0["throttle"]["reasons"], nlohmann::json::array({"gpu_idle"}));  // the ...ThrottleReasons fallback
  EXPECT_EQ(g0["cpu_affinity"], "0-3");
  // A symbol this "driver" lacks, and a query it does not support: null with the reason, no crash.
  EXPECT_TRUE(g0["board_part_number"].is_null());
  EXPECT_EQ(g0["unavailable"]["board_part_number"], "not supported by this driver (NVML symbol missing)");
  EXPECT_TRUE(g0["retired_pages"]["pending"].is_null());
  EXPECT_EQ(g0["unavailable"]["retired_pages.pending"], "not supported");
  EXPECT_EQ(g0["row_remap"]["pending"], false);
  ASSERT_EQ(g1["nvlinks"].size(), 18u);
  EXPECT_EQ(g1["nvlinks"][3]["active"], false);
  EXPECT_EQ(g1["nvlinks"][3]["remote_type"], "switch");
  EXPECT_EQ(g1["nvlinks"][0]["version"], 4);  // NVML's code 6 is NVLink 4.0, not "6"
  EXPECT_EQ(g0["temperature"]["gpu_c"], 35.0);  // nvmlDeviceGetTemperatureV
  EXPECT_EQ(g1["temperature"]["gpu_c"], 31.0);  // its version rejected: the deprecated getter answers
  ASSERT_EQ(g0["processes"].size(), 1u);
  EXPECT_EQ(g0["processes"][0]["pid"], 777);
  EXPECT_EQ(g0["processes"][0]["name"], "python3");
  EXPECT_EQ(j["topology"]["cells"][0][1], "NV17");  // 18 switch links on GPU 0, 17 on GPU 1
  const auto v = validate(r.out);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST(InventoryCliFakeNvml, PreflightChecksMeasureFromNvml) {
  const std::string dir = make_temp_dir();
  const auto r = run_with_fake_nvml({"run", "--checks", "preflight.", "--out", dir});
  const auto reports = files_with_suffix(dir, ".json");
  ASSERT_EQ(reports.size(), 1u) << r.out << r.err;
  // Through the project's reader: the v2 file names a figure by its quantity and omits what its measurement implies.
  const NodeReport report = load_node_report(reports[0]);
  int ok = 0;
  bool width_seen = false;
  for (const auto& m : report.measurements) {
    if (m.check_id.rfind("preflight.", 0) != 0 || m.check_id == "preflight.driver") continue;
    EXPECT_EQ(m.status, MeasurementStatus::ok) << m.check_id << m.reason;
    ++ok;
    if (m.check_id != "preflight.pcie") continue;
    for (const auto& x : m.metrics) {
      if (x.name == "preflight.pcie/link_width" && x.device == 1) {
        width_seen = true;
        EXPECT_EQ(x.value, 8.0);
        EXPECT_EQ(x.labels.at("serial"), "1650000000001");
      }
    }
  }
  EXPECT_TRUE(width_seen) << "no preflight.pcie/link_width figure for GPU 1";
  EXPECT_EQ(ok, 7);
}

}  // namespace
}  // namespace tranche::test
