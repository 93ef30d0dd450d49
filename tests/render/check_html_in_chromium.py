#!/usr/bin/env python3
"""Renders every fixture report as HTML and loads each page in headless Chromium (Debian's chromium package):
the page must raise no error (its own hooks record uncaught errors, rejected promises and console.error into
#tranche-errors), every chart must be drawn (an SVG with non-zero size, measured by the page in the browser), and
the expected charts must be there. A screenshot of each page is written next to it. A page with a planted
console.error must be caught, so the check is shown able to fail. A missing chromium fails the test.

Usage: check_html_in_chromium.py TRANCHE_BINARY FIXTURE_DIR OUT_DIR
"""
import html.parser
import os
import shutil
import subprocess
import sys

EXPECTED_CHARTS = {
    "node": {"chart-ratio", "chart-nccl", "chart-p2p", "chart-burnin"},
    "node-escape": {"chart-ratio", "chart-nccl", "chart-p2p", "chart-burnin"},
    "rack": {"chart-rack-heatmap"},
    "tranche": {"chart-tranche-racks"},
    "compare": {"chart-compare"},
}
BUDGET_MS = "30000"


class Page(html.parser.HTMLParser):
    """What the test reads back from the dumped DOM."""

    def __init__(self):
        super().__init__()
        self.charts = {}  # id -> (width, height)
        self.done = None
        self.errors = ""
        self._in_errors = False
        self.bold = 0  # <b> elements: none may come from report text

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.done = a.get("data-charts-done")
        if tag == "div" and "chart" in (a.get("class") or "").split():
            self.charts[a.get("id")] = (int(a.get("data-width") or 0), int(a.get("data-height") or 0))
        if tag == "pre" and a.get("id") == "tranche-errors":
            self._in_errors = True
        if tag == "b":
            self.bold += 1

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in_errors = False

    def handle_data(self, data):
        if self._in_errors:
            self.errors += data


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("FAIL: chromium not found: run scripts/install-deps.sh (Debian package chromium)")


def browse(browser, page, *extra):
    cmd = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--hide-scrollbars",
           "--disable-dev-shm-usage", f"--virtual-time-budget={BUDGET_MS}", *extra, "file://" + os.path.abspath(page)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def load(browser, page):
    run = browse(browser, page, "--dump-dom")
    if run.returncode != 0 or "<body" not in run.stdout:
        sys.exit(f"FAIL: chromium could not load {page} (exit {run.returncode}): {run.stderr[-2000:]}")
    p = Page()
    p.feed(run.stdout)
    return p


def problems(name, p):
    out = []
    if p.errors.strip():
        out.append(f"{name}: errors in the page: {p.errors.strip()}")
    if p.done != str(len(p.charts)):
        out.append(f"{name}: charts not all drawn (data-charts-done={p.done}, {len(p.charts)} charts)")
    for cid, (w, h) in sorted(p.charts.items()):
        if w <= 0 or h <= 0:
            out.append(f"{name}: chart {cid} drawn {w}x{h}")
    return out


def main():
    tranche, fixtures, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    browser = chromium()
    failures = []
    for name, charts in EXPECTED_CHARTS.items():
        page = os.path.join(out, name + ".html")
        subprocess.run([tranche, "render", os.path.join(fixtures, name + ".json"), "--format", "html", "-o", page],
                       check=True)
        p = load(browser, page)
        failures += problems(name, p)
        if set(p.charts) != charts:
            failures.append(f"{name}: charts {sorted(p.charts)}, expected {sorted(charts)}")
        if p.bold:
            failures.append(f"{name}: {p.bold} <b> elements: report text was not escaped")
        shot = os.path.join(out, name + ".png")
        if os.path.exists(shot):
            os.remove(shot)
        browse(browser, page, f"--screenshot={shot}", "--window-size=1400,2400")
        if not os.path.exists(shot) or os.path.getsize(shot) < 1000:
            failures.append(f"{name}: no screenshot at {shot}")
        print(f"{name}: {len(p.charts)} charts drawn " +
              ", ".join(f"{c} {w}x{h}" for c, (w, h) in sorted(p.charts.items())) + f"; screenshot {shot}")

    # The check itself must be able to fail: a planted console.error has to show up.
    with open(os.path.join(out, "node.html"), encoding="utf-8") as f:
        text = f.read()
    planted = os.path.join(out, "planted-error.html")
    with open(planted, "w", encoding="utf-8") as f:
        f.write(text.replace("</body>", "<script>console.error('planted')</script></body>"))
    if not any("planted" in x for x in problems("planted", load(browser, planted))):
        failures.append("a page with a planted console.error passed the check")

    if failures:
        print("FAIL:\n" + "\n".join(failures), file=sys.stderr)
        return 1
    print("render.html_chromium: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
