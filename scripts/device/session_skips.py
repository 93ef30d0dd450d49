#!/usr/bin/env python3
"""Fails a GPU session whose GPU tests skipped: every skip must be a test that needs more GPUs than the machine has.

Reads ctest's JUnit file (ctest --output-junit) with the standard library only (the GPU machine has no extra
packages). A skip counts as expected when the test's output carries the marker that tests/gpu/gpu_test_util.h's
TRANCHE_REQUIRE_GPUS prints. Exit 0 when at least one test ran and every skip is expected, 1 otherwise.
Usage: session_skips.py GPU_TESTS.junit.xml
"""
import sys
import xml.etree.ElementTree as ET

MARKER = "tranche-skip: needs more GPUs"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: session_skips.py GPU_TESTS.junit.xml")
    ran, expected, unexpected = 0, 0, []
    for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
        skipped = case.find("skipped") is not None or case.get("status") in ("notrun", "disabled")
        if not skipped:
            ran += 1
            continue
        output = case.findtext("system-out") or ""
        if MARKER in output:
            expected += 1
        else:
            unexpected.append(case.get("name", "?"))
    print("gpu tests: %d ran, %d skipped as needing more GPUs, %d skipped otherwise" % (ran, expected, len(unexpected)))
    for name in unexpected:
        print("  skipped without a GPU-count reason: %s" % name)
    if ran == 0:
        print("no GPU test ran")
    sys.exit(1 if unexpected or ran == 0 else 0)


if __name__ == "__main__":
    main()
