// NVML through dlopen: the few NVML declarations tranche uses (checked against NVIDIA's nvml.h), every entry
// point optional, so tranche starts on nodes without a driver and on drivers that lack newer symbols.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "harness/core/errors.h"

namespace tranche::nvml {

// --- Declarations from nvml.h ---
// Checked against NVIDIA's nvml.h as vendored by github.com/NVIDIA/go-nvml (gen/nvml/nvml.h, NVML API 13,
// CUDA 13.3). Layouts are for x86-64/aarch64 Linux (LP64); the static_asserts pin every offset NVML writes to.
using Return = int;  // nvmlReturn_t (a C enum: int-sized)
inline constexpr Return kSuccess = 0;
inline constexpr Return kErrorNotSupported = 3;
inline constexpr Return kErrorNoPermission = 4;
inline constexpr Return kErrorInsufficientSize = 7;
inline constexpr Return kErrorFunctionNotFound = 13;

struct DeviceSt;
using Device = DeviceSt*;  // nvmlDevice_t (typedef struct nvmlDevice_st* nvmlDevice_t)

// nvmlPciInfo_t, the struct nvmlDeviceGetPciInfo_v3 and nvmlDeviceGetNvLinkRemotePciInfo_v2 fill.
struct PciInfo {
  char bus_id_legacy[16];  // NVML_DEVICE_PCI_BUS_ID_BUFFER_V2_SIZE: "0000:18:00.0"
  unsigned int domain;
  unsigned int bus;
  unsigned int device;
  unsigned int pci_device_id;  // (device << 16) | vendor: 0x233010DE is device 0x2330 of vendor 0x10DE
  unsigned int pci_subsystem_id;
  char bus_id[32];  // NVML_DEVICE_PCI_BUS_ID_BUFFER_SIZE: "00000000:18:00.0"
};

// nvmlMemory_t (v1), what nvmlDeviceGetMemoryInfo fills (nvmlMemory_v2_t, with a version field first, belongs to
// nvmlDeviceGetMemoryInfo_v2, which tranche does not call).
struct Memory {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};

// nvmlProcessInfo_t (= nvmlProcessInfo_v2_t), what nvmlDeviceGetComputeRunningProcesses_v3 fills.
struct ProcessInfo {
  unsigned int pid;
  unsigned long long used_gpu_memory;  // bytes; NVML_VALUE_NOT_AVAILABLE (all ones) when unknown
  unsigned int gpu_instance_id;        // 0xFFFFFFFF without MIG
  unsigned int compute_instance_id;    // 0xFFFFFFFF without MIG
};

// nvmlTemperature_v1_t, what nvmlDeviceGetTemperatureV reads (sensor_type) and fills (temperature).
struct TemperatureV1 {
  unsigned int version;  // kTemperatureV1Version
  int sensor_type;       // nvmlTemperatureSensors_t
  int temperature;       // degC
};
// NVML_STRUCT_VERSION(Temperature, 1): sizeof | (1 << 24).
inline constexpr unsigned kTemperatureV1Version = static_cast<unsigned>(sizeof(TemperatureV1)) | (1u << 24);

// nvmlUtilization_t, what nvmlDeviceGetUtilizationRates fills (percent over the driver's last sample period).
struct Utilization {
  unsigned int gpu;
  unsigned int memory;
};

struct EventSetSt;
using EventSet = EventSetSt*;  // nvmlEventSet_t (typedef struct nvmlEventSet_st* nvmlEventSet_t)

// nvmlEventData_t, what nvmlEventSetWait_v2 fills (the gpu/compute instance ids came with NVML 11; nvml.h).
struct EventData {
  Device device;
  unsigned long long event_type;
  unsigned long long event_data;  // the Xid for nvmlEventTypeXidCriticalError (999 when unknown)
  unsigned int gpu_instance_id;
  unsigned int compute_instance_id;
};
inline constexpr unsigned long long kEventTypeXidCriticalError = 0x8;  // nvmlEventTypeXidCriticalError
inline constexpr Return kErrorTimeout = 10;                             // NVML_ERROR_TIMEOUT

// nvmlFieldValue_t, what nvmlDeviceGetFieldValues reads (field_id, scope_id) and fills; value is nvmlValue_t
// (a union of 8 bytes) read according to value_type (nvmlValueType_t: 0 double, 1 uint, 2 ulong, 3 ull, 4 sll,
// 5 int, 6 ushort).
struct FieldValue {
  unsigned int field_id;
  unsigned int scope_id;
  long long timestamp;     // microseconds since 1970
  long long latency_usec;
  int value_type;
  Return nvml_return;
  unsigned char value[8];
};
inline constexpr unsigned kFieldMemoryTemp = 82;  // NVML_FI_DEV_MEMORY_TEMP (degC)

// The layouts above must match nvml.h byte for byte: NVML writes into them.
static_assert(offsetof(PciInfo, domain) == 16 && offsetof(PciInfo, bus) == 20 && offsetof(PciInfo, device) == 24 &&
              offsetof(PciInfo, pci_device_id) == 28 && offsetof(PciInfo, pci_subsystem_id) == 32 &&
              offsetof(PciInfo, bus_id) == 36 && sizeof(PciInfo) == 68);
static_assert(offsetof(Memory, free) == 8 && offsetof(Memory, used) == 16 && sizeof(Memory) == 24);
static_assert(offsetof(ProcessInfo, used_gpu_memory) == 8 && offsetof(ProcessInfo, gpu_instance_id) == 16 &&
              offsetof(ProcessInfo, compute_instance_id) == 20 && sizeof(ProcessInfo) == 24);
static_assert(offsetof(TemperatureV1, sensor_type) == 4 && offsetof(TemperatureV1, temperature) == 8 &&
              kTemperatureV1Version == 0x0100000Cu);
static_assert(sizeof(Utilization) == 8);
static_assert(offsetof(EventData, event_type) == 8 && offsetof(EventData, event_data) == 16 &&
              offsetof(EventData, gpu_instance_id) == 24 && sizeof(EventData) == 32);
static_assert(offsetof(FieldValue, timestamp) == 8 && offsetof(FieldValue, value_type) == 24 &&
              offsetof(FieldValue, nvml_return) == 28 && offsetof(FieldValue, value) == 32 && sizeof(FieldValue) == 40);
static_assert(sizeof(unsigned long) == 8, "nvmlDeviceGetCpuAffinity packs 64 CPUs per unsigned long here");

inline constexpr int kClockSm = 1;                // NVML_CLOCK_SM
inline constexpr int kClockMem = 2;               // NVML_CLOCK_MEM
inline constexpr int kTemperatureGpu = 0;         // NVML_TEMPERATURE_GPU
inline constexpr int kTempThresholdShutdown = 0;  // NVML_TEMPERATURE_THRESHOLD_SHUTDOWN
inline constexpr int kTempThresholdSlowdown = 1;  // NVML_TEMPERATURE_THRESHOLD_SLOWDOWN
inline constexpr int kMemoryErrorCorrected = 0;   // NVML_MEMORY_ERROR_TYPE_CORRECTED
inline constexpr int kMemoryErrorUncorrected = 1;
inline constexpr int kVolatileEcc = 0;        // NVML_VOLATILE_ECC
inline constexpr int kAggregateEcc = 1;       // NVML_AGGREGATE_ECC
inline constexpr int kRetireMultipleSbe = 0;  // NVML_PAGE_RETIREMENT_CAUSE_MULTIPLE_SINGLE_BIT_ECC_ERRORS
inline constexpr int kRetireDbe = 1;          // NVML_PAGE_RETIREMENT_CAUSE_DOUBLE_BIT_ECC_ERROR
inline constexpr int kNvLinkErrorReplay = 0;  // NVML_NVLINK_ERROR_DL_REPLAY
inline constexpr int kNvLinkErrorRecovery = 1;
inline constexpr int kNvLinkErrorCrcFlit = 2;
inline constexpr int kNvLinkErrorCrcData = 3;
// NVML_NVLINK_MAX_LINKS: 36 since NVML 13.3 (18 before). An upper bound, not a per-GPU count: drivers answer
// NVML_ERROR_INVALID_ARGUMENT for indices past the GPU's own links (18 on H100 and GB200), which the probe skips.
inline constexpr unsigned kNvLinkMaxLinks = 36;

// nvmlDeviceGetNvLinkVersion answers an nvmlNvlinkVersion_t code, not the NVLink generation: 1 = 1.0, 2 = 2.0,
// 3 = 2.2, 4 = 3.0, 5 = 3.1, 6 = 4.0 (H100), 7 = 5.0 (B200), 8 = 6.0. Returns the generation's major number
// (4 for code 6); nullopt for NVML_NVLINK_VERSION_INVALID (0) and codes newer than this table.
constexpr std::optional<int> nvlink_generation(unsigned nvml_code) {
  constexpr int kMajor[] = {0, 1, 2, 2, 3, 3, 4, 5, 6};
  if (nvml_code == 0 || nvml_code >= sizeof kMajor / sizeof kMajor[0]) return std::nullopt;
  return kMajor[nvml_code];
}

// --- The loaded library ---
struct Api {
  void* handle = nullptr;
  // Each pointer is null when this driver's libnvidia-ml lacks the symbol.
  Return (*init)() = nullptr;  // nvmlInit_v2
  Return (*shutdown)() = nullptr;
  const char* (*error_string)(Return) = nullptr;
  Return (*system_get_driver_version)(char*, unsigned) = nullptr;
  Return (*system_get_nvml_version)(char*, unsigned) = nullptr;
  Return (*system_get_cuda_driver_version)(int*) = nullptr;  // _v2
  Return (*system_get_process_name)(unsigned, char*, unsigned) = nullptr;
  Return (*device_get_count)(unsigned*) = nullptr;                            // _v2
  Return (*device_get_handle_by_index)(unsigned, Device*) = nullptr;          // _v2
  Return (*device_get_handle_by_pci_bus_id)(const char*, Device*) = nullptr;  // _v2
  Return (*device_get_name)(Device, char*, unsigned) = nullptr;
  Return (*device_get_uuid)(Device, char*, unsigned) = nullptr;
  Return (*device_get_serial)(Device, char*, unsigned) = nullptr;
  Return (*device_get_board_part_number)(Device, char*, unsigned) = nullptr;
  Return (*device_get_vbios_version)(Device, char*, unsigned) = nullptr;
  Return (*device_get_pci_info)(Device, PciInfo*) = nullptr;  // _v3
  Return (*device_get_architecture)(Device, unsigned*) = nullptr;
  Return (*device_get_memory_info)(Device, Memory*) = nullptr;
  Return (*device_get_max_pcie_link_generation)(Device, unsigned*) = nullptr;
  Return (*device_get_max_pcie_link_width)(Device, unsigned*) = nullptr;
  Return (*device_get_curr_pcie_link_generation)(Device, unsigned*) = nullptr;
  Return (*device_get_curr_pcie_link_width)(Device, unsigned*) = nullptr;
  Return (*device_get_power_management_limit)(Device, unsigned*) = nullptr;          // mW
  Return (*device_get_power_management_default_limit)(Device, unsigned*) = nullptr;  // mW
  Return (*device_get_enforced_power_limit)(Device, unsigned*) = nullptr;            // mW
  Return (*device_get_max_clock_info)(Device, int, unsigned*) = nullptr;             // MHz
  Return (*device_get_ecc_mode)(Device, int*, int*) = nullptr;
  Return (*device_get_total_ecc_errors)(Device, int, int, unsigned long long*) = nullptr;
  Return (*device_get_retired_pages)(Device, int, unsigned*, unsigned long long*) = nullptr;
  Return (*device_get_retired_pages_pending_status)(Device, int*) = nullptr;
  Return (*device_get_remapped_rows)(Device, unsigned*, unsigned*, unsigned*, unsigned*) = nullptr;
  Return (*device_get_persistence_mode)(Device, int*) = nullptr;
  Return (*device_get_compute_mode)(Device, int*) = nullptr;
  Return (*device_get_mig_mode)(Device, unsigned*, unsigned*) = nullptr;
  // nvmlDeviceGetCurrentClocksEventReasons (r535+), else nvmlDeviceGetCurrentClocksThrottleReasons.
  Return (*device_get_clocks_event_reasons)(Device, unsigned long long*) = nullptr;
  Return (*device_get_temperature_v)(Device, TemperatureV1*) = nullptr;  // nvmlDeviceGetTemperatureV (r570+)
  // nvmlDeviceGetTemperature: deprecated in NVML 13.0 in favour of ...TemperatureV, the fallback for older drivers.
  Return (*device_get_temperature)(Device, int, unsigned*) = nullptr;
  Return (*device_get_temperature_threshold)(Device, int, unsigned*) = nullptr;
  Return (*device_get_nvlink_state)(Device, unsigned, int*) = nullptr;
  Return (*device_get_nvlink_version)(Device, unsigned, unsigned*) = nullptr;  // a code: see nvlink_generation
  Return (*device_get_nvlink_remote_pci_info)(Device, unsigned, PciInfo*) = nullptr;  // _v2
  Return (*device_get_nvlink_remote_device_type)(Device, unsigned, int*) = nullptr;
  Return (*device_get_nvlink_error_counter)(Device, unsigned, int, unsigned long long*) = nullptr;
  Return (*device_get_compute_running_processes)(Device, unsigned*, ProcessInfo*) = nullptr;  // _v3
  Return (*device_get_topology_common_ancestor)(Device, Device, int*) = nullptr;
  Return (*device_get_cpu_affinity)(Device, unsigned, unsigned long*) = nullptr;  // size in unsigned longs
  // Telemetry (harness/gpu/telemetry_sampler):
  Return (*device_get_power_usage)(Device, unsigned*) = nullptr;                 // mW
  Return (*device_get_clock_info)(Device, int, unsigned*) = nullptr;             // current clock, MHz
  Return (*device_get_utilization_rates)(Device, Utilization*) = nullptr;
  Return (*device_get_pcie_replay_counter)(Device, unsigned*) = nullptr;
  Return (*device_get_field_values)(Device, int, FieldValue*) = nullptr;
  Return (*event_set_create)(EventSet*) = nullptr;
  Return (*device_register_events)(Device, unsigned long long, EventSet) = nullptr;
  Return (*event_set_wait)(EventSet, EventData*, unsigned) = nullptr;  // nvmlEventSetWait_v2; timeout in ms
  Return (*event_set_free)(EventSet) = nullptr;

  // "NVML_ERROR_NOT_SUPPORTED"-style name of r (nvmlErrorString's text when the name is not one tranche knows).
  std::string error_name(Return r) const;
};

// Loads libnvidia-ml.so.1 and calls nvmlInit_v2 once per process; the library stays loaded (NVML handles are
// process-wide and cheap). Returns the Api, or sets `error` (E_NO_NVML with what failed and the fix) and
// returns null. Thread-safe. Never throws.
const Api* load(ErrorInfo* error);

}  // namespace tranche::nvml

// TRANCHE_NVML(api, expr): calls an NVML entry point that must exist and succeed; throws GpuError E_NVML_API
// (call, code name, file:line) otherwise. For optional data use the probe's soft readers instead.
#define TRANCHE_NVML(api, expr)                                                                  \
  do {                                                                                           \
    const ::tranche::nvml::Return tranche_nvml_status_ = (expr);                                 \
    if (tranche_nvml_status_ != ::tranche::nvml::kSuccess) {                                     \
      ::tranche::nvml::throw_nvml_error((api), tranche_nvml_status_, #expr, __FILE__, __LINE__); \
    }                                                                                            \
  } while (0)

namespace tranche::nvml {
[[noreturn]] void throw_nvml_error(const Api& api, Return r, const char* expr, const char* file, int line);
}  // namespace tranche::nvml
