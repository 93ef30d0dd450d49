// Which engine started this process, from the variables Slurm and MPI launchers set.
#include <cstdlib>

#include "harness/dist/mpi_session.h"

namespace tranche::dist {

std::string detect_launcher() {
  if (std::getenv("SLURM_PROCID")) return "srun";
  if (std::getenv("OMPI_COMM_WORLD_RANK") || std::getenv("PMI_RANK")) return "mpirun";
  return "";
}

}  // namespace tranche::dist
