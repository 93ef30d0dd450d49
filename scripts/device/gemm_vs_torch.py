#!/usr/bin/env python3
"""Times torch.matmul bf16/fp16 at 8192^3 the way tranche's gemm checks do, for a side-by-side run on a GPU node.

CUDA events around groups of back-to-back products, rotating input sets (so L2 cannot serve them), warm-up
excluded, median/min/max/cv of N samples. Prints one JSON object; records nothing. Usage:
    python3 scripts/device/gemm_vs_torch.py [--size 8192] [--samples 30] [--sample-s 0.025] [--device 0]
Compare with: tranche run --checks gemm.bf16,gemm.fp16 (same size, samples and sample_s).
"""
import argparse
import json
import statistics
import sys


def time_dtype(torch, dtype, n, samples, sample_s, warmup_s, device):
    l2 = getattr(torch.cuda.get_device_properties(device), "L2_cache_size", 64 << 20)
    elem = torch.tensor([], dtype=dtype).element_size()
    set_bytes = 3 * n * n * elem
    sets = max(2, -(-4 * l2 // set_bytes))
    # Inputs uniform in [-1, 1] as tranche draws them; TN: A is used transposed, as cuBLASLt's TN form.
    a = [torch.empty(n, n, dtype=dtype, device=device).uniform_(-1, 1) for _ in range(sets)]
    b = [torch.empty(n, n, dtype=dtype, device=device).uniform_(-1, 1) for _ in range(sets)]
    d = [torch.empty(n, n, dtype=dtype, device=device) for _ in range(sets)]
    count = [0]

    def one():
        i = count[0] % sets
        torch.matmul(a[i].t(), b[i], out=d[i])
        count[0] += 1

    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    one()
    start.record()
    for _ in range(3):
        one()
    stop.record()
    torch.cuda.synchronize(device)
    per = start.elapsed_time(stop) / 3 / 1e3
    iterations = max(1, round(sample_s / per))
    for _ in range(max(1, round(warmup_s / per))):
        one()
    events = []
    for _ in range(samples):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        for _ in range(iterations):
            one()
        e.record()
        events.append((s, e))
    torch.cuda.synchronize(device)
    rates = [2.0 * n * n * n * iterations / (s.elapsed_time(e) / 1e3) for s, e in events]
    mean = statistics.fmean(rates)
    return {
        "flops_median": statistics.median(rates),
        "flops_min": min(rates),
        "flops_max": max(rates),
        "cv": statistics.stdev(rates) / mean if len(rates) > 1 and mean else None,
        "n": len(rates),
        "iterations_per_sample": iterations,
        "rotation_sets": sets,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=8192)
    p.add_argument("--samples", type=int, default=30)
    p.add_argument("--sample-s", type=float, default=0.025)
    p.add_argument("--warmup-s", type=float, default=0.2)
    p.add_argument("--device", type=int, default=0)
    args = p.parse_args()
    try:
        import torch
    except ImportError:
        print(json.dumps({"error": "PyTorch is not installed"}))
        return 2
    if not torch.cuda.is_available():
        print(json.dumps({"error": "no CUDA device"}))
        return 2
    torch.cuda.set_device(args.device)
    # Keep PyTorch from lowering the fp16/bf16 reductions: the same fp32 accumulation as tranche.
    torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction = False
    torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction = False
    out = {
        "tool": "torch.matmul",
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "device": torch.cuda.get_device_name(args.device),
        "m": args.size, "n": args.size, "k": args.size,
        "results": {},
    }
    for name, dtype in (("bf16", torch.bfloat16), ("fp16", torch.float16)):
        out["results"][name] = time_dtype(torch, dtype, args.size, args.samples, args.sample_s, args.warmup_s,
                                          args.device)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
