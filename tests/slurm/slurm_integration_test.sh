#!/usr/bin/env bash
# The Slurm integration on a real one-node cluster (Debian's Slurm 22.05, started here without systemd): the
# health check drains on a planted fault with a tranche: reason, --resume undrains only its own drain, Slurm runs
# it as HealthCheckProgram ignoring its exit code, a failing prolog drains and requeues, and the sbatch sweep ends
# in a rack report listing the node. Usage: slurm_integration_test.sh TRANCHE FAKE_NVML_DIR SOURCE_DIR
# Fails (never skips) when Slurm or munge is missing. Needs root (slurmd). Daemons are always stopped (trap).
# The bash -c snippets below are single-quoted on purpose: they expand in the child, with "$0"/"$1" passed.
# shellcheck disable=SC2016
set -euo pipefail
tranche="$1"
fake_nvml="$2"
source_dir="$3"
# shellcheck source=tests/slurm/one_node_cluster.sh
source "$source_dir/tests/slurm/one_node_cluster.sh"

if [ "$(id -u)" != 0 ]; then echo "FAIL: slurmd needs root" >&2; exit 1; fi
dir="$(mktemp -d /tmp/tranche-slurm-test.XXXXXX)"
chmod 755 "$dir"
cleanup() {
  local t0=$SECONDS
  cluster_stop
  echo "cluster stopped in $((SECONDS - t0)) s"
  if [ "${KEEP_SLURM_TEST_DIR:-0}" = 1 ]; then echo "kept $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  for log in "$dir/cluster/slurmctld.log" "$dir/cluster/slurmd.log"; do
    [ -f "$log" ] && { echo "--- tail $log" >&2; tail -n 15 "$log" >&2; }
  done
  exit 1
}
ok() { echo "ok: $*"; }

export LD_LIBRARY_PATH="$fake_nvml${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The fake NVML's GPU 1 trained at x8 of x16: preflight.pcie fails on it (the planted fault); preflight.ecc passes.
faulty=(--checks "preflight.ecc,preflight.pcie")
healthy=(--checks preflight.ecc)
common=(--out "$dir/health" --lock-file "$dir/health.lock")
mkdir -p "$dir/health"

# Slurm's own hooks, wired as docs/operations.md says; each is inert until its switch file exists, and logs its
# environment so the test can check what slurmd passes.
cat >"$dir/healthcheck.sh" <<HOOK
#!/bin/sh
env > "$dir/healthcheck.env"
date +%s.%N >> "$dir/healthcheck.runs"
[ -e "$dir/healthcheck.on" ] || exit 1   # non-zero on purpose: Slurm must ignore it
# slurmd gives its health check no SLURM_CONF (observed with 22.05): sinfo/scontrol need it to find this cluster.
SLURM_CONF="$dir/cluster/slurm.conf" LD_LIBRARY_PATH="$fake_nvml" exec "$tranche" slurm healthcheck ${faulty[*]} --out "$dir/health" --lock-file "$dir/health.lock"
HOOK
cat >"$dir/prolog.sh" <<HOOK
#!/bin/sh
env > "$dir/prolog.env.\$SLURM_JOB_ID"
checks=preflight.ecc
[ -e "$dir/prolog.fail" ] && checks=preflight.ecc,preflight.pcie
LD_LIBRARY_PATH="$fake_nvml" exec "$tranche" slurm prolog --checks "\$checks" --out "$dir/prolog"
HOOK
cat >"$dir/epilog.sh" <<HOOK
#!/bin/sh
env > "$dir/epilog.env.\$SLURM_JOB_ID"
LD_LIBRARY_PATH="$fake_nvml" "$tranche" slurm epilog --checks preflight.ecc --out "$dir/epilog" > "$dir/epilog.out.\$SLURM_JOB_ID"
HOOK
chmod 755 "$dir/healthcheck.sh" "$dir/prolog.sh" "$dir/epilog.sh"
mkdir -p "$dir/epilog"
mkdir -p "$dir/prolog"
CLUSTER_EXTRA_CONF="HealthCheckProgram=$dir/healthcheck.sh
HealthCheckInterval=2
HealthCheckNodeState=ANY
Prolog=$dir/prolog.sh
Epilog=$dir/epilog.sh"
export CLUSTER_EXTRA_CONF

started=$SECONDS
cluster_start "$dir/cluster" || fail "the one-node cluster did not start"
node="$CLUSTER_NODE"
ok "cluster up in $((SECONDS - started)) s (node $node)"

state() { sinfo -h -N -n "$node" -p test -o '%T'; }
reason() { sinfo -h -N -n "$node" -p test -o '%E'; }
expect_state() {  # expect_state REGEX WHAT: polls up to 10 s (slurmctld applies updates asynchronously)
  wait_for 50 bash -c '[[ "$(sinfo -h -N -n "$0" -p test -o %T)" =~ $1 ]]' "$node" "$1" ||
    fail "$2: state $(state), reason $(reason), expected $1"
}

# 1. Slurm runs the HealthCheckProgram and ignores its exit code (the hook exits 1 while switched off).
wait_for 50 test -s "$dir/healthcheck.runs" || fail "slurmd did not run HealthCheckProgram within 10 s"
grep -q "^SLURMD_NODENAME=$node$" "$dir/healthcheck.env" || fail "HealthCheckProgram had no SLURMD_NODENAME=$node"
expect_state '^idle$' "a health check exiting 1 must not drain"
ok "HealthCheckProgram runs with SLURMD_NODENAME; its exit code 1 did not drain the node"

# 2. A planted fault drains the node with a tranche: reason; the first 20 characters name the check.
set +e
out="$("$tranche" slurm healthcheck "${faulty[@]}" "${common[@]}" --node "$node")"
rc=$?
set -e
[ "$rc" = 1 ] || fail "healthcheck on a faulty node exited $rc, expected 1: $out"
expect_state '^drain' "after a failed health check"
r="$(reason)"
[[ "$r" == "tranche: pcie gpu1 "* ]] || fail "drain reason '$r' does not start 'tranche: pcie gpu1 '"
[[ "$r" == *"; report=$dir/health/"*".json" ]] || fail "drain reason '$r' does not name the report"
[ "${#r}" -le 255 ] || fail "drain reason is ${#r} bytes"
sinfo -R | grep -q "^tranche: pcie gpu1 o" || fail "sinfo -R does not show the reason: $(sinfo -R)"
ok "planted fault drained: $r"

# 3. --resume on a healthy node undrains tranche's own drain.
"$tranche" slurm healthcheck "${healthy[@]}" "${common[@]}" --node "$node" --resume >/dev/null ||
  fail "healthcheck --resume on a healthy node exited $?"
expect_state '^idle$' "after --resume"
[ "$(reason)" = none ] || fail "reason after --resume: $(reason)"
ok "--resume returned the node to service"

# 4. A person's drain is never overwritten by a failure nor lifted by --resume.
scontrol update NodeName="$node" State=DRAIN Reason="disk swap, ask ops"
expect_state '^drain' "after the operator's drain"
"$tranche" slurm healthcheck "${faulty[@]}" "${common[@]}" --node "$node" >/dev/null && fail "faulty run exited 0"
[ "$(reason)" = "disk swap, ask ops" ] || fail "a failed check replaced the operator's reason: $(reason)"
"$tranche" slurm healthcheck "${healthy[@]}" "${common[@]}" --node "$node" --resume >/dev/null
expect_state '^drain' "--resume must leave the operator's drain"
[ "$(reason)" = "disk swap, ask ops" ] || fail "--resume changed the operator's reason: $(reason)"
scontrol update NodeName="$node" State=RESUME
expect_state '^idle$' "after the operator's resume"
ok "an operator's drain was left alone"

# 5. --dry-run prints the command and changes nothing; a held lock makes a second run exit 0 at once.
set +e
out="$("$tranche" slurm healthcheck "${faulty[@]}" "${common[@]}" --node "$node" --dry-run)"
set -e
[[ "$out" == *"dry-run: scontrol update NodeName=$node State=DRAIN 'Reason=tranche: pcie gpu1 "* ]] ||
  fail "dry-run printed: $out"
[ "$(state)" = idle ] || fail "--dry-run changed the node: $(state)"
exec {lock_fd}>"$dir/health.lock"  # this shell holds the lock, as a running health check would
flock -n "$lock_fd" || fail "the test could not take the lock"
t0=$SECONDS
out="$("$tranche" slurm healthcheck "${faulty[@]}" "${common[@]}" --node "$node")" || fail "locked run exited $?"
exec {lock_fd}>&-
[[ "$out" == *"another health check holds"* ]] || fail "locked run printed: $out"
[ $((SECONDS - t0)) -le 2 ] || fail "a locked run took $((SECONDS - t0)) s"
[ "$(state)" = idle ] || fail "a locked run changed the node: $(state)"
ok "--dry-run and the lock file"

# 6. Slurm's HealthCheckProgram with the fault planted drains the node itself.
touch "$dir/healthcheck.on"
wait_for 100 bash -c '[[ "$(sinfo -h -N -n "$0" -p test -o %E)" == "tranche: pcie gpu1 "* ]]' "$node" ||
  fail "HealthCheckProgram did not drain within 20 s: $(state) $(reason)"
rm -f "$dir/healthcheck.on"
scontrol update NodeName="$node" State=RESUME
expect_state '^idle$' "after resuming the health check's drain"
ok "slurmd's HealthCheckProgram drained the faulty node"

# 7. The sbatch sweep on the one node ends in a rack report that lists it (prolog passing).
sweep="$dir/sweep"
mkdir -p "$sweep"
job="$(cd "$sweep" && TRANCHE="$tranche" TRANCHE_SWEEP_DIR="$sweep" sbatch --parsable --nodes=1 \
  "$source_dir/contrib/slurm/tranche-sweep.sbatch" --profile health)"
wait_for 300 bash -c '! squeue -h -j "$0" | grep -q .' "$job" || fail "sweep job $job still queued after 60 s"
[ -s "$sweep/rack.json" ] || fail "the sweep wrote no rack report: $(cat "$sweep"/tranche-sweep-*.out 2>/dev/null)"
python3 - "$sweep/rack.json" "$node" <<'PY' || fail "rack report does not list the node"
import json, sys
rack = json.load(open(sys.argv[1]))
hosts = [n["host"] for n in rack["nodes"]]
assert hosts == [sys.argv[2]], hosts
assert rack["expected_hosts"]["given"] and rack["expected_hosts"]["missing"] == [], rack["expected_hosts"]
PY
[ -s "$sweep/logs/$node.log" ] || fail "no per-node log $sweep/logs/$node.log"
grep -q "^SLURMD_NODENAME=$node$" "$dir/prolog.env.$job" || fail "the prolog did not run for job $job"
wait_for 50 test -s "$dir/epilog.out.$job" || fail "the epilog did not run for job $job"
grep -q "^tranche epilog job=$job node=$node: accepted: " "$dir/epilog.out.$job" ||
  fail "epilog printed: $(cat "$dir/epilog.out.$job")"
ok "sbatch sweep (job $job) wrote a rack report listing $node; prolog and epilog ran"

# The fleet splitter cuts a node list into jobs of at most --chunk nodes and one aggregation job after them.
out="$(TRANCHE="$tranche" "$source_dir/contrib/slurm/tranche-sweep-fleet" --nodes 'gpu[001-005]' --chunk 2 \
  --out "$dir/fleet" --dry-run -- --profile quick)" || fail "tranche-sweep-fleet --dry-run exited $?"
[ "$(grep -c -- '--job-name=tranche-part-00[1-3] ' <<<"$out")" = 3 ] || fail "fleet splitter printed: $out"
grep -q -- '--nodes=2 --nodelist=gpu\\\[001-002\\\] ' <<<"$out" || fail "first part is not gpu[001-002]: $out"
grep -q -- '--nodes=1 --nodelist=gpu005 .*tranche-sweep.sbatch --profile quick$' <<<"$out" ||
  fail "last part is not gpu005 with the run arguments: $out"
grep -q -- '--dependency=afterany:JOB_part-001:JOB_part-002:JOB_part-003 ' <<<"$out" ||
  fail "no aggregation job after the parts: $out"
ok "fleet splitter: 5 nodes in 3 jobs and one tranche job after them"

# 8. A failing prolog: Slurm drains the node with "Prolog error" and requeues the job.
touch "$dir/prolog.fail"
job="$(cd "$sweep" && sbatch --parsable --nodes=1 --output=/dev/null --wrap true)"
wait_for 150 bash -c '[[ "$(sinfo -h -N -n "$0" -p test -o %E)" == "Prolog error"* ]]' "$node" ||
  fail "a failing prolog did not drain: $(state) $(reason)"
job_state="$(scontrol show job "$job" | grep -oE 'JobState=[A-Z_]+|Requeue=[0-9]|Restarts=[0-9]+|Reason=[^ ]+' | tr '\n' ' ')"
[[ "$job_state" == *"Restarts=1"* ]] || fail "job $job was not requeued: $job_state"
scancel "$job" || true
# Let the cancelled job's epilog finish, so slurmd stops at once.
wait_for 100 bash -c '! squeue -h -j "$0" | grep -q .' "$job" || true
ok "a failing prolog drained the node (Prolog error) and requeued job $job: $job_state"
echo "PASS: Slurm integration in $((SECONDS - started)) s"
