// A fake libnvidia-ml.so.1 for tests on machines without a driver: two H100-like GPUs with fixed values, one
// symbol deliberately absent (nvmlDeviceGetBoardPartNumber) and one query answering NOT_SUPPORTED (page
// retirement, as on Hopper), so the dlopen loader and the inventory probe run end to end. Not NVIDIA code: only
// the entry points tranche binds, with the signatures declared in harness/gpu/nvml_api.h.
#include <cstdio>
#include <cstring>

namespace {

constexpr int kOk = 0;
constexpr int kInvalid = 2;
constexpr int kNotSupported = 3;
constexpr int kInsufficientSize = 7;
constexpr int kArgumentVersionMismatch = 25;

struct PciInfo {
  char bus_id_legacy[16];
  unsigned domain, bus, device, pci_device_id, pci_subsystem_id;
  char bus_id[32];
};
struct Memory {
  unsigned long long total, free, used;
};
struct ProcessInfo {
  unsigned pid;
  unsigned long long used_gpu_memory;
  unsigned gpu_instance_id, compute_instance_id;
};
struct TemperatureV1 {
  unsigned version;
  int sensor_type, temperature;
};
struct FakeGpu {
  int index;
  unsigned bus;
};
FakeGpu g_gpus[2] = {{0, 0x18}, {1, 0x2A}};

int copy(const char* s, char* out, unsigned n) {
  if (std::strlen(s) + 1 > n) return kInsufficientSize;
  std::strcpy(out, s);
  return kOk;
}
int idx(void* d) { return static_cast<FakeGpu*>(d)->index; }

}  // namespace

extern "C" {
int nvmlInit_v2() { return kOk; }
int nvmlShutdown() { return kOk; }
const char* nvmlErrorString(int) { return "fake error"; }
int nvmlSystemGetDriverVersion(char* s, unsigned n) { return copy("580.65.06", s, n); }
int nvmlSystemGetNVMLVersion(char* s, unsigned n) { return copy("13.580.65.06", s, n); }
int nvmlSystemGetCudaDriverVersion_v2(int* v) {
  *v = 13000;
  return kOk;
}
int nvmlSystemGetProcessName(unsigned, char* s, unsigned n) { return copy("python3", s, n); }
int nvmlDeviceGetCount_v2(unsigned* n) {
  *n = 2;
  return kOk;
}
int nvmlDeviceGetHandleByIndex_v2(unsigned i, void** d) {
  if (i >= 2) return kInvalid;
  *d = &g_gpus[i];
  return kOk;
}
int nvmlDeviceGetName(void*, char* s, unsigned n) { return copy("NVIDIA H100 80GB HBM3", s, n); }
int nvmlDeviceGetUUID(void* d, char* s, unsigned n) {
  return copy(idx(d) == 0 ? "GPU-00000000-0000-0000-0000-000000000000" : "GPU-11111111-1111-1111-1111-111111111111", s,
              n);
}
int nvmlDeviceGetSerial(void* d, char* s, unsigned n) {
  return copy(idx(d) == 0 ? "1650000000000" : "1650000000001", s, n);
}
int nvmlDeviceGetVbiosVersion(void*, char* s, unsigned n) { return copy("96.00.99.00.01", s, n); }
int nvmlDeviceGetPciInfo_v3(void* d, PciInfo* p) {
  std::memset(p, 0, sizeof *p);
  p->bus = static_cast<FakeGpu*>(d)->bus;
  p->pci_device_id = 0x233010DE;
  p->pci_subsystem_id = 0x16C110DE;
  std::snprintf(p->bus_id, sizeof p->bus_id, "%08X:%02X:%02X.0", 0u, p->bus, 0u);
  std::snprintf(p->bus_id_legacy, sizeof p->bus_id_legacy, "%04X:%02X:%02X.0", 0u, p->bus, 0u);
  return kOk;
}
int nvmlDeviceGetArchitecture(void*, unsigned* a) {
  *a = 9;
  return kOk;
}
int nvmlDeviceGetMemoryInfo(void*, Memory* m) {
  m->total = 81559ULL << 20;
  m->used = 512ULL << 20;
  m->free = m->total - m->used;
  return kOk;
}
int nvmlDeviceGetMaxPcieLinkGeneration(void*, unsigned* v) {
  *v = 5;
  return kOk;
}
int nvmlDeviceGetMaxPcieLinkWidth(void*, unsigned* v) {
  *v = 16;
  return kOk;
}
int nvmlDeviceGetCurrPcieLinkGeneration(void*, unsigned* v) {
  *v = 1;
  return kOk;
}
int nvmlDeviceGetCurrPcieLinkWidth(void* d, unsigned* v) {
  *v = idx(d) == 1 ? 8 : 16;
  return kOk;
}
int nvmlDeviceGetPowerManagementLimit(void*, unsigned* v) {
  *v = 700000;
  return kOk;
}
int nvmlDeviceGetPowerManagementDefaultLimit(void*, unsigned* v) {
  *v = 700000;
  return kOk;
}
int nvmlDeviceGetEnforcedPowerLimit(void*, unsigned* v) {
  *v = 700000;
  return kOk;
}
int nvmlDeviceGetMaxClockInfo(void*, int type, unsigned* v) {
  *v = type == 1 ? 1980 : 2619;
  return kOk;
}
int nvmlDeviceGetEccMode(void*, int* cur, int* pend) {
  *cur = *pend = 1;
  return kOk;
}
int nvmlDeviceGetTotalEccErrors(void*, int, int, unsigned long long* n) {
  *n = 0;
  return kOk;
}
int nvmlDeviceGetRetiredPages(void*, int, unsigned*, unsigned long long*) { return kNotSupported; }
int nvmlDeviceGetRetiredPagesPendingStatus(void*, int*) { return kNotSupported; }
int nvmlDeviceGetRemappedRows(void*, unsigned* c, unsigned* u, unsigned* p, unsigned* f) {
  *c = *u = *p = *f = 0;
  return kOk;
}
int nvmlDeviceGetPersistenceMode(void*, int* v) {
  *v = 1;
  return kOk;
}
int nvmlDeviceGetComputeMode(void*, int* v) {
  *v = 0;
  return kOk;
}
int nvmlDeviceGetMigMode(void*, unsigned* c, unsigned* p) {
  *c = *p = 0;
  return kOk;
}
// Only the older name, so the loader's fallback from ...ClocksEventReasons is exercised.
int nvmlDeviceGetCurrentClocksThrottleReasons(void*, unsigned long long* v) {
  *v = 0x1;
  return kOk;
}
// GPU 0 answers through the struct API (only with nvmlTemperature_v1's version word), GPU 1 rejects the version as
// an older driver would, so the probe's fallback to the deprecated nvmlDeviceGetTemperature runs too.
int nvmlDeviceGetTemperatureV(void* d, TemperatureV1* t) {
  if (idx(d) != 0 || t->version != (sizeof(TemperatureV1) | (1u << 24))) return kArgumentVersionMismatch;
  t->temperature = 35;
  return kOk;
}
int nvmlDeviceGetTemperature(void* d, int, unsigned* v) {
  *v = 30 + idx(d);
  return kOk;
}
int nvmlDeviceGetTemperatureThreshold(void*, int t, unsigned* v) {
  *v = t == 0 ? 92 : 87;
  return kOk;
}
// 18 links, as on H100; past them the driver answers INVALID_ARGUMENT (NVML_NVLINK_MAX_LINKS is 36).
int nvmlDeviceGetNvLinkState(void* d, unsigned link, int* active) {
  if (link >= 18) return kInvalid;
  *active = (idx(d) == 1 && link == 3) ? 0 : 1;
  return kOk;
}
// NVML answers an nvmlNvlinkVersion_t code: 6 is NVML_NVLINK_VERSION_4_0 (H100's NVLink 4).
int nvmlDeviceGetNvLinkVersion(void*, unsigned, unsigned* v) {
  *v = 6;
  return kOk;
}
int nvmlDeviceGetNvLinkRemotePciInfo_v2(void*, unsigned, PciInfo*) { return kNotSupported; }
int nvmlDeviceGetNvLinkRemoteDeviceType(void*, unsigned, int* t) {
  *t = 2;
  return kOk;
}
int nvmlDeviceGetNvLinkErrorCounter(void*, unsigned, int, unsigned long long* v) {
  *v = 0;
  return kOk;
}
int nvmlDeviceGetComputeRunningProcesses_v3(void* d, unsigned* count, ProcessInfo* infos) {
  const unsigned n = idx(d) == 0 ? 1 : 0;
  if (*count < n) {
    *count = n;
    return kInsufficientSize;
  }
  *count = n;
  if (n == 1) infos[0] = ProcessInfo{777, 512ULL << 20, 0xFFFFFFFFu, 0xFFFFFFFFu};
  return kOk;
}
int nvmlDeviceGetTopologyCommonAncestor(void*, void*, int* level) {
  *level = 50;
  return kOk;
}
int nvmlDeviceGetCpuAffinity(void*, unsigned n, unsigned long* set) {
  for (unsigned i = 0; i < n; ++i) set[i] = 0;
  set[0] = 0xF;
  return kOk;
}
}  // extern "C"
