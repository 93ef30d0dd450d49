// MpiSession over the MPI C API: init, broadcast of rank 0's bytes, gather of one string per rank.
#include "harness/dist/mpi_session.h"

#include <mpi.h>

#include <cstdlib>

#include "harness/core/errors.h"

namespace tranche::dist {

namespace {
void check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING] = {};
  int len = 0;
  MPI_Error_string(rc, text, &len);
  throw InputError(std::string(what) + " failed: " + std::string(text, static_cast<std::size_t>(len)));
}
}  // namespace

bool mpi_available() { return true; }

MpiSession::MpiSession() {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (initialised) throw InputError("MPI is already initialised in this process (one MpiSession per process)");
  check(MPI_Init(nullptr, nullptr), "MPI_Init");
  // Errors come back as codes (and become InputError) instead of aborting the job with no report written.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
}

MpiSession::~MpiSession() { MPI_Finalize(); }

void MpiSession::broadcast(std::string& bytes) const {
  int len = static_cast<int>(bytes.size());
  check(MPI_Bcast(&len, 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast(length)");
  bytes.resize(static_cast<std::size_t>(len));
  check(MPI_Bcast(bytes.data(), len, MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast(bytes)");
}

std::vector<std::string> MpiSession::gather(const std::string& mine) const {
  const int len = static_cast<int>(mine.size());
  std::vector<int> lens(rank_ == 0 ? static_cast<std::size_t>(size_) : 0);
  check(MPI_Gather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather(lengths)");
  std::vector<int> offsets(lens.size());
  std::string all;
  if (rank_ == 0) {
    int total = 0;
    for (std::size_t i = 0; i < lens.size(); ++i) {
      offsets[i] = total;
      total += lens[i];
    }
    all.resize(static_cast<std::size_t>(total));
  }
  check(MPI_Gatherv(mine.data(), len, MPI_CHAR, all.data(), lens.data(), offsets.data(), MPI_CHAR, 0,
                    MPI_COMM_WORLD),
        "MPI_Gatherv(results)");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lens.size(); ++i) {
    out.push_back(all.substr(static_cast<std::size_t>(offsets[i]), static_cast<std::size_t>(lens[i])));
  }
  return out;
}

std::vector<std::string> MpiSession::all_gather(const std::string& mine) const {
  const int len = static_cast<int>(mine.size());
  std::vector<int> lens(static_cast<std::size_t>(size_));
  check(MPI_Allgather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather(lengths)");
  std::vector<int> offsets(lens.size());
  int total = 0;
  for (std::size_t i = 0; i < lens.size(); ++i) {
    offsets[i] = total;
    total += lens[i];
  }
  std::string all(static_cast<std::size_t>(total), '\0');
  check(MPI_Allgatherv(mine.data(), len, MPI_CHAR, all.data(), lens.data(), offsets.data(), MPI_CHAR,
                       MPI_COMM_WORLD),
        "MPI_Allgatherv(strings)");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lens.size(); ++i) {
    out.push_back(all.substr(static_cast<std::size_t>(offsets[i]), static_cast<std::size_t>(lens[i])));
  }
  return out;
}

}  // namespace tranche::dist
