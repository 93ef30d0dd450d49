#!/usr/bin/env python3
"""Times a PyTorch device-to-device copy (dst.copy_(src)) for the side-by-side with membw.copy.

Prints one JSON object. Bytes are counted the STREAM way (read + write = 2 x size), as membw.copy does, so the
two figures compare directly; nvbandwidth's device_local_copy would report half of this.
Usage: copy_vs_torch.py [--bytes N] [--samples N] [--warmup N] [--device N]
"""
import argparse
import json
import statistics
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bytes", type=int, default=1 << 30, help="bytes per tensor (default 1 GiB)")
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--device", type=int, default=0)
    args = ap.parse_args()
    try:
        import torch
    except ImportError:
        print(json.dumps({"error": "torch is not installed"}))
        return 2
    if not torch.cuda.is_available():
        print(json.dumps({"error": "no CUDA device"}))
        return 2
    dev = torch.device("cuda", args.device)
    n = args.bytes // 4
    src = torch.rand(n, dtype=torch.float32, device=dev)
    dst = torch.empty_like(src)
    for _ in range(args.warmup):
        dst.copy_(src)
    torch.cuda.synchronize(dev)
    times = []
    for _ in range(args.samples):
        start = torch.cuda.Event(enable_timing=True)
        stop = torch.cuda.Event(enable_timing=True)
        start.record()
        dst.copy_(src)
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop) * 1e-3)
    if not torch.equal(dst, src):
        print(json.dumps({"error": "copy result differs from source"}))
        return 1
    moved = 2 * n * 4
    bws = [moved / t for t in times]
    print(json.dumps({
        "tool": "torch dst.copy_(src)",
        "device": torch.cuda.get_device_name(dev),
        "torch": torch.__version__,
        "bytes_per_tensor": n * 4,
        "bytes_counted": moved,
        "counting": "read + write (STREAM)",
        "samples": len(times),
        "bandwidth_Bps_median": statistics.median(bws),
        "bandwidth_Bps_min": min(bws),
        "bandwidth_Bps_max": max(bws),
        "seconds_median": statistics.median(times),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
