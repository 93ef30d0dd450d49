// The preflight rule table (see docs/methodology/preflight.md for what each rule checks and why).
#include "harness/judge/preflight_expectations.h"

#include <set>

#include "harness/core/driver_compat_hint.h"
#include "harness/core/errors.h"
#include "harness/core/inventory.h"

namespace tranche {

namespace {

constexpr const char* kSource = "tranche preflight rule";

Expectation rule(const char* metric, double reference, const char* unit, Direction direction, bool required,
                 const std::string& why, const std::string& next_step) {
  Expectation e;
  e.metric = metric;
  e.reference = reference;
  e.unit = unit;
  e.direction = direction;
  e.warn_ratio = 1.0;
  e.fail_ratio = 1.0;
  e.required = required;
  e.source = std::string(kSource) + ": " + why;
  e.next_step = next_step;
  return e;
}

Expectation must_be(const char* metric, double value, const char* unit, bool required, const std::string& why,
                    const std::string& next_step) {
  return rule(metric, value, unit, Direction::equal, required, why, next_step);
}

Expectation at_least(const char* metric, double value, const char* unit, const std::string& why,
                     const std::string& next_step) {
  return rule(metric, value, unit, Direction::higher_is_better, true, why, next_step);
}

}  // namespace

bool is_record_only_metric(const std::string& metric) {
  static const std::set<std::string> kRecord{
      "preflight.driver/device_count",    "preflight.driver/cuda_driver_version",
      "preflight.driver/cuda_runtime_version", "preflight.ecc/aggregate_uncorrected",
      "preflight.inventory/distinct_skus",     "preflight.nvlink/links_reported",
      "preflight.pcie/link_generation",        "preflight.throttle/throttle_reasons"};
  return kRecord.count(metric) > 0 || metric.ends_with("/algorithm_id");
}

std::optional<RuntimeDriverFloor> runtime_driver_floor(int cuda_runtime_version) {
  // CUDA release notes, "CUDA Toolkit and Minimum Required Driver Version for CUDA Minor Version Compatibility"
  // (Linux): every 13.x runtime needs >= 580 (13.0 GA: 580.65.06); every 12.x runtime runs on >= 525.60.13;
  // 11.x on >= 450.80.02.
  const int major = cuda_runtime_version / 1000;
  if (major >= 13) return RuntimeDriverFloor{"580.65.06", "CUDA 13.x"};
  if (major == 12) return RuntimeDriverFloor{"525.60.13", "CUDA 12.x"};
  if (major == 11) return RuntimeDriverFloor{"450.80.02", "CUDA 11.x"};
  return std::nullopt;
}

DriverFloor minimum_driver(const std::string& sku_floor, int cuda_runtime_version) {
  DriverFloor f;
  std::optional<double> sku;
  if (!sku_floor.empty()) {
    sku = driver_version_number(sku_floor);
    if (!sku) throw InputError("baseline node.min_driver '" + sku_floor + "' is not a driver version like 550.54.15");
  }
  const auto rt = runtime_driver_floor(cuda_runtime_version);
  const std::string sku_text = sku ? "the SKU's floor " + sku_floor : std::string("no SKU floor");
  const std::string rt_text =
      rt ? "the floor of the " + rt->runtime + " runtime tranche was built with, " + rt->version
         : std::string("no known CUDA runtime floor");
  if (rt && (!sku || *driver_version_number(rt->version) > *sku)) {
    f.version = rt->version;
    f.from_runtime = true;
  } else if (sku) {
    f.version = sku_floor;
  }
  if (!f.version.empty()) f.why = "minimum driver " + f.version + ": the larger of " + sku_text + " and " + rt_text;
  return f;
}

std::vector<Expectation> preflight_expectations(const NodeExpectations& node, const JudgeOptions& options) {
  std::vector<Expectation> out;
  out.push_back(must_be("preflight.inventory/sku_mismatch", 0, "bool", true, "all GPUs of a node are one SKU",
                        "replace the odd GPU with the node's SKU (check the order and the delivery note)"));
  out.push_back(must_be("preflight.ecc/ecc_enabled", 1, "bool", true, "ECC must be on",
                        "enable ECC (nvidia-smi -i <gpu> -e 1), reboot or reset the GPU, then re-run"));
  out.push_back(must_be("preflight.ecc/ecc_mode_change_pending", 0, "bool", true,
                        "the ECC mode must not change at the next reboot",
                        "set the pending ECC mode back to enabled (nvidia-smi -i <gpu> -e 1) before rebooting"));
  out.push_back(must_be("preflight.ecc/volatile_uncorrected", 0, "count", true,
                        "no uncorrectable ECC error since the driver loaded",
                        "drain the node, check dmesg for Xid 48/63/64/94/95, reset the GPU and re-run; RMA if it "
                        "repeats"));
  out.push_back(must_be("preflight.ecc/retired_pages_pending", 0, "bool", false, "no page retirement pending",
                        "reload the driver or reboot to retire the pending pages, then re-run; RMA if the retired "
                        "page count exceeds the vendor's limit"));
  out.push_back(must_be("preflight.ecc/row_remap_pending", 0, "bool", false, "no row remap pending",
                        "reset the GPU (nvidia-smi -r -i <gpu>) or reboot to apply the pending row remap, then "
                        "re-run"));
  out.push_back(must_be("preflight.ecc/row_remap_failure", 0, "bool", false, "no failed row remap",
                        "RMA the GPU: a row remap failed (no spare rows left)"));
  out.push_back(must_be("preflight.throttle/hw_slowdown", 0, "bool", false,
                        "no hardware slowdown or power brake at idle",
                        "check the power supply and the GPU baseboard power cables, and dmesg for Xid errors; "
                        "reseat or RMA if it persists at idle"));
  out.push_back(must_be("preflight.throttle/thermal_slowdown", 0, "bool", false, "no thermal slowdown at idle",
                        "check fans, airflow and inlet temperature (nvidia-smi -q -d TEMPERATURE) before testing"));
  if (options.exclusive) {
    out.push_back(must_be("preflight.processes/foreign_processes", 0, "count", false,
                          "no other compute process on the GPU (--exclusive)",
                          "stop the listed processes (tranche inventory shows pid and name) or drain the node"));
  } else {
    Expectation e = rule("preflight.processes/foreign_processes", 1, "count", Direction::lower_is_better, false,
                         "another compute process skews every figure (warn; --exclusive makes it fail)",
                         "stop the listed processes (tranche inventory shows pid and name) or drain the node");
    e.warn_ratio = 0.0;  // ratio = process count: 0 passes, anything above warns
    e.fail_ratio = 1e9;
    out.push_back(e);
  }
  {
    Expectation e = rule("preflight.persistence/persistence_mode", 1, "bool", Direction::higher_is_better, false,
                         "persistence mode keeps the driver state loaded between runs (warn only)",
                         "enable persistence (systemctl enable --now nvidia-persistenced, or nvidia-smi -pm 1)");
    e.warn_ratio = 1.0;  // on passes
    e.fail_ratio = 0.0;  // off warns, never fails
    out.push_back(e);
  }

  if (!node.gpus_per_node.empty()) {
    Expectation e = must_be("preflight.inventory/gpu_count", node.gpus_per_node.back(), "count", true,
                            node.gpus_per_node.size() == 1 ? "GPUs per node of this SKU"
                                                           : "GPUs per node: one of this SKU's board variants",
                            "find the missing GPU (lspci | grep -i nvidia, dmesg for Xid 79 'fallen off the bus'); "
                            "reseat or RMA it");
    e.also_equal.assign(node.gpus_per_node.begin(), node.gpus_per_node.end() - 1);
    out.push_back(e);
  }
  if (node.pcie_generation) {
    out.push_back(at_least("preflight.pcie/max_link_generation", *node.pcie_generation, "count",
                           "the SKU's PCIe generation (link capability of GPU and slot)",
                           "check the slot/riser and the BIOS PCIe speed setting; reseat the GPU or riser"));
  }
  if (node.pcie_width) {
    out.push_back(at_least("preflight.pcie/max_link_width", *node.pcie_width, "count", "the SKU's PCIe width",
                           "check the slot/riser wiring and the BIOS bifurcation setting"));
    out.push_back(at_least("preflight.pcie/link_width", *node.pcie_width, "count",
                           "the trained link width (does not downshift at idle)",
                           "reseat the GPU or its riser/cable (the link trained narrower than it can); RMA if it "
                           "repeats"));
  }
  if (node.nvlinks_per_gpu && *node.nvlinks_per_gpu > 0) {
    out.push_back(at_least("preflight.nvlink/links_active", *node.nvlinks_per_gpu, "count",
                           "every NVLink the SKU has must be up",
                           "check nvidia-smi nvlink -s and the fabric manager (systemctl status "
                           "nvidia-fabricmanager); reset the GPU, reseat the baseboard or RMA"));
  }
  if (node.memory_bytes_min) {
    out.push_back(at_least("preflight.inventory/memory_bytes", static_cast<double>(*node.memory_bytes_min), "B",
                           "the SKU's memory size", "the GPU reports less memory than its SKU: RMA"));
  }
  const DriverFloor floor = minimum_driver(node.min_driver, options.cuda_runtime_version);
  if (!floor.version.empty()) {
    out.push_back(at_least("preflight.inventory/driver_version", *driver_version_number(floor.version), "count",
                           floor.why + " (encoded major*1e6+minor*1e3+patch)",
                           floor.from_runtime
                               ? driver_too_old_hint(options.cuda_runtime_version) + " (" + floor.version + ")"
                               : "install the NVIDIA driver " + floor.version + " or newer"));
  }
  return out;
}

}  // namespace tranche
