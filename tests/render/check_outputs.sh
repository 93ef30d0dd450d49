#!/usr/bin/env bash
# Renders every fixture report in one format and checks it with the tool that consumes that format:
#   junit_xmllint: xmllint --schema tests/render/junit.xsd, plus suite counts equal to their testcases
#   prom_promtool: promtool check metrics (Prometheus's own parser and linter), plus no duplicate series
#   csv_reader:    Python's csv module reads every row back with the header's field count; escaped fields
#                  come back exactly as the report has them
# A missing tool is a failure (scripts/install-deps.sh installs xmllint, promtool, python3).
# Usage: check_outputs.sh CHECK TRANCHE_BINARY FIXTURE_DIR OUT_DIR
set -euo pipefail
check="$1" tranche="$2" fixtures="$3" out="$4"
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$out"
mkdir -p "$out"
need() {
  command -v "$1" >/dev/null 2>&1 || { echo "FAIL: $1 not found: run scripts/install-deps.sh ($2)" >&2; exit 1; }
}
reports=(node node-escape rack tranche compare)

case "$check" in
  junit_xmllint)
    need xmllint libxml2-utils
    need python3 python3
    for r in "${reports[@]}"; do
      "$tranche" render "$fixtures/$r.json" --format junit -o "$out/$r.xml"
      xmllint --noout --schema "$here/junit.xsd" "$out/$r.xml"
      python3 - "$out/$r.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
total = 0
for s in root.iter("testsuite"):
    cases = s.findall("testcase")
    total += len(cases)
    for attr, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        n = sum(1 for c in cases if c.find(tag) is not None)
        assert int(s.get(attr)) == n, f"{sys.argv[1]}: suite {attr}={s.get(attr)} but {n} testcases have <{tag}>"
    assert int(s.get("tests")) == len(cases), f"{sys.argv[1]}: tests={s.get('tests')} but {len(cases)} testcases"
assert int(root.get("tests")) == total, f"{sys.argv[1]}: testsuites tests={root.get('tests')} but {total}"
assert total > 0, f"{sys.argv[1]}: no testcase"
PY
    done
    # The failing GPU's gemm.bf16 testcase fails with the verdict's reason as its message.
    grep -q 'classname="tranche.gpu00017.gpu1" name="gemm.bf16"' "$out/node.xml"
    python3 - "$out/node.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
case = [c for c in root.iter("testcase") if c.get("classname") == "tranche.gpu00017.gpu1" and c.get("name") == "gemm.bf16"]
assert len(case) == 1, "one testcase for gemm.bf16 on GPU 1"
f = case[0].find("failure")
assert f is not None and "gemm.bf16/flops" in f.get("message"), f"failure message: {f.get('message') if f is not None else None}"
PY
    # The reason with quotes, <, >, & and a newline survives XML escaping exactly.
    python3 - "$out/node-escape.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
texts = [c.find("failure").text or "" for c in root.iter("testcase") if c.find("failure") is not None]
assert any('slow "bf16" <b>GPU</b> & more, see C:\\logs\nsecond line' in t for t in texts), texts
assert root.find("testsuite").get("hostname") == 'gpu-017 "lab" <a&b>, c\\d'
PY
    ;;
  prom_promtool)
    need promtool prometheus
    need python3 python3
    for r in node node-escape rack tranche; do
      "$tranche" render "$fixtures/$r.json" --format prom -o "$out/$r.prom"
      promtool check metrics <"$out/$r.prom"
      dups=$(grep -v '^#' "$out/$r.prom" | sed 's/ [^ ]*$//' | sort | uniq -d | head -3)
      [ -z "$dups" ] || { echo "FAIL: $r.prom repeats series: $dups" >&2; exit 1; }
    done
    # dcgm-exporter's label names, and the escaped host name, label value and NVML-form bus id.
    grep -q '^tranche_check_verdict{Hostname="gpu00017",gpu="[0-9]*",UUID="GPU-[^"]*",pci_bus_id="00000000:[^"]*",serial="[^"]*",check="gemm.bf16",outcome="fail"} 5$' "$out/node.prom"
    grep -qF 'Hostname="gpu-017 \"lab\" <a&b>, c\\d"' "$out/node-escape.prom"
    grep -qF 'sensor="board \"A\" \\ <1>,\n2 & 3"' "$out/node-escape.prom"
    # A compare report has no Prometheus form: a one-line error and exit 64, nothing written.
    set +e
    "$tranche" render "$fixtures/compare.json" --format prom -o "$out/compare.prom" 2>"$out/compare.err"
    rc=$?
    set -e
    [ "$rc" = 64 ] && [ ! -e "$out/compare.prom" ] && grep -q "compare report has no Prometheus form" "$out/compare.err"
    ;;
  csv_reader)
    need python3 python3
    for r in "${reports[@]}"; do
      "$tranche" render "$fixtures/$r.json" --format csv -o "$out/$r.csv"
      python3 - "$out/$r.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f, strict=True))
assert len(rows) > 1, f"{sys.argv[1]}: no data row"
for i, row in enumerate(rows):
    assert len(row) == len(rows[0]), f"{sys.argv[1]}: row {i} has {len(row)} fields, header {len(rows[0])}"
PY
    done
    python3 - "$out/node-escape.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f:
    rows = list(csv.DictReader(f, strict=True))
assert {r["host"] for r in rows} == {'gpu-017 "lab" <a&b>, c\\d'}, {r["host"] for r in rows}
assert any(r["labels"] == 'sensor=board "A" \\ <1>,\n2 & 3' for r in rows)
assert any(r["message"] == 'slow "bf16" <b>GPU</b> & more, see C:\\logs\nsecond line' for r in rows)
PY
    ;;
  *)
    echo "usage: check_outputs.sh junit_xmllint|prom_promtool|csv_reader TRANCHE FIXTURES OUT" >&2
    exit 64
    ;;
esac
echo "render.$check: ok"
