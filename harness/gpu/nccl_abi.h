// The slice of NCCL's C ABI (libnccl.so.2) tranche calls, declared from NCCL's API reference so tranche builds
// without nccl.h; tests/unit/nccl_api_test.cpp checks it against nccl.h wherever that header exists.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>

namespace tranche::nccl_abi {

// docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/types.html
struct Comm;
using comm_t = Comm*;
constexpr std::size_t kUniqueIdBytes = 128;
struct UniqueId {
  char internal[kUniqueIdBytes];
};
enum Result : int {
  kSuccess = 0,
  kUnhandledCudaError = 1,
  kSystemError = 2,
  kInternalError = 3,
  kInvalidArgument = 4,
  kInvalidUsage = 5,
  kRemoteError = 6,
  kInProgress = 7,
};
enum DataType : int { kFloat32 = 7, kBfloat16 = 9 };
enum RedOp : int { kSum = 0 };

using GetVersion = Result (*)(int* version);
using GetUniqueId = Result (*)(UniqueId* id);
using CommInitRank = Result (*)(comm_t* comm, int nranks, UniqueId id, int rank);
using CommDestroy = Result (*)(comm_t comm);
using CommAbort = Result (*)(comm_t comm);
using CommGetAsyncError = Result (*)(comm_t comm, Result* async_error);
using GetErrorString = const char* (*)(Result result);
using GetLastError = const char* (*)(comm_t comm);
using AllReduce = Result (*)(const void* send, void* recv, std::size_t count, DataType type, RedOp op, comm_t comm,
                             cudaStream_t stream);
using AllGather = Result (*)(const void* send, void* recv, std::size_t send_count, DataType type, comm_t comm,
                             cudaStream_t stream);
using ReduceScatter = Result (*)(const void* send, void* recv, std::size_t recv_count, DataType type, RedOp op,
                                 comm_t comm, cudaStream_t stream);
using Broadcast = Result (*)(const void* send, void* recv, std::size_t count, DataType type, int root, comm_t comm,
                             cudaStream_t stream);
using Reduce = Result (*)(const void* send, void* recv, std::size_t count, DataType type, RedOp op, int root,
                          comm_t comm, cudaStream_t stream);
using Send = Result (*)(const void* send, std::size_t count, DataType type, int peer, comm_t comm,
                        cudaStream_t stream);
using Recv = Result (*)(void* recv, std::size_t count, DataType type, int peer, comm_t comm, cudaStream_t stream);
using GroupStart = Result (*)();
using GroupEnd = Result (*)();

}  // namespace tranche::nccl_abi
