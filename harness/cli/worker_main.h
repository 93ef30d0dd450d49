// The hidden worker mode of the tranche binary (`tranche __worker probe|run`), started by the supervisor.
#pragma once

namespace tranche::cli {

// probe: probes the node and writes {"event":"system",...} to fd kWorkerEventFd. run: reads a WorkerJob from
// stdin, runs it and writes each event and measurement as a JSON line to fd kWorkerEventFd. Returns the exit
// status (0 done, 64 bad job, 70 internal error).
int worker_main(int argc, char** argv);

}  // namespace tranche::cli
