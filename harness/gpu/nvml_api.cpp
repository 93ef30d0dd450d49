// dlopen/dlsym of libnvidia-ml.so.1: nothing here links against NVML, so the binary never lists it as NEEDED.
#include "harness/gpu/nvml_api.h"
#include "harness/gpu/source_where.h"

#include <dlfcn.h>

#include <mutex>

#include "harness/core/fault.h"

namespace tranche::nvml {

namespace {

template <class F>
void bind(void* handle, F& fn, const char* symbol) {
  // POSIX guarantees a data pointer from dlsym converts to a function pointer on the platforms CUDA supports.
  fn = reinterpret_cast<F>(dlsym(handle, symbol));
}

template <class F>
void bind_first(void* handle, F& fn, const char* newer, const char* older) {
  bind(handle, fn, newer);
  if (!fn) bind(handle, fn, older);
}

ErrorInfo no_nvml(const std::string& message, const std::string& expr, Return code = 0,
                  const std::string& code_name = "") {
  ErrorInfo e;
  e.id = "E_NO_NVML";
  e.api = "nvml";
  e.message = message;
  e.expr = expr;
  e.code = code;
  e.code_name = code_name;
  return e;
}

struct Loaded {
  Api api;
  std::optional<ErrorInfo> error;
};

Loaded load_once() {
  Loaded out;
  Api& a = out.api;
  if (inject_nvml_fault()) {
    out.error = no_nvml("libnvidia-ml.so.1 not loaded: TRANCHE_FAULT=no_nvml", "dlopen(\"libnvidia-ml.so.1\")");
    return out;
  }
  a.handle = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!a.handle) {
    const char* why = dlerror();
    out.error = no_nvml(std::string("libnvidia-ml.so.1 could not be loaded (") + (why ? why : "unknown reason") +
                            "): no NVIDIA driver on this node, or it is not visible to this process",
                        "dlopen(\"libnvidia-ml.so.1\")");
    return out;
  }
  bind_first(a.handle, a.init, "nvmlInit_v2", "nvmlInit");
  bind(a.handle, a.shutdown, "nvmlShutdown");
  bind(a.handle, a.error_string, "nvmlErrorString");
  bind(a.handle, a.system_get_driver_version, "nvmlSystemGetDriverVersion");
  bind(a.handle, a.system_get_nvml_version, "nvmlSystemGetNVMLVersion");
  bind_first(a.handle, a.system_get_cuda_driver_version, "nvmlSystemGetCudaDriverVersion_v2",
             "nvmlSystemGetCudaDriverVersion");
  bind(a.handle, a.system_get_process_name, "nvmlSystemGetProcessName");
  bind_first(a.handle, a.device_get_count, "nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
  bind_first(a.handle, a.device_get_handle_by_index, "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
  bind_first(a.handle, a.device_get_handle_by_pci_bus_id, "nvmlDeviceGetHandleByPciBusId_v2",
             "nvmlDeviceGetHandleByPciBusId");
  bind(a.handle, a.device_get_name, "nvmlDeviceGetName");
  bind(a.handle, a.device_get_uuid, "nvmlDeviceGetUUID");
  bind(a.handle, a.device_get_serial, "nvmlDeviceGetSerial");
  bind(a.handle, a.device_get_board_part_number, "nvmlDeviceGetBoardPartNumber");
  bind(a.handle, a.device_get_vbios_version, "nvmlDeviceGetVbiosVersion");
  // Only the _v3 entry point fills the struct layout declared in nvml_api.h; older ones are left unbound.
  bind(a.handle, a.device_get_pci_info, "nvmlDeviceGetPciInfo_v3");
  bind(a.handle, a.device_get_architecture, "nvmlDeviceGetArchitecture");
  bind(a.handle, a.device_get_memory_info, "nvmlDeviceGetMemoryInfo");
  bind(a.handle, a.device_get_max_pcie_link_generation, "nvmlDeviceGetMaxPcieLinkGeneration");
  bind(a.handle, a.device_get_max_pcie_link_width, "nvmlDeviceGetMaxPcieLinkWidth");
  bind(a.handle, a.device_get_curr_pcie_link_generation, "nvmlDeviceGetCurrPcieLinkGeneration");
  bind(a.handle, a.device_get_curr_pcie_link_width, "nvmlDeviceGetCurrPcieLinkWidth");
  bind(a.handle, a.device_get_power_management_limit, "nvmlDeviceGetPowerManagementLimit");
  bind(a.handle, a.device_get_power_management_default_limit, "nvmlDeviceGetPowerManagementDefaultLimit");
  bind(a.handle, a.device_get_enforced_power_limit, "nvmlDeviceGetEnforcedPowerLimit");
  bind(a.handle, a.device_get_max_clock_info, "nvmlDeviceGetMaxClockInfo");
  bind(a.handle, a.device_get_ecc_mode, "nvmlDeviceGetEccMode");
  bind(a.handle, a.device_get_total_ecc_errors, "nvmlDeviceGetTotalEccErrors");
  bind(a.handle, a.device_get_retired_pages, "nvmlDeviceGetRetiredPages");
  bind(a.handle, a.device_get_retired_pages_pending_status, "nvmlDeviceGetRetiredPagesPendingStatus");
  bind(a.handle, a.device_get_remapped_rows, "nvmlDeviceGetRemappedRows");
  bind(a.handle, a.device_get_persistence_mode, "nvmlDeviceGetPersistenceMode");
  bind(a.handle, a.device_get_compute_mode, "nvmlDeviceGetComputeMode");
  bind(a.handle, a.device_get_mig_mode, "nvmlDeviceGetMigMode");
  bind_first(a.handle, a.device_get_clocks_event_reasons, "nvmlDeviceGetCurrentClocksEventReasons",
             "nvmlDeviceGetCurrentClocksThrottleReasons");
  bind(a.handle, a.device_get_temperature_v, "nvmlDeviceGetTemperatureV");
  bind(a.handle, a.device_get_temperature, "nvmlDeviceGetTemperature");
  bind(a.handle, a.device_get_temperature_threshold, "nvmlDeviceGetTemperatureThreshold");
  bind(a.handle, a.device_get_nvlink_state, "nvmlDeviceGetNvLinkState");
  bind(a.handle, a.device_get_nvlink_version, "nvmlDeviceGetNvLinkVersion");
  bind(a.handle, a.device_get_nvlink_remote_pci_info, "nvmlDeviceGetNvLinkRemotePciInfo_v2");
  bind(a.handle, a.device_get_nvlink_remote_device_type, "nvmlDeviceGetNvLinkRemoteDeviceType");
  bind(a.handle, a.device_get_nvlink_error_counter, "nvmlDeviceGetNvLinkErrorCounter");
  // Only _v3 fills the 4-field ProcessInfo declared above.
  bind(a.handle, a.device_get_compute_running_processes, "nvmlDeviceGetComputeRunningProcesses_v3");
  bind(a.handle, a.device_get_topology_common_ancestor, "nvmlDeviceGetTopologyCommonAncestor");
  bind(a.handle, a.device_get_cpu_affinity, "nvmlDeviceGetCpuAffinity");
  bind(a.handle, a.device_get_power_usage, "nvmlDeviceGetPowerUsage");
  bind(a.handle, a.device_get_clock_info, "nvmlDeviceGetClockInfo");
  bind(a.handle, a.device_get_utilization_rates, "nvmlDeviceGetUtilizationRates");
  bind(a.handle, a.device_get_pcie_replay_counter, "nvmlDeviceGetPcieReplayCounter");
  bind(a.handle, a.device_get_field_values, "nvmlDeviceGetFieldValues");
  bind(a.handle, a.event_set_create, "nvmlEventSetCreate");
  bind(a.handle, a.device_register_events, "nvmlDeviceRegisterEvents");
  // Only _v2 fills the EventData layout above (the unversioned symbol predates the instance ids).
  bind(a.handle, a.event_set_wait, "nvmlEventSetWait_v2");
  bind(a.handle, a.event_set_free, "nvmlEventSetFree");

  if (!a.init || !a.device_get_count || !a.device_get_handle_by_index) {
    out.error = no_nvml(
        "libnvidia-ml.so.1 lacks nvmlInit/nvmlDeviceGetCount/nvmlDeviceGetHandleByIndex: it is "
        "not a usable NVML library",
        "dlsym(\"nvmlInit_v2\")", kErrorFunctionNotFound, "NVML_ERROR_FUNCTION_NOT_FOUND");
    return out;
  }
  const Return r = a.init();
  if (r != kSuccess) {
    out.error = no_nvml("nvmlInit_v2 failed with " + a.error_name(r) +
                            " (is the NVIDIA kernel module loaded and does its version match the library?)",
                        "nvmlInit_v2()", r, a.error_name(r));
  }
  return out;
}

}  // namespace

std::string Api::error_name(Return r) const {
  switch (r) {
    case 0:
      return "NVML_SUCCESS";
    case 1:
      return "NVML_ERROR_UNINITIALIZED";
    case 2:
      return "NVML_ERROR_INVALID_ARGUMENT";
    case 3:
      return "NVML_ERROR_NOT_SUPPORTED";
    case 4:
      return "NVML_ERROR_NO_PERMISSION";
    case 6:
      return "NVML_ERROR_NOT_FOUND";
    case 7:
      return "NVML_ERROR_INSUFFICIENT_SIZE";
    case 9:
      return "NVML_ERROR_DRIVER_NOT_LOADED";
    case 10:
      return "NVML_ERROR_TIMEOUT";
    case 13:
      return "NVML_ERROR_FUNCTION_NOT_FOUND";
    case 14:
      return "NVML_ERROR_CORRUPTED_INFOROM";
    case 15:
      return "NVML_ERROR_GPU_IS_LOST";
    case 16:
      return "NVML_ERROR_RESET_REQUIRED";
    case 18:
      return "NVML_ERROR_LIB_RM_VERSION_MISMATCH";
    case 999:
      return "NVML_ERROR_UNKNOWN";
    default:
      break;
  }
  if (error_string) {
    if (const char* s = error_string(r)) return std::string("NVML error ") + std::to_string(r) + " (" + s + ")";
  }
  return "NVML error " + std::to_string(r);
}

const Api* load(ErrorInfo* error) {
  static std::once_flag once;
  static Loaded* loaded = nullptr;  // intentionally never freed: NVML stays loaded for the process
  std::call_once(once, [] { loaded = new Loaded(load_once()); });
  if (loaded->error) {
    if (error) *error = *loaded->error;
    return nullptr;
  }
  return &loaded->api;
}

void throw_nvml_error(const Api& api, Return r, const char* expr, const char* file, int line) {
  ErrorInfo e;
  e.id = "E_NVML_API";
  e.api = "nvml";
  e.code = r;
  e.code_name = api.error_name(r);
  e.expr = expr;
  e.where = source_where(file, line);
  e.message = std::string(expr) + " failed: " + e.code_name;
  throw GpuError(e);
}

}  // namespace tranche::nvml
