"""Benchmark: exact activation-region counting of 2-input ReLU networks (relulab.regions).

Run from the repository root::

    .venv/bin/python benchmarks/bench_regions.py                  # default table
    .venv/bin/python benchmarks/bench_regions.py --repeats 5 --seeds 3

Networks are random, He-normal weights (variance 2 / fan_in) and N(0, 0.5^2) biases (nonzero
biases; with zero biases every region is a cone through the origin and counts are tiny), float64,
counted in the box [-2, 2]^2 with ``count_regions_2d``. For each architecture the script reports
the number of regions, the median wall-clock time and the median process CPU time over
``--repeats`` calls (and seeds), and the regions counted per second.

The target from the issue: a 2 -> 64 -> 64 -> 1 network in under 1 s on this machine. Timings on
a shared machine are noisy: the load average is printed, and the CPU time is closer to what an idle
machine would show; rerun when it is idle.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from relulab.nets import random_mlp
from relulab.regions import arrangement_bound, count_regions_2d

BOX = (-2.0, 2.0, -2.0, 2.0)


def bench(sizes: list[int], seeds: int, repeats: int) -> dict:
    walls, cpus, counts = [], [], []
    for seed in range(seeds):
        params = random_mlp(seed, sizes, bias_std=0.5)
        for _ in range(repeats):
            w, c = time.perf_counter(), time.process_time()
            n = count_regions_2d(params, BOX)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
        counts.append(n)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    return {
        "sizes": sizes,
        "neurons": sum(sizes[1:-1]),
        "regions": float(np.mean(counts)),
        "wall": wall,
        "cpu": cpu,
        "rate": float(np.mean(counts)) / max(cpu, 1e-9),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="calls per network (median)")
    parser.add_argument("--seeds", type=int, default=2, help="random networks per architecture")
    args = parser.parse_args()

    width_sweep = [[2, w, w, 1] for w in (8, 16, 32, 64, 96)]
    depth_sweep = [[2] + [32] * d + [1] for d in (1, 2, 3, 4, 6)]
    target = [2, 64, 64, 1]

    print(f"load average (1, 5, 15 min): {os.getloadavg()}")
    print(f"box {BOX}; {args.seeds} random networks x {args.repeats} calls each; medians\n")
    header = "| architecture | hidden neurons | regions (mean) | wall [s] | CPU [s] | regions / CPU s |"
    rule = "|---|---:|---:|---:|---:|---:|"
    for title, sweep in (("width (two hidden layers)", width_sweep), ("depth (width 32)", depth_sweep)):
        print(f"time against {title}\n\n{header}\n{rule}")
        for sizes in sweep:
            r = bench(sizes, args.seeds, args.repeats)
            arch = "-".join(str(s) for s in sizes)
            print(
                f"| {arch} | {r['neurons']} | {r['regions']:.0f} | {r['wall']:.3f} | {r['cpu']:.3f} | {r['rate']:.0f} |"
            )
        print()
    r = bench(target, args.seeds, args.repeats)
    verdict = "PASS" if r["wall"] < 1.0 else "FAIL"
    print(
        f"target 2-64-64-1: {r['regions']:.0f} regions (one-layer bound for 128 units: "
        f"{arrangement_bound(128)}), median wall {r['wall']:.3f} s, CPU {r['cpu']:.3f} s "
        f"-> {verdict} (< 1 s wall)"
    )


if __name__ == "__main__":
    main()
