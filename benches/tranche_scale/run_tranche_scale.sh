#!/usr/bin/env bash
# The tranche-scale benchmark: generates a tranche of node reports once (make_tranche_reports), then times `cat`
# of the same files and the aggregation (bench_tranche_scale), with the page cache dropped (when permitted) and
# warm, and prints the ratio of the two. Prints the load average before each timing, since the machine may be
# shared, and the CPU time and peak memory of each aggregation (/usr/bin/time).
# Usage: [BUILD=build/ci] [ROOT=/tmp/tranche-scale/nodes] [OUT=/tmp/tranche-scale/out] [NODES=32500]
#        [THREADS=nproc] [REPEAT=1] run_tranche_scale.sh
set -euo pipefail
BUILD=${BUILD:-build/ci}
ROOT=${ROOT:-/tmp/tranche-scale/nodes}
OUT=${OUT:-/tmp/tranche-scale/out}
NODES=${NODES:-32500}
THREADS=${THREADS:-$(nproc)}
REPEAT=${REPEAT:-1}

if [ ! -d "$ROOT" ]; then
  echo "generating $NODES node reports under $ROOT (not timed)"
  "$BUILD/benches/tranche_scale/make_tranche_reports" "$ROOT" "$NODES" 80 "$THREADS"
fi
echo "files: $(find "$ROOT" -name '*.json' | wc -l), bytes: $(du -sb "$ROOT" | cut -f1), threads: $THREADS"

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
# Prints the aggregation's own figures, then wall, CPU and peak memory as /usr/bin/time measures them.
bench() {
  /usr/bin/time -f "time wall_s %e user_s %U sys_s %S max_rss_kib %M" \
    "$BUILD/benches/tranche_scale/bench_tranche_scale" "$ROOT" "$OUT" "$THREADS" 2>&1
}
ratio() { awk -v a="$1" -v c="$2" 'BEGIN { printf "%.2f\n", a / c }'; }
bench_wall() { sed -n 's/^time wall_s \([0-9.]*\).*/\1/p'; }

for i in $(seq "$REPEAT"); do
  if drop_caches; then
    echo "cold: load $(cut -d' ' -f1-3 /proc/loadavg)"
    c=$(seconds cat_all); echo "cold cat_s $c"
    drop_caches
    out=$(bench); echo "$out"
    echo "cold ratio $(ratio "$(echo "$out" | bench_wall)" "$c")"
  fi
  cat_all
  echo "warm: load $(cut -d' ' -f1-3 /proc/loadavg)"
  c=$(seconds cat_all); echo "warm cat_s $c"
  out=$(bench); echo "$out"
  echo "warm ratio $(ratio "$(echo "$out" | bench_wall)" "$c")"
done
