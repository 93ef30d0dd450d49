#!/usr/bin/env bash
# A one-node Slurm cluster for tests, without systemd: munged, slurmctld and slurmd in a private directory with
# their own ports. Source it, then call cluster_start DIR and (from a trap) cluster_stop. Needs root (slurmd).
# The node is in two partitions, as GPU nodes often are (sinfo -N then prints it once per partition).
# After cluster_start: SLURM_CONF is exported, CLUSTER_NODE names the node, the daemons log into DIR/*.log.
# The bash -c snippets are single-quoted on purpose: they expand in the child, with "$0" passed.
# shellcheck disable=SC2016

# A free TCP port from the kernel (bind to port 0). Another process could take it before the daemon binds; the
# daemons' start is checked, so a clash fails the test loudly rather than hanging it.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Polls a command up to $1 times, 0.2 s apart; true when it succeeded.
wait_for() {
  local tries="$1"
  shift
  local i
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  return 1
}

cluster_start() {
  CLUSTER_DIR="$1"
  CLUSTER_NODE="$(hostname -s)"
  local missing=()
  for tool in munged mungekey slurmctld slurmd scontrol sinfo sbatch srun; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    echo "one_node_cluster: missing ${missing[*]}: run scripts/install-deps.sh (Debian: munge slurmctld slurmd slurm-client)" >&2
    return 1
  fi
  mkdir -p "$CLUSTER_DIR"/{munge,state,spool}
  chmod 700 "$CLUSTER_DIR/munge"
  mungekey --create --keyfile="$CLUSTER_DIR/munge/munge.key" --force >/dev/null
  munged --force --socket="$CLUSTER_DIR/munge/munge.sock" --key-file="$CLUSTER_DIR/munge/munge.key" \
    --pid-file="$CLUSTER_DIR/munge/munged.pid" --log-file="$CLUSTER_DIR/munge/munged.log" \
    --seed-file="$CLUSTER_DIR/munge/munged.seed" || return 1
  local ctld_port slurmd_port cpus
  ctld_port="$(free_port)"
  slurmd_port="$(free_port)"
  cpus="$(nproc)"
  cat >"$CLUSTER_DIR/slurm.conf" <<CONF
ClusterName=tranche-test
SlurmctldHost=$CLUSTER_NODE(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$CLUSTER_DIR/munge/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$CLUSTER_DIR/state
SlurmdSpoolDir=$CLUSTER_DIR/spool
SlurmctldPidFile=$CLUSTER_DIR/slurmctld.pid
SlurmdPidFile=$CLUSTER_DIR/slurmd.pid
SlurmctldLogFile=$CLUSTER_DIR/slurmctld.log
SlurmdLogFile=$CLUSTER_DIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
${CLUSTER_EXTRA_CONF:-}
NodeName=$CLUSTER_NODE NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$CLUSTER_NODE Default=YES MaxTime=INFINITE State=UP
PartitionName=second Nodes=$CLUSTER_NODE Default=NO MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$CLUSTER_DIR/slurm.conf"
  slurmctld -i -f "$SLURM_CONF" || return 1
  slurmd -f "$SLURM_CONF" -N "$CLUSTER_NODE" || return 1
  # Up when the node answers idle (or already drained by a health check): at most 30 s.
  if ! wait_for 150 bash -c 'sinfo -h -n "$0" -o %T | grep -qE "^(idle|drained|draining|mixed)"' "$CLUSTER_NODE"; then
    echo "one_node_cluster: the node did not come up within 30 s; logs in $CLUSTER_DIR" >&2
    sinfo -N -l >&2 || true
    tail -n 20 "$CLUSTER_DIR/slurmctld.log" "$CLUSTER_DIR/slurmd.log" >&2 || true
    return 1
  fi
}

# Stops the daemons this cluster started (by their pid files only): SIGTERM to all, then up to 10 s each to exit,
# then SIGKILL.
cluster_stop() {
  [ -n "${CLUSTER_DIR:-}" ] || return 0
  local f pids=()
  for f in "$CLUSTER_DIR/slurmd.pid" "$CLUSTER_DIR/slurmctld.pid" "$CLUSTER_DIR/munge/munged.pid"; do
    [ -s "$f" ] && pids+=("$(cat "$f")")
  done
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    wait_for 50 bash -c '! kill -0 "$0"' "$pid" || kill -9 "$pid" 2>/dev/null || true
  done
}
