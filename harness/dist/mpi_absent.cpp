// MpiSession where tranche was built without MPI: every multi-node entry point says how to get it.
#include "harness/core/errors.h"
#include "harness/dist/mpi_session.h"

namespace tranche::dist {

bool mpi_available() { return false; }

MpiSession::MpiSession() {
  throw InputError("--multinode: this tranche was built without MPI; install Open MPI (Debian: apt-get install "
                   "libopenmpi-dev openmpi-bin) and rebuild");
}
MpiSession::~MpiSession() = default;
void MpiSession::broadcast(std::string& /*bytes*/) const {}
std::vector<std::string> MpiSession::gather(const std::string& mine) const { return {mine}; }
std::vector<std::string> MpiSession::all_gather(const std::string& mine) const { return {mine}; }

}  // namespace tranche::dist
