// The nccl.<op> check body: buffers, verified runs, timed loops and the result table over NcclComms.
#include "benches/nccl/nccl_core.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "benches/nccl/nccl_tuning_capture.h"
#include "harness/core/duration_estimate.h"
#include "harness/gpu/cuda_error.h"
#include "harness/gpu/cuda_launch.h"
#include "harness/gpu/nccl_comms.h"
#include "kernels/collective_data.cuh"

extern char** environ;

namespace tranche::nccl {
namespace {

constexpr std::uint64_t kGiB = 1ull << 30;
// Device memory left to NCCL's own buffers and the CUDA context: the sweep's buffers use at most
// (free - reserve) * kUsableFraction.
constexpr std::uint64_t kNcclReserveBytes = 2 * kGiB;
constexpr double kUsableFraction = 0.9;

struct DataType {
  std::string name;
  bool bf16;
  int bytes;
  nccl_abi::DataType nccl;
};

std::vector<DataType> parse_dtypes(const std::string& spec) {
  std::vector<DataType> out;
  std::stringstream ss(spec);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item == "float") {
      out.push_back({"float", false, 4, nccl_abi::kFloat32});
    } else if (item == "bf16") {
      out.push_back({"bf16", true, 2, nccl_abi::kBfloat16});
    } else {
      throw InputError("parameter dtypes: unknown type '" + item + "' (use float, bf16 or float,bf16)");
    }
  }
  if (out.empty()) throw InputError("parameter dtypes is empty (use float, bf16 or float,bf16)");
  return out;
}

// Send and receive buffers of one GPU; freed unless the communicators were aborted (a hung collective may still
// be writing them, and cudaFree would wait for it).
struct RankBuffers {
  void* send = nullptr;
  void* recv = nullptr;
  unsigned long long* counter = nullptr;
};

class Buffers {
 public:
  Buffers(NcclComms& comms, std::uint64_t bytes) : comms_(comms), bufs_(comms.ranks().size()) {
    for (std::size_t i = 0; i < bufs_.size(); ++i) {
      TRANCHE_CUDA(cudaSetDevice(comms.ranks()[i].device));
      TRANCHE_CUDA(cudaMalloc(&bufs_[i].send, bytes));
      TRANCHE_CUDA(cudaMalloc(&bufs_[i].recv, bytes));
      TRANCHE_CUDA(cudaMalloc(reinterpret_cast<void**>(&bufs_[i].counter), sizeof(unsigned long long)));
    }
    // Pinned, so the device-to-host copy of the counts is asynchronous and the wait on it stays bounded.
    TRANCHE_CUDA(cudaHostAlloc(reinterpret_cast<void**>(&host_counts_), bufs_.size() * sizeof(unsigned long long),
                               cudaHostAllocPortable));
  }
  ~Buffers() {
    if (comms_.aborted()) return;
    for (std::size_t i = 0; i < bufs_.size(); ++i) {
      cudaSetDevice(comms_.ranks()[i].device);
      cudaFree(bufs_[i].send);
      cudaFree(bufs_[i].recv);
      cudaFree(bufs_[i].counter);
    }
    cudaFreeHost(host_counts_);
    cudaGetLastError();
  }
  Buffers(const Buffers&) = delete;
  Buffers& operator=(const Buffers&) = delete;
  RankBuffers& operator[](std::size_t i) { return bufs_[i]; }
  unsigned long long* host_count(std::size_t i) { return host_counts_ + i; }

 private:
  NcclComms& comms_;
  std::vector<RankBuffers> bufs_;
  unsigned long long* host_counts_ = nullptr;
};

struct Placement {
  bool in_place;
  const char* name() const { return in_place ? "in_place" : "out_of_place"; }
};

// Pointers NCCL is called with for one rank (nccl-tests' in-place offsets: all_gather sends from its own block of
// the receive buffer, reduce_scatter receives into its own block of the send buffer).
struct CallBuffers {
  const void* send;
  void* recv;
  void* verify;  // where the result lands
};
CallBuffers call_buffers(CollectiveOp op, const RankBuffers& b, bool in_place, const ElementCounts& c, int rank,
                         int element_bytes) {
  if (!in_place) return {b.send, b.recv, b.recv};
  char* base = static_cast<char*>(b.recv);
  const std::uint64_t block = c.count * static_cast<std::uint64_t>(element_bytes) * static_cast<std::uint64_t>(rank);
  if (op == CollectiveOp::all_gather) return {base + block, base, base};
  if (op == CollectiveOp::reduce_scatter) return {base, base + block, base + block};
  return {base, base, base};
}

// Queues one rank's part of `op` (the caller holds the NCCL group open around all local ranks).
void issue(const NcclApi& api, CollectiveOp op, NcclComms::Rank& r, const CallBuffers& cb, const ElementCounts& c,
           const DataType& t, int nranks, int shift) {
  switch (op) {
    case CollectiveOp::all_reduce:
      TRANCHE_NCCL(api.ncclAllReduce(cb.send, cb.recv, c.count, t.nccl, nccl_abi::kSum, r.comm, r.stream));
      return;
    case CollectiveOp::all_gather:
      TRANCHE_NCCL(api.ncclAllGather(cb.send, cb.recv, c.count, t.nccl, r.comm, r.stream));
      return;
    case CollectiveOp::reduce_scatter:
      TRANCHE_NCCL(api.ncclReduceScatter(cb.send, cb.recv, c.count, t.nccl, nccl_abi::kSum, r.comm, r.stream));
      return;
    case CollectiveOp::broadcast:
      TRANCHE_NCCL(api.ncclBroadcast(cb.send, cb.recv, c.count, t.nccl, 0, r.comm, r.stream));
      return;
    case CollectiveOp::reduce:
      TRANCHE_NCCL(api.ncclReduce(cb.send, cb.recv, c.count, t.nccl, nccl_abi::kSum, 0, r.comm, r.stream));
      return;
    case CollectiveOp::alltoall: {
      // Grouped send/recv, one block per peer (the caller's group holds every rank's calls).
      const std::uint64_t block = c.count * static_cast<std::uint64_t>(t.bytes);
      for (int peer = 0; peer < nranks; ++peer) {
        TRANCHE_NCCL(api.ncclSend(static_cast<const char*>(cb.send) + block * peer, c.count, t.nccl, peer, r.comm,
                                  r.stream));
        TRANCHE_NCCL(api.ncclRecv(static_cast<char*>(cb.recv) + block * peer, c.count, t.nccl, peer, r.comm,
                                  r.stream));
      }
      return;
    }
    case CollectiveOp::sendrecv: {
      const SendRecvPeers peers = sendrecv_peers(r.rank, nranks, shift);
      TRANCHE_NCCL(api.ncclSend(cb.send, c.count, t.nccl, peers.to, r.comm, r.stream));
      TRANCHE_NCCL(api.ncclRecv(cb.recv, c.count, t.nccl, peers.from, r.comm, r.stream));
      return;
    }
  }
}

struct Sweep {
  const NcclApi& api;
  NcclComms& comms;
  Buffers& bufs;
  CollectiveOp op;
  RunContext& ctx;
  int warmup, iters;
  int shift;  // sendrecv: rank r sends to r + shift (1: the ring; half the world: node pairs)

  std::string what(const DataType& t, Placement p, std::uint64_t size, const char* phase) const {
    return "nccl." + std::string(op_name(op)) + " " + t.name + " " + p.name() + " size " + std::to_string(size) +
           " B (" + phase + ")";
  }
  void wait(const std::string& w) {
    comms.wait(ctx.deadline(), w, [this] { return ctx.cancelled(); });
  }

  // Fills inputs and clears outputs for one verified run.
  void prepare(const DataType& t, bool in_place, const ElementCounts& c) {
    const int n = comms.world_size();
    for (std::size_t i = 0; i < comms.ranks().size(); ++i) {
      NcclComms::Rank& r = comms.ranks()[i];
      TRANCHE_CUDA(cudaSetDevice(r.device));
      const CallBuffers cb = call_buffers(op, bufs[i], in_place, c, r.rank, t.bytes);
      const std::uint64_t bytes = std::max(c.send, c.recv) * static_cast<std::uint64_t>(t.bytes);
      TRANCHE_CUDA(cudaMemsetAsync(bufs[i].recv, 0, bytes, r.stream));
      // all_gather's input is the rank's own block, element indices 0..count; everything else sends `send`
      // elements indexed from 0 (broadcast: only the root's input matters, every rank fills anyway).
      TRANCHE_LAUNCH(kernels::fill_collective_input(const_cast<void*>(cb.send), c.send, 0, r.rank, n, t.bf16,
                                                  r.stream));
      TRANCHE_CUDA(cudaMemsetAsync(bufs[i].counter, 0, sizeof(unsigned long long), r.stream));
    }
  }

  std::uint64_t verify(const DataType& t, bool in_place, const ElementCounts& c, const std::string& w) {
    const int n = comms.world_size();
    for (std::size_t i = 0; i < comms.ranks().size(); ++i) {
      NcclComms::Rank& r = comms.ranks()[i];
      if (op == CollectiveOp::reduce && r.rank != 0) continue;  // only the root receives
      TRANCHE_CUDA(cudaSetDevice(r.device));
      const CallBuffers cb = call_buffers(op, bufs[i], in_place, c, r.rank, t.bytes);
      // The verifier expects sendrecv's ring (data from rank - 1): name the rank whose predecessor sent ours.
      const int as_rank = op == CollectiveOp::sendrecv ? sendrecv_peers(r.rank, n, shift).verify_as : r.rank;
      TRANCHE_LAUNCH(kernels::count_collective_mismatches(cb.verify, c.recv, op, as_rank, c.count, n, t.bf16,
                                                        bufs[i].counter, r.stream));
      *bufs.host_count(i) = 0;
      TRANCHE_CUDA(cudaMemcpyAsync(bufs.host_count(i), bufs[i].counter, sizeof(unsigned long long), cudaMemcpyDeviceToHost,
                                   r.stream));
    }
    wait(w);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < comms.ranks().size(); ++i) total += *bufs.host_count(i);
    return total;
  }

  SizeResult run_size(const DataType& t, Placement p, std::uint64_t size) {
    const int n = comms.world_size();
    const ElementCounts c = element_counts(op, size, t.bytes, n);
    auto launch = [&] {
      comms.group([&](NcclComms::Rank& r) {
        const std::size_t i = static_cast<std::size_t>(&r - comms.ranks().data());
        issue(api, op, r, call_buffers(op, bufs[i], p.in_place, c, r.rank, t.bytes), c, t, n, shift);
      });
    };
    SizeResult row;
    row.size_bytes = c.size_bytes;
    prepare(t, p.in_place, c);
    launch();
    row.mismatches = verify(t, p.in_place, c, what(t, p, c.size_bytes, "verified run"));
    for (int k = 0; k < warmup; ++k) launch();
    for (auto& r : comms.ranks()) {
      TRANCHE_CUDA(cudaSetDevice(r.device));
      TRANCHE_CUDA(cudaEventRecord(r.start, r.stream));
    }
    for (int k = 0; k < iters; ++k) launch();
    for (auto& r : comms.ranks()) {
      TRANCHE_CUDA(cudaSetDevice(r.device));
      TRANCHE_CUDA(cudaEventRecord(r.stop, r.stream));
    }
    wait(what(t, p, c.size_bytes, "timed loop"));
    double slowest = 0;
    for (auto& r : comms.ranks()) {
      float ms = 0;
      TRANCHE_CUDA(cudaSetDevice(r.device));
      TRANCHE_CUDA(cudaEventElapsedTime(&ms, r.start, r.stop));
      slowest = std::max(slowest, static_cast<double>(ms) * 1e-3);
    }
    row.seconds = slowest / iters;
    row.algbw = algbw(c.size_bytes, row.seconds);
    row.busbw = busbw(op, c.size_bytes, row.seconds, n);
    return row;
  }
};

constexpr std::chrono::milliseconds kSettleGrace{5000};

// details.algorithm: NCCL's choice at each (dtype, placement)'s largest size with its source, or why there is none.
nlohmann::json algorithm_details(CollectiveOp op, const TuningCapturePlan& plan, const nlohmann::json& chosen,
                                 const std::vector<int>& local_ranks) {
  nlohmann::json a = {{"source", nullptr}, {"chosen", chosen}, {"reason", nullptr}};
  const bool has_rank0 = std::find(local_ranks.begin(), local_ranks.end(), 0) != local_ranks.end();
  if (tuning_function_name(op).empty()) {
    a["reason"] = "grouped ncclSend/ncclRecv: NCCL logs no algorithm for point-to-point operations";
  } else if (!plan.capture) {
    a["reason"] = plan.reason;
  } else if (!has_rank0) {
    a["reason"] = "NCCL logs its choice on world rank 0 only, which runs in another process";
  } else if (chosen.empty()) {
    a["reason"] = "no TUNING line in " + plan.file + " (NCCL's log was set up before tranche turned it on?)";
  } else {
    a["source"] = "NCCL_DEBUG_SUBSYS=TUNING log " + plan.file;
  }
  return a;
}

struct SweepParams;
Measurement sweep_all(const NcclApi& api, NcclComms& comms, RunContext& ctx, CollectiveOp op, const SweepParams& sp,
                      std::uint64_t cap, int shift, TuningCapture& tuning);

std::uint64_t free_bytes_min(const std::vector<int>& gpus) {
  std::uint64_t least = ~0ull;
  for (int g : gpus) {
    TRANCHE_CUDA(cudaSetDevice(g));
    std::size_t free = 0, total = 0;
    TRANCHE_CUDA(cudaMemGetInfo(&free, &total));
    least = std::min<std::uint64_t>(least, free);
  }
  return least;
}

}  // namespace

namespace {
constexpr double kMaxCollectiveBytes = 1099511627776.0;  // 1 TiB: above any GPU's memory (lowered at run time)
constexpr double kNominalCollectiveLatencyS = 20e-6;    // one small collective within a node
constexpr double kNominalCommInitS = 5.0;               // ncclCommInitAll over the node's GPUs

// The size sweep of nccl-tests: min_bytes, times step_factor, up to max_bytes; per size warm-up and timed
// iterations, per data type, in and out of place.
double collective_estimate_s(const nlohmann::json& p, int /*gpus*/) {
  const double lo = std::max(1.0, param_number(p, "min_bytes", 8)), hi = param_number(p, "max_bytes", 8ll << 30);
  const double factor = std::max(2.0, param_number(p, "step_factor", 2));
  const double reps = param_number(p, "warmup", 5) + param_number(p, "iters", 20);
  double one_pass = 0.0;
  for (double size = lo; size <= hi && one_pass < 1e7; size *= factor) {
    one_pass += reps * (kNominalCollectiveLatencyS + size / kNominalPeerBytesPerS);
  }
  const auto dt = p.find("dtypes");
  const double dtypes =
      dt != p.end() && dt->is_string() ? 1.0 + static_cast<double>(std::count(dt->get_ref<const std::string&>().begin(),
                                                                                dt->get_ref<const std::string&>().end(), ','))
                                       : 2.0;
  const auto ip = p.find("in_place");
  const double places = ip != p.end() && ip->is_boolean() && !ip->get<bool>() ? 1.0 : 2.0;
  return kNominalCommInitS + one_pass * dtypes * places;
}
}  // namespace

std::vector<ParamSpec> collective_params() {
  return {
      {"min_bytes", 8, "B", "smallest size (nccl-tests -b)", 1, kMaxCollectiveBytes},
      {"max_bytes", 8ll << 30, "B", "largest size (nccl-tests -e); lowered to what fits in free device memory", 1,
       kMaxCollectiveBytes},
      {"step_factor", 2, "", "multiply the size by this each step (nccl-tests -f)", 2, 1024},
      {"warmup", 5, "count", "untimed iterations per size (nccl-tests -w)", 0, 10000},
      {"iters", 20, "count", "timed iterations per size; time = their mean (nccl-tests -n)", 1, 100000},
      {"plateau_bytes", 1ll << 30, "B", "sizes from here up make the headline bus bandwidth (their mean)", 0,
       kMaxCollectiveBytes},
      {"dtypes", "float,bf16", "", "data types, comma-separated: float, bf16 (reduction: sum)", std::nullopt,
       std::nullopt, "", false, {"float", "bf16"}},
      {"in_place", true, "", "also run in place (all_reduce, all_gather, reduce_scatter, broadcast, reduce)"},
  };
}

CheckInfo collective_check_info(CollectiveOp op, const std::string& summary) {
  CheckInfo info;
  const std::string id = "nccl." + std::string(op_name(op));
  info.id = id;
  info.summary = summary;
  info.scope = Scope::node;
  info.params = collective_params();
  info.estimate_s = collective_estimate_s;
  info.metrics = {id + "/bus_bandwidth", id + "/mismatches"};
  info.timeout_s = 900.0;
  info.order = 46;
  return info;
}

std::map<std::string, std::string> nccl_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string kv = *e;
    if (kv.rfind("NCCL_", 0) != 0) continue;
    const auto eq = kv.find('=');
    env[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  return env;
}

namespace {

// What a sweep needs besides the communicators: the parsed parameters.
struct SweepParams {
  std::vector<DataType> types;
  std::vector<Placement> placements;
  std::uint64_t min_bytes = 0, max_bytes = 0, step = 0, plateau = 0;
  int warmup = 0, iters = 0;
};

SweepParams read_params(RunContext& ctx, CollectiveOp op) {
  const std::int64_t min_bytes = ctx.param_int("min_bytes"), max_bytes = ctx.param_int("max_bytes");
  const std::int64_t step = ctx.param_int("step_factor"), warmup = ctx.param_int("warmup");
  const std::int64_t iters = ctx.param_int("iters"), plateau = ctx.param_int("plateau_bytes");
  if (min_bytes < 1 || max_bytes < 1) throw InputError("parameters min_bytes and max_bytes must be >= 1");
  if (warmup < 0) throw InputError("parameter warmup must be >= 0");
  if (iters < 1) throw InputError("parameter iters must be >= 1");
  if (plateau < 0) throw InputError("parameter plateau_bytes must be >= 0");
  SweepParams sp;
  sp.types = parse_dtypes(ctx.param_string("dtypes"));
  sp.placements = {{false}};
  if (ctx.param_bool("in_place") && supports_in_place(op)) sp.placements.push_back({true});
  sp.min_bytes = static_cast<std::uint64_t>(min_bytes);
  sp.max_bytes = static_cast<std::uint64_t>(max_bytes);
  sp.step = static_cast<std::uint64_t>(step);
  sp.plateau = static_cast<std::uint64_t>(plateau);
  sp.warmup = static_cast<int>(warmup);
  sp.iters = static_cast<int>(iters);
  return sp;
}

[[noreturn]] void throw_no_room(CollectiveOp op, std::uint64_t free, std::uint64_t wanted, const char* which) {
  ErrorInfo e;
  e.id = "E_OUT_OF_MEMORY";
  e.message = "nccl." + std::string(op_name(op)) + ": " + std::to_string(free) +
              " B free on the fullest GPU leaves no room for " + which + " " + std::to_string(wanted);
  throw GpuError(e);
}

// `world` nullopt: every rank is a GPU of this node. Otherwise this process's GPUs are ranks first_rank.. of a
// world spread over processes, whose sizes must agree: max_bytes is used as given (every process must sweep the
// same sizes) and a GPU without room for it fails here, which its peers see as a timeout or an NCCL error.
Measurement run_collective(RunContext& ctx, CollectiveOp op, const std::optional<NcclWorld>& world, int shift) {
  const SweepParams sp = read_params(ctx, op);
  // No GPU is an error, not a skip: a node whose GPUs vanished must not pass its interconnect checks.
  const std::vector<int>& gpus = ctx.gpus();
  if (gpus.empty()) {
    ErrorInfo e;
    if (ctx.system().device_error) e = *ctx.system().device_error;
    e.id = "E_NO_DEVICE";
    if (e.message.empty()) e.message = "no GPU selected";
    throw GpuError(e);
  }
  TuningCapture& tuning = TuningCapture::process();  // before NCCL's first use in this process
  const NcclApi& api = nccl_api();                    // E_NO_NCCL before any GPU work
  tuning.take_new();                                  // lines of earlier checks are theirs
  const int n = world ? world->nranks : static_cast<int>(gpus.size());
  const std::uint64_t free = free_bytes_min(gpus);
  const std::uint64_t usable =
      free > kNcclReserveBytes ? static_cast<std::uint64_t>((free - kNcclReserveBytes) * kUsableFraction) : 0;
  const std::uint64_t fits = max_size_for_memory(op, usable, 4, n);
  if (world && fits < sp.max_bytes) throw_no_room(op, free, sp.max_bytes, "max_bytes");
  const std::uint64_t cap = std::min<std::uint64_t>(sp.max_bytes, fits);
  if (cap < sp.min_bytes) throw_no_room(op, free, sp.min_bytes, "min_bytes");

  NcclComms comms(api, gpus, world ? *world : single_node_world(api, gpus.size()));
  try {
    return sweep_all(api, comms, ctx, op, sp, cap, shift, tuning);
  } catch (...) {
    // A failed API call or the check's own deadline can leave collectives queued: tear down normally only when
    // every stream goes idle soon; otherwise abort, so no destructor waits on a hung stream.
    comms.settle(kSettleGrace);
    throw;
  }
}

}  // namespace

Measurement run_collective_check(RunContext& ctx, CollectiveOp op) { return run_collective(ctx, op, std::nullopt, 1); }

Measurement run_collective_in_world(RunContext& ctx, CollectiveOp op, const NcclWorld& world, int sendrecv_shift) {
  return run_collective(ctx, op, world, sendrecv_shift);
}

namespace {

Measurement sweep_all(const NcclApi& api, NcclComms& comms, RunContext& ctx, CollectiveOp op, const SweepParams& sp,
                      std::uint64_t cap, int shift, TuningCapture& tuning) {
  const int n = comms.world_size();
  Buffers bufs(comms, buffer_bytes_per_rank(op, cap, 4, n) / 2 + 64);
  Sweep sweep{api, comms, bufs, op, ctx, sp.warmup, sp.iters, shift};

  const std::string id = "nccl." + std::string(op_name(op));
  Measurement m;
  m.check_id = id;  // add_metric names metrics after it
  nlohmann::json table = nlohmann::json::array();
  nlohmann::json chosen = nlohmann::json::object();  // "<dtype>/<placement>" -> NCCL's choice at the largest size
  std::vector<std::string> warnings;
  for (const DataType& t : sp.types) {
    for (const Placement& p : sp.placements) {
      std::vector<SizeResult> rows;
      std::uint64_t mismatches = 0;
      for (std::uint64_t size : sweep_sizes(sp.min_bytes, cap, sp.step, op, t.bytes, n)) {
        ctx.check_deadline(id.c_str());
        const SizeResult row = sweep.run_size(t, p, size);
        rows.push_back(row);
        mismatches += row.mismatches;
        TuningCapture::Piece piece = tuning.take_new();  // NCCL logs at enqueue: this size's calls are written
        const std::optional<nlohmann::json> choice = summarize_choices(piece.choices, op);
        for (std::string& w : piece.warnings) {
          if (warnings.size() < 20) warnings.push_back(std::move(w));
        }
        if (choice) chosen[t.name + "/" + p.name()] = *choice;
        table.push_back({{"dtype", t.name},
                         {"placement", p.name()},
                         {"size_bytes", row.size_bytes},
                         {"count", element_counts(op, row.size_bytes, t.bytes, n).count},
                         {"time_s", row.seconds},
                         {"algbw_Bps", row.algbw},
                         {"busbw_Bps", row.busbw},
                         {"mismatches", row.mismatches},
                         {"nccl_choice", choice ? *choice : nlohmann::json(nullptr)}});
      }
      const Headline h = headline(rows, sp.plateau);
      const std::map<std::string, std::string> labels = {{"dtype", t.name}, {"placement", p.name()}};
      if (h.plateau_mean) {
        Metric& mm = m.add_metric("bus_bandwidth", h.plateau_mean, "B/s");
        mm.statistic = "mean";
        mm.n_samples = h.plateau_rows;
        mm.labels = labels;
        mm.labels["sizes"] = "plateau";
      }
      Metric& ml = m.add_metric("bus_bandwidth", h.at_largest, "B/s");
      ml.labels = labels;
      ml.labels["sizes"] = "largest";
      ml.labels["size_bytes"] = std::to_string(h.largest_bytes);
      Metric& mx = m.add_metric("mismatches", static_cast<double>(mismatches), "count");
      mx.statistic = "sum";
      mx.labels = labels;
    }
  }
  m.details["nranks"] = n;
  std::vector<int> gpus, ranks;
  for (const auto& r : comms.ranks()) {
    gpus.push_back(r.device);
    ranks.push_back(r.rank);
  }
  m.details["gpus"] = gpus;
  m.details["ranks"] = ranks;
  m.details["max_bytes_effective"] = cap;
  m.details["nccl_version"] = nccl_version_string();
  m.details["nccl_environment"] = tuning.operator_environment();
  m.details["nccl_environment_set_by_tranche"] = tuning.plan().set_env;
  m.details["algorithm"] = algorithm_details(op, tuning.plan(), chosen, ranks);
  if (!warnings.empty()) m.details["nccl_warnings"] = warnings;
  m.details["table"] = std::move(table);
  return m;
}

}  // namespace

}  // namespace tranche::nccl
