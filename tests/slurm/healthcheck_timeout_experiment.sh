#!/usr/bin/env bash
# A one-off experiment, not a ctest test (it takes about 2 minutes): does slurmd kill a HealthCheckProgram after
# 60 s, and does it start new runs while an old one still runs? Prints each run's start and SIGTERM time and
# slurmd's log lines. Result on Debian 12's Slurm 22.05.8 is recorded in docs/operations.md. Needs root.
set -euo pipefail
# shellcheck source=tests/slurm/one_node_cluster.sh
source "$(dirname "$0")/one_node_cluster.sh"
dir="$(mktemp -d /tmp/tranche-hc-timeout.XXXXXX)"
chmod 755 "$dir"
trap 'cluster_stop; rm -rf "$dir"' EXIT
# Fast until $dir/slow exists (slurmd runs the check once before it registers), then 100 s per run.
cat >"$dir/hc.sh" <<HOOK
#!/bin/sh
[ -e "$dir/slow" ] || exit 0
echo "start \$\$ \$(date +%s)" >> "$dir/runs"
trap 'echo "term \$\$ \$(date +%s)" >> "$dir/runs"; exit 1' TERM
sleep 100 & wait
echo "end \$\$ \$(date +%s)" >> "$dir/runs"
HOOK
chmod 755 "$dir/hc.sh"
export CLUSTER_EXTRA_CONF="HealthCheckProgram=$dir/hc.sh
HealthCheckInterval=20
HealthCheckNodeState=ANY"
cluster_start "$dir/cluster"
touch "$dir/slow"
sleep 100
cat "$dir/runs"
grep -i health_check "$dir/cluster/slurmd.log" || true
