#!/usr/bin/env bash
# Fails when a test outside the `gpu` label did not run: ctest counts a skip as a pass, so a missing tool or
# library could otherwise hide a test on CI. Usage: no-host-skips.sh CTEST_LOG TEST_PRESET
set -euo pipefail
log="$1"
preset="$2"
# Names of the tests ctest listed as skipped after "The following tests did not run:", e.g.
# "  12 - Suite.Name (Skipped)". A DISABLED_ test is declared in the source (e.g. the golden-file regeneration
# step) and is not a skip.
not_run="$(sed -n '/^The following tests did not run:/,/^[^[:space:]]/p' "$log" |
  sed -nE 's/^[[:space:]]+[0-9]+ - (.+) \(Skipped\)$/\1/p' | sort -u)"
# Every test carrying the gpu label, from ctest's listing ("  Test  #12: Suite.Name").
gpu="$(ctest --preset "$preset" -N -L '^gpu$' | sed -nE 's/^[[:space:]]*Test[[:space:]]+#[0-9]+: (.+)$/\1/p' | sort -u)"
unexpected="$(comm -23 <(printf '%s\n' "$not_run" | sed '/^$/d') <(printf '%s\n' "$gpu" | sed '/^$/d'))"
if [ -n "$unexpected" ]; then
  mapfile -t names <<<"$unexpected"
  echo "tranche CI: ${#names[@]} test(s) outside the gpu label did not run (a skip is not a pass):"
  printf '  %s\n' "${names[@]}"
  exit 1
fi
