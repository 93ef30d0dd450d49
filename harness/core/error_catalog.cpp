// The catalog's entries: ids are stable across releases (reports and dashboards key on them).
#include "harness/core/error_catalog.h"

#include <array>
#include <cassert>

#include "harness/core/errors.h"

namespace tranche {

GpuError::GpuError(ErrorInfo info) : std::runtime_error(info.message), info_(std::move(info)) {}

namespace {
constexpr std::array kCatalog{
    ErrorEntry{"E_NO_DEVICE", "no usable CUDA device was found on this node",
               "check that the NVIDIA driver is installed and loaded (nvidia-smi), that the GPUs are visible to this "
               "process (CUDA_VISIBLE_DEVICES, container --gpus), then re-run"},
    ErrorEntry{"E_NO_NVML", "the NVML library (libnvidia-ml.so.1) could not be loaded",
               "install the NVIDIA driver package that provides libnvidia-ml.so.1 (or expose it to the container); "
               "CUDA-side inventory is still reported"},
    ErrorEntry{"E_NVML_API", "an NVML call failed", "re-run; if it repeats, check dmesg for Xid errors and drain and "
               "reset the GPU"},
    ErrorEntry{"E_CUDA_API", "a CUDA runtime call failed",
               "re-run the check on this GPU; if it repeats, check dmesg for Xid errors, drain and reset the GPU, and "
               "RMA if it reproduces after a reset"},
    ErrorEntry{"E_CUDA_STICKY", "a CUDA error left the GPU context unusable (illegal address, launch failure, ECC)",
               "drain the node, reset the GPU (nvidia-smi -r) and re-run; RMA if it reproduces"},
    ErrorEntry{"E_NO_CUBLAS", "the cuBLASLt library (libcublasLt.so.13) could not be loaded: GEMM checks cannot run",
               "install the CUDA toolkit's cuBLAS package matching tranche's CUDA major version (or set "
               "TRANCHE_CUBLASLT_LIBRARY to its path), then re-run the GEMM checks"},
    ErrorEntry{"E_CUBLAS_API", "a cuBLAS/cuBLASLt call failed",
               "check the CUDA toolkit libraries match the driver (tranche --version), then re-run"},
    ErrorEntry{"E_NCCL_API", "an NCCL call failed", "check NCCL_DEBUG=WARN output and the GPU topology, then re-run"},
    ErrorEntry{"E_NCCL_TIMEOUT", "an NCCL operation did not finish before its deadline",
               "check NVLink/fabric health (tranche inventory), then re-run; drain the node if it repeats"},
    ErrorEntry{"E_TIMEOUT", "a check ran past its deadline",
               "raise the check's timeout only if the GPU is known good; otherwise drain and inspect the GPU"},
    ErrorEntry{"E_OUT_OF_MEMORY", "the check could not allocate the memory it needs",
               "stop other processes on the GPU (tranche inventory lists them) or lower the check's size parameter"},
    ErrorEntry{"E_DATA_MISMATCH", "a GPU produced wrong results",
               "re-run on this GPU; if mismatches repeat, drain the node and RMA the GPU (silent data corruption)"},
    ErrorEntry{"E_NOT_SUPPORTED", "the GPU, driver or library does not support what the check needs",
               "use a newer driver or toolkit, or deselect the check for this SKU"},
    ErrorEntry{"E_BAD_INPUT", "an input file or option is invalid", "fix the file or option named in the message"},
    ErrorEntry{"E_UNKNOWN_SKU", "no baseline matches the detected GPU",
               "pass --baseline FILE (tranche baseline list shows the shipped ones) or add a baseline for this SKU"},
    ErrorEntry{"E_MIXED_SKU", "the GPUs of this node are not all the same SKU", "check the node against its delivery note; a node must carry one SKU"},
    ErrorEntry{"E_METRIC_MISSING", "a check did not report a figure its baseline requires", "re-run the check; if it repeats, report a bug with the node report"},
    ErrorEntry{"E_INTERRUPTED", "the run was interrupted before the check finished",
               "re-run the check; the partial report keeps everything measured before the interruption"},
    ErrorEntry{"E_SKIPPED_AFTER_STICKY", "not run: an earlier check left this GPU's context unusable",
               "resolve the earlier E_CUDA_STICKY error on this GPU, then re-run"},
    ErrorEntry{"E_INTERNAL", "an internal error in tranche", "report a bug with the node report and the event log"},
    ErrorEntry{"E_NO_EXPECTATION", "a required check measured a figure that no baseline expectation judges",
               "derive a baseline from healthy nodes of this SKU (tranche baseline derive) and pass it with "
               "--baseline, or mark the check \"required\": false in the profile"},
};
}  // namespace

std::span<const ErrorEntry> error_catalog() { return kCatalog; }

const ErrorEntry& error_entry(std::string_view id) {
  for (const auto& e : kCatalog) {
    if (e.id == id) return e;
  }
  assert(false && "unknown error id");
  return kCatalog.back();
}

bool is_known_error(std::string_view id) {
  for (const auto& e : kCatalog) {
    if (e.id == id) return true;
  }
  return false;
}

}  // namespace tranche
