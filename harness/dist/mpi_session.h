// The only MPI tranche uses: start and end MPI, know this process's rank, broadcast bytes from rank 0 (the
// ncclUniqueId) and gather one string per rank on rank 0 or on every rank (results, GPU counts, NCCL ids).
// Nothing else goes over MPI.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace tranche::dist {

// True when this tranche was built with MPI.
bool mpi_available();

// MPI_Init in the constructor, MPI_Finalize in the destructor; one per process. Throws InputError when tranche
// was built without MPI (naming the package to install) or MPI_Init fails. Not thread-safe (MPI_THREAD_SINGLE).
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  // Rank 0's `bytes` replace every other rank's (same length on every rank). Throws InputError on MPI failure.
  void broadcast(std::string& bytes) const;
  // On rank 0: every rank's `mine`, in rank order; on the others: an empty vector. Collective.
  std::vector<std::string> gather(const std::string& mine) const;
  // On every rank: every rank's `mine`, in rank order. Collective.
  std::vector<std::string> all_gather(const std::string& mine) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

// "srun" under Slurm (SLURM_PROCID set), "mpirun" under Open MPI (OMPI_COMM_WORLD_RANK set) or another MPI
// launcher (PMI_RANK), "" when started by hand.
std::string detect_launcher();

}  // namespace tranche::dist
