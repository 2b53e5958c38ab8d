"""Benchmark: live steps and website frames of relulab.interactive figures.

Run from the repository root::

    .venv/bin/python benchmarks/bench_interactive.py [--repeats 60] [--json out.json]
    .venv/bin/python benchmarks/bench_interactive.py --pages chapters/two-layer.md [...]

For each representative figure it moves the controls through the grid, as a
reader dragging a slider would, and times one live step: ``update(**values)``
(a jitted JAX compute and in-place artist updates) plus the redraw and PNG
encode that the ipywidgets view sends to the browser. It reports the median
and 90th percentile, the same step with a full (non-blitted) draw for
comparison, how many steps were blitted, the build-time cost of one website
frame, and the bytes of the website player: its frames, and its HTML raw and
gzipped. The target is a median live step of at most 16 ms (wall clock). The
CPU time of the process is printed too: on a crowded machine it is closer to
what an idle one would show. Timings on a shared machine are noisy: the script
also prints the load average; rerun it when the machine is idle.

With ``--pages``, it executes the given chapters instead (fresh kernel each, as
the book build does) and reports every interactive player they display: grid,
frames, unique frames, bytes of the frames, and the player's HTML raw and
gzipped; plus the bytes of the chapter's static PNG figures. Those are the
bulk of a page's weight.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import itertools
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from relulab.interactive import FRAME_DPI, LIVE_DPI, interactive_figure  # noqa: E402
from relulab.plots import figure, series_style  # noqa: E402

X = np.linspace(-3.0, 3.0, 601)


def leaky_setup():
    """Leaky ReLU with slope a and shift b, and its derivative (two panels)."""
    x = jnp.asarray(X)

    @jax.jit
    def compute(slope, bias):
        y = jnp.where(x > 0, x, slope * x) + bias
        dy = jnp.where(x > 0, 1.0, slope)
        return y, dy

    def setup():
        fig, (ax1, ax2) = figure(1, 2, figsize=(7.0, 3.0))
        y, dy = compute(0.0, 0.0)
        (l1,) = ax1.plot(X, np.asarray(y), label="f(x)", **series_style(0))
        (l2,) = ax2.plot(X, np.asarray(dy), label="f'(x)", **series_style(1))
        ax1.set(ylim=(-4, 4), title="leaky ReLU", xlabel="x")
        ax2.set(ylim=(-0.1, 1.1), title="derivative", xlabel="x")
        ax1.legend(loc="upper left")

        def update(slope, bias):
            y, dy = compute(slope, bias)
            l1.set_ydata(np.asarray(y))
            l2.set_ydata(np.asarray(dy))

        return fig, update

    controls = {"slope": np.linspace(0.0, 1.0, 11), "bias": np.linspace(-1.0, 1.0, 9)}
    return setup, controls


def net_setup():
    """Output of a 2-16-1 ReLU network on a 120x120 input grid (heatmap + contour-free)."""
    key = jax.random.PRNGKey(0)
    k1, k2 = jax.random.split(key)
    w1 = jax.random.normal(k1, (2, 16))
    w2 = jax.random.normal(k2, (16, 1)) / 4.0
    g = jnp.linspace(-2.0, 2.0, 120)
    xy = jnp.stack(jnp.meshgrid(g, g), axis=-1).reshape(-1, 2)

    @jax.jit
    def compute(scale, shift):
        h = jax.nn.relu(xy @ (scale * w1) + shift)
        return (h @ w2).reshape(120, 120)

    def setup():
        fig, ax = figure(figsize=(4.0, 3.5))
        im = ax.imshow(
            np.asarray(compute(1.0, 0.0)), extent=(-2, 2, -2, 2), origin="lower", vmin=-3, vmax=3, cmap="RdBu_r"
        )
        fig.colorbar(im, ax=ax)
        ax.set(title="2-16-1 ReLU network", xlabel="x1", ylabel="x2")

        def update(scale, shift):
            im.set_data(np.asarray(compute(scale, shift)))

        return fig, update

    controls = {"scale": np.linspace(0.25, 2.0, 8), "shift": np.linspace(-1.0, 1.0, 9)}
    return setup, controls


def bench(name, make, repeats):
    setup, controls = make()
    f = interactive_figure(setup, controls, alt=name)
    points = list(itertools.product(*controls.values()))
    rng = np.random.default_rng(0)
    order = [points[i] for i in rng.integers(0, len(points), size=repeats + 5)]
    names = list(controls)

    def step(vals):
        t0, c0 = time.perf_counter(), time.process_time()
        f.live_update(**dict(zip(names, map(float, vals), strict=True)))
        return time.perf_counter() - t0, time.process_time() - c0

    for vals in order[:5]:  # warm-up: jit compile, first background
        step(vals)
    live, cpu = zip(*[step(vals) for vals in order[5:]], strict=True)

    def full_step(vals):
        t0 = time.perf_counter()
        f.update(**dict(zip(names, map(float, vals), strict=True)))
        f.render(LIVE_DPI, blit=False)
        return time.perf_counter() - t0

    redraws = dict(f.redraws)
    full = [full_step(vals) for vals in order[5 : 5 + max(10, repeats // 3)]]

    t0, c0 = time.perf_counter(), time.process_time()
    page = f.to_html()  # renders and encodes every frame of the grid
    frame_time = (time.perf_counter() - t0) / len(points)
    frame_cpu = (time.process_time() - c0) / len(points)
    frames = set(f.frames)
    ms = lambda v: round(1e3 * v, 1)  # noqa: E731
    return {
        "figure": name,
        "grid": "x".join(str(len(v)) for v in controls.values()),
        "live_median_ms": ms(statistics.median(live)),
        "live_p90_ms": ms(float(np.percentile(live, 90))),
        "live_cpu_median_ms": ms(statistics.median(cpu)),
        "full_draw_median_ms": ms(statistics.median(full)),
        "frame_mean_ms": ms(frame_time),
        "frame_cpu_mean_ms": ms(frame_cpu),
        "frame_dpi": FRAME_DPI,
        "live_dpi": LIVE_DPI,
        "live_steps_blitted": redraws["blitted"],
        "live_steps_full": redraws["full"],
        "frames": len(points),
        "unique_frames": len(frames),
        "frame_bytes": sum(map(len, frames)),
        "html_bytes": len(page.encode()),
        "html_gzip_bytes": len(gzip.compress(page.encode(), 9)),
    }


def players_of(path: Path) -> tuple[float, list[dict], int]:
    """Execute a chapter in a fresh kernel; the players it displays and its static PNG bytes."""
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(path)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    client.execute(env=dict(os.environ, JAX_PLATFORMS="cpu"))
    seconds = time.perf_counter() - t0
    players, png_bytes = [], 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            page = "".join(data.get("text/html", ""))
            if 'data-relulab-interactive="player"' not in page:
                if "image/png" in data:
                    png_bytes += len(base64.b64decode(data["image/png"]))
                continue
            payload = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S).group(1))
            frames = [base64.b64decode(b) for b in payload["frames"]]
            players.append(
                {
                    "grid": "x".join(map(str, payload["shape"])),
                    "frames": len(payload["index"]),
                    "unique_frames": len(frames),
                    "frame_bytes": sum(map(len, frames)),
                    "html_bytes": len(page.encode()),
                    "html_gzip_bytes": len(gzip.compress(page.encode(), 9)),
                }
            )
    return seconds, players, png_bytes


def pages(paths: list[str]) -> list[dict]:
    out = []
    for name in paths:
        seconds, players, png_bytes = players_of(Path(name).resolve())
        print(f"{name}: executed in {seconds:.0f} s; static PNG figures {png_bytes / 1e3:.0f} kB")
        for i, p in enumerate(players):
            print(
                f"  player {i}: grid {p['grid']} ({p['frames']} frames, {p['unique_frames']} unique): "
                f"frames {p['frame_bytes'] / 1e3:.0f} kB, HTML {p['html_bytes'] / 1e3:.0f} kB, "
                f"gzipped {p['html_gzip_bytes'] / 1e3:.0f} kB"
            )
        out.append({"page": name, "seconds": seconds, "players": players, "png_bytes": png_bytes})
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="CHAPTER.md",
        help="execute these chapters and report the bytes of their players instead",
    )
    args = parser.parse_args(argv)
    if args.pages:
        results = pages(args.pages)
        if args.json:
            with open(args.json, "w") as fh:
                json.dump(results, fh, indent=2)
        return 0
    load = os.getloadavg()
    results = [
        bench("leaky ReLU + derivative", leaky_setup, args.repeats),
        bench("2-layer net heatmap", net_setup, args.repeats),
    ]
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs (timings are noisy)")
    for r in results:
        ok = "OK" if r["live_median_ms"] <= 16 else "OVER TARGET"
        print(
            f"{r['figure']:<26} grid {r['grid']:<5} live step median {r['live_median_ms']:6.1f} ms "
            f"(p90 {r['live_p90_ms']:.1f}; CPU time {r['live_cpu_median_ms']:.1f}) [{ok}: <= 16 ms]; "
            f"{r['live_steps_blitted']} of {r['live_steps_blitted'] + r['live_steps_full']} steps blitted; "
            f"full draw {r['full_draw_median_ms']:.1f} ms"
        )
        print(
            f"{'':<26} website: {r['frames']} frames ({r['unique_frames']} unique) at {r['frame_dpi']:g} dpi, "
            f"{r['frame_mean_ms']:.0f} ms each to render and encode (CPU {r['frame_cpu_mean_ms']:.0f}); "
            f"frames {r['frame_bytes'] / 1e3:.0f} kB, "
            f"player HTML {r['html_bytes'] / 1e3:.0f} kB, gzipped {r['html_gzip_bytes'] / 1e3:.0f} kB"
        )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"load": load, "results": results}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
