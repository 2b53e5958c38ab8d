"""Benchmark: a seeds x learning-rates sweep as ONE vmapped, jitted computation vs a Python loop.

Run from the repository root::

    .venv/bin/python benchmarks/bench_sweep.py                 # MLP and CNN on digits
    .venv/bin/python benchmarks/bench_sweep.py --model mlp --seeds 5 --lrs 4 --steps 300

Three ways to train exactly the same runs, where run (key k, learning rate lr) is
``k_init, k_fit = jax.random.split(k); train.fit(init(k_init), X, y, key=k_fit, learning_rate=lr, ...)``:

* ``sweep (vmap)``: ``train.sweep`` -- all runs batched with ``jax.vmap`` in one ``jax.jit`` program;
* ``sweep (lax.map)``: ``train.sweep(..., vectorize=False)`` -- the runs one after another inside
  one compiled program;
* ``Python loop``: one ``train.fit`` call per run (``fit`` is itself a jitted ``lax.scan``,
  compiled once and reused by every run of the loop).

For each, the script reports the first call (compile + run) and a second identical call (run
only), in wall-clock and process CPU seconds, and checks that the sweep gives the loop's results:
the number of runs whose loss curves agree to 1e-4 at every step, and, for any others, the step
at which they part. Batched and unbatched programs add floating-point numbers in different orders;
the differences start at ~1e-7 and stay there unless a run is numerically unstable (a learning rate
at the edge of divergence), where they can grow. Timings on a shared machine are noisy: the load
average is printed; rerun when it is idle.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import numpy as np  # noqa: E402

from relulab import data, nets, train  # noqa: E402


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = jax.block_until_ready(fn())
    return out, time.perf_counter() - w, time.process_time() - c


def setup(model: str):
    if model == "mlp":
        d = data.digits(flat=True)

        def init(k):
            return nets.mlp_init(k, [64, 32, 10])

        return d, init, nets.mlp_apply
    d = data.digits()

    def init(k):
        return nets.cnn_init(k, (8, 8, 1), channels=(8, 16), n_out=10)

    return d, init, nets.cnn_apply


def bench(model: str, n_seeds: int, n_lrs: int, steps: int, batch_size: int | None) -> dict:
    d, init, apply = setup(model)
    seeds = list(range(n_seeds))
    keys = jax.vmap(jax.random.key)(np.arange(n_seeds))
    lrs = [float(v) for v in np.geomspace(0.02, 0.5, n_lrs)]
    kw = dict(apply=apply, activation="relu", steps=steps, batch_size=batch_size)

    def run_sweep(vectorize):
        return lambda: train.sweep(init, d.X_train, d.y_train, keys=keys, learning_rates=lrs, vectorize=vectorize, **kw)

    def run_loop():
        losses = np.zeros((n_seeds, n_lrs, steps))
        for i, key in enumerate(keys):
            k_init, k_fit = jax.random.split(key)
            for j, lr in enumerate(lrs):
                _, h = train.fit(init(k_init), d.X_train, d.y_train, key=k_fit, learning_rate=lr, **kw)
                losses[i, j] = np.asarray(h["loss"])
        return losses

    times, results = {}, {}
    for name, fn in [
        ("sweep (vmap)", run_sweep(True)),
        ("sweep (lax.map)", run_sweep(False)),
        ("Python loop", run_loop),
    ]:
        out, w1, c1 = timed(fn)
        _, w2, c2 = timed(fn)
        times[name] = (w1, c1, w2, c2)
        results[name] = out if isinstance(out, np.ndarray) else np.asarray(out[1]["loss"])

    agreement = {}
    reference = results["Python loop"]
    for name in ["sweep (vmap)", "sweep (lax.map)"]:
        diff = np.abs(results[name] - reference)  # (seed, lr, step)
        bad = diff > 1e-4 * np.maximum(1.0, np.abs(reference))
        parted = [
            (seeds[i], lrs[j], int(np.argmax(bad[i, j]))) for i, j in zip(*np.nonzero(bad.any(axis=-1)), strict=True)
        ]
        agreement[name] = dict(
            agree=int((~bad.any(axis=-1)).sum()),
            parted=parted,
            first_step_diff=float(diff[..., 0].max()),
            median_diff=float(np.median(diff)),
        )
    return dict(model=model, runs=n_seeds * n_lrs, steps=steps, batch_size=batch_size, times=times, agreement=agreement)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", choices=["mlp", "cnn", "both"], default="both")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--lrs", type=int, default=4)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--batch-size", type=int, default=64, help="0 for full batch")
    args = ap.parse_args()
    print(f"jax {jax.__version__}, {os.cpu_count()} CPUs, load average {os.getloadavg()}")
    models = ["mlp", "cnn"] if args.model == "both" else [args.model]
    for model in models:
        r = bench(model, args.seeds, args.lrs, args.steps, args.batch_size or None)
        print(
            f"\n{model.upper()} on digits: {r['runs']} runs ({args.seeds} seeds x {args.lrs} learning rates "
            f"0.02..0.5), {r['steps']} steps, batch {r['batch_size'] or 'full'}"
        )
        print(f"  {'':18s}{'compile+run wall':>17s}{'cpu':>8s}{'run-only wall':>15s}{'cpu':>8s}")
        for name, (w1, c1, w2, c2) in r["times"].items():
            print(f"  {name:18s}{w1:17.2f}{c1:8.2f}{w2:15.2f}{c2:8.2f}")
        loop = r["times"]["Python loop"]
        for name in ["sweep (vmap)", "sweep (lax.map)"]:
            t = r["times"][name]
            print(
                f"  {name} vs Python loop: speed-up x{loop[0] / t[0]:.2f} (compile + run), "
                f"x{loop[2] / t[2]:.2f} (run only), wall clock"
            )
        for name, a in r["agreement"].items():
            print(
                f"  {name}: {a['agree']}/{r['runs']} runs agree with the loop to 1e-4 at every step "
                f"(max difference at step 0: {a['first_step_diff']:.1e}, median over all: {a['median_diff']:.1e})"
            )
            for s, lr, t in a["parted"]:
                print(
                    f"      seed {s}, learning rate {lr:.3g}: curves part at step {t} "
                    "(rounding differences amplified by training)"
                )
    print(f"\nload average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
