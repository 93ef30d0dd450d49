#!/usr/bin/env python3
"""A stand-in for `tranche __worker run PID` in the supervisor unit tests: reads the job from stdin and answers on
fd 3 with the worker's JSON lines, treating every check as gpu-scoped. FAKE_WORKER_HANG=CHECK:GPU never
returns from that slot; FAKE_WORKER_CRASH=CHECK aborts in that check; FAKE_WORKER_TEMPLATE is a measurement
(tranche's own to_json) copied for every result."""
import json
import os
import sys
import time

job = json.load(sys.stdin)
out = os.fdopen(3, "w", buffering=1)
template = json.loads(os.environ["FAKE_WORKER_TEMPLATE"])
hang = os.environ.get("FAKE_WORKER_HANG", "")
crash = os.environ.get("FAKE_WORKER_CRASH", "")
done = {(c, g) for c, g in job["done"]}
gpus = job["plan"]["gpus"]


def emit(event):
    out.write(json.dumps(event) + "\n")


for item in job["plan"]["items"]:
    check = item["check"]
    for gpu in gpus:
        if (check, gpu) in done:
            continue
        emit({"event": "check_start", "check": check, "gpu": gpu, "timeout_s": item["timeout_s"]})
    for gpu in gpus:
        if (check, gpu) in done:
            continue
        if hang == f"{check}:{gpu}":
            while True:
                time.sleep(3600)
        if crash == check:
            os.abort()
        m = dict(template, check_id=check, device=gpu)
        emit({"event": "measurement", "measurement": m})
        emit({"event": "check_end", "check": check, "gpu": gpu, "status": "ok", "duration_s": 0, "error": None})
emit({"event": "worker_done"})
