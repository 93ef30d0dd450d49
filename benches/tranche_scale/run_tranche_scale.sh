#!/usr/bin/env bash
# The tranche-scale benchmark: generates a tranche of node reports once (make_tranche_reports), then times `cat`
# of the same files and the aggregation (bench_tranche_scale), with the page cache dropped (when permitted) and
# warm. Prints the load average before each timing, since the machine may be shared.
# Usage: [BUILD=build/ci] [ROOT=/tmp/tranche-scale/nodes] [NODES=32500] [THREADS=nproc] run_tranche_scale.sh
set -euo pipefail
BUILD=${BUILD:-build/ci}
ROOT=${ROOT:-/tmp/tranche-scale/nodes}
OUT=${OUT:-/tmp/tranche-scale/out}
NODES=${NODES:-32500}
THREADS=${THREADS:-$(nproc)}

if [ ! -d "$ROOT" ]; then
  echo "generating $NODES node reports under $ROOT (not timed)"
  "$BUILD/benches/tranche_scale/make_tranche_reports" "$ROOT" "$NODES" 80 "$THREADS"
fi
echo "files: $(find "$ROOT" -name '*.json' | wc -l), bytes: $(du -sb "$ROOT" | cut -f1)"

drop_caches() {
  sync
  if (echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null; then return 0; fi
  echo "page cache: cannot drop (echo 3 > /proc/sys/vm/drop_caches not permitted): cold figures skipped"
  return 1
}
seconds() {
  local s e
  s=$(date +%s.%N)
  "$@" > /dev/null
  e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f\n", e - s }'
}
cat_all() { find "$ROOT" -name '*.json' -print0 | xargs -0 cat > /dev/null; }
bench() { "$BUILD/benches/tranche_scale/bench_tranche_scale" "$ROOT" "$OUT" "$THREADS"; }

if drop_caches; then
  echo "cold: load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cold cat_s $(seconds cat_all)"
  drop_caches
  echo "cold bench:"; bench
fi
cat_all
echo "warm: load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warm cat_s $(seconds cat_all)"
echo "warm bench:"; bench
