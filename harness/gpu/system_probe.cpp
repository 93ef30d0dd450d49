// probe_system through the CUDA runtime (static cudart: no libcuda needed until a device is used).
#include "harness/gpu/system_probe.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "harness/core/driver_compat_hint.h"
#include "harness/gpu/cuda_error.h"
#include "harness/gpu/inventory_probe.h"

namespace tranche {

namespace {
std::string uuid_string(const cudaUUID_t& u) {
  const auto* b = reinterpret_cast<const unsigned char*>(u.bytes);
  char buf[64];
  std::snprintf(buf, sizeof buf, "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return buf;
}

std::string hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}
}  // namespace

// The CUDA runtime's view: versions and devices, or why there are none.
static SystemInfo probe_cuda() {
  SystemInfo s;
  s.hostname = hostname();
  cudaRuntimeGetVersion(&s.cuda_runtime_version);
  if (cudaDriverGetVersion(&s.cuda_driver_version) != cudaSuccess) s.cuda_driver_version = 0;
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess || count == 0) {
    ErrorInfo e = err != cudaSuccess ? cuda_error_info(err, "cudaGetDeviceCount(&count)", __FILE__, __LINE__)
                                     : ErrorInfo{};
    e.id = "E_NO_DEVICE";
    e.gpu.reset();
    if (err == cudaSuccess) {
      e.api = "cuda";
      e.expr = "cudaGetDeviceCount(&count)";
      e.message = "the CUDA driver reports 0 devices";
    } else {
      e.message = "no CUDA device: cudaGetDeviceCount returned " + e.code_name + " (" + cudaGetErrorString(err) +
                  ")" + (s.cuda_driver_version == 0 ? "; no NVIDIA driver is loaded" : "");
      // A driver that loads but is too old for this runtime (CUDA 13 on a pre-R580 driver) answers this code.
      if (err == cudaErrorInsufficientDriver && s.cuda_driver_version != 0) {
        e.message += "; " + driver_too_old_hint(s.cuda_runtime_version);
      }
    }
    cudaGetLastError();  // clear, so later calls do not see it
    s.device_error = e;
    return s;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp p{};
    TRANCHE_CUDA(cudaGetDeviceProperties(&p, i));
    GpuInfo g;
    g.index = i;
    g.name = p.name;
    g.uuid = uuid_string(p.uuid);
    char bus[32];
    std::snprintf(bus, sizeof bus, "%08X:%02X:%02X.0", p.pciDomainID, p.pciBusID, p.pciDeviceID);
    g.pci_bus_id = bus;
    g.cc_major = p.major;
    g.cc_minor = p.minor;
    g.sm_count = p.multiProcessorCount;
    g.memory_bytes = p.totalGlobalMem;
    g.l2_bytes = static_cast<std::uint64_t>(p.l2CacheSize);
    int numa = -1;
    if (cudaDeviceGetAttribute(&numa, cudaDevAttrNumaId, i) == cudaSuccess) g.numa_node = numa;
    s.gpus.push_back(g);
  }
  return s;
}

SystemInfo probe_system() {
  SystemInfo s = probe_cuda();
  probe_inventory(s);
  return s;
}

}  // namespace tranche
