"""Benchmark: the explorables in Chromium (relulab.explorables), the figures of issue 27.

Run from the repository root (after ``make book`` for the page weight)::

    .venv/bin/python benchmarks/bench_explorables.py
    .venv/bin/python benchmarks/bench_explorables.py --moves 600 --repeats 100

It reports

* **redraw per pointer move**, 1-10-10-1 "Move one neuron": the mouse drags a kink handle (real pointer
  events from Chromium's input pipeline); for each ``pointermove`` the time from the event reaching the
  page to the end of its handler (exact breakpoints, every layer at the knots, the SVG paths and handles,
  the readouts) plus the style and layout it forces; median, 95th percentile and maximum (target: p95
  <= 4 ms);
* **regions**, 2-16-16-1 "Activation regions" in [-2, 2]^2: ``core.regions2d`` alone and a full redraw
  after a weight slider's ``input`` event (the polygons as SVG paths, the readouts, layout); median and
  95th percentile (target <= 16 ms), with the number of regions;
* **core CPU time** in Node (process CPU time, so less sensitive to the machine's load than the wall
  times above): ``regions2d`` for the 2-16-16-1 network and ``breakpoints1d`` for the 1-10-10-1;
* **code size**, gzipped (level 9): each view's own module, the shared modules (core, ui, host), and each
  view as the website loads it (view + core + ui + host; target <= 25 kB each);
* **page weight** of the two-layer chapter as loaded, as a gzipping server sends it (the browser suite's
  measure: every file the page loads, text gzipped at level 6; target <= 0.8 MB), if the book is built.

Timings on a shared 2-core machine are noisy: the load average is printed; rerun when it is low.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

from relulab import explorables, nets, regions

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

VIEWS = ["two_layer.mjs", "regions.mjs", "activations.mjs"]
SHARED = ["core.mjs", "ui.mjs", "host.mjs"]

MOVE_JS = """(sel) => {
  const handle = document.querySelector(sel);
  window.__moves = [];
  let t0 = 0;
  document.addEventListener('pointermove', () => { t0 = performance.now(); }, {capture: true});
  handle.addEventListener('pointermove', () => {
    queueMicrotask(() => { document.body.getBoundingClientRect(); window.__moves.push(performance.now() - t0); });
  });
}"""

REGIONS_JS = """async ({repeats}) => {
  const core = await import('./explorables/core.mjs');
  const root = document.querySelector('[data-relulab-explorable="regions"]');
  const {params, box} = root.relulabModel.state;
  const alone = [];
  let n = 0;
  for (let i = 0; i < repeats; i++) {
    const t = performance.now(); n = core.regions2d(params, box).length; alone.push(performance.now() - t);
  }
  const slider = root.querySelectorAll('input[type=range]')[2];
  const full = [];
  for (let i = 0; i < repeats; i++) {
    slider.value = String(+slider.min + (+slider.max - +slider.min) * (0.4 + 0.2 * (i % 2)));
    const t = performance.now();
    slider.dispatchEvent(new Event('input', {bubbles: true}));
    document.body.getBoundingClientRect();
    full.push(performance.now() - t);
  }
  return {alone, full, n, shown: root.querySelector('.rl-count').textContent};
}"""


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def code_sizes() -> None:
    gz = {name: len(gzip.compress(explorables.source(name).encode(), 9)) for name in VIEWS + SHARED}
    shared = sum(gz[s] for s in SHARED)
    print("code size, gzipped (level 9):")
    for s in SHARED:
        print(f"  {s:<18} {gz[s] / 1000:6.1f} kB (shared)")
    for v in VIEWS:
        bundle = len(gzip.compress(explorables.bundle(v).encode(), 9))
        print(
            f"  {v:<18} {gz[v] / 1000:6.1f} kB own; {(gz[v] + shared) / 1000:6.1f} kB with core+ui+host as the "
            f"website loads it; {bundle / 1000:6.1f} kB as the widget's bundle"
        )


def browser_timings(moves: int, repeats: int) -> None:
    from playwright.sync_api import sync_playwright
    from relulab_browser import CHROMIUM, CHROMIUM_ARGS, start_server

    rng = np.random.default_rng(0)
    one = nets.random_mlp(rng, [1, 10, 10, 1])
    two = nets.random_mlp(rng, [2, 16, 16, 1])
    ws = [explorables.MoveOneNeuron(one, -3.0, 3.0), explorables.ActivationRegions(two, (-2.0, 2.0, -2.0, 2.0))]
    with tempfile.TemporaryDirectory() as tmp:
        explorables.copy_modules(Path(tmp) / "explorables")
        (Path(tmp) / "index.html").write_text(explorables.standalone_page([w.to_html() for w in ws]))
        server = start_server(Path(tmp))
        try:
            with sync_playwright() as pw:
                b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
                page = b.new_page(viewport={"width": 900, "height": 900})
                page.goto(server.url, wait_until="load")
                page.wait_for_function(
                    "() => [...document.querySelectorAll('[data-relulab-explorable]')].every(e => e.dataset.relulabReady)"
                )
                sel = '[data-relulab-explorable="two_layer"] [aria-label="kink of first-layer unit u1"]'
                page.evaluate(MOVE_JS, sel)
                handle = page.locator(sel)
                handle.scroll_into_view_if_needed()
                box = handle.bounding_box()
                x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
                page.mouse.move(x, y)
                page.mouse.down()
                span = 250
                for k in range(moves):
                    page.mouse.move(x + span * np.sin(2 * np.pi * k / 100) * (0.2 + 0.8 * (k % 2)), y)
                page.mouse.up()
                t = page.evaluate("() => window.__moves")
                print(
                    f"1-10-10-1 pointer move (recompute + redraw + layout), {len(t)} moves "
                    f"({regions.count_pieces_1d(one, -3.0, 3.0)} pieces at the start): "
                    f"median {statistics.median(t):.2f} ms, p95 {pct(t, 95):.2f} ms, max {max(t):.2f} ms (target p95 <= 4 ms)"
                )
                r = page.evaluate(REGIONS_JS, {"repeats": repeats})
                print(
                    f"2-16-16-1 regions in [-2, 2]^2 ({r['n']} regions; relulab: "
                    f"{regions.count_regions_2d(two, (-2, 2, -2, 2))} at the start): core.regions2d median "
                    f"{statistics.median(r['alone']):.2f} ms, p95 {pct(r['alone'], 95):.2f} ms; full redraw after "
                    f"a weight change median {statistics.median(r['full']):.2f} ms, p95 {pct(r['full'], 95):.2f} ms "
                    "(target <= 16 ms)"
                )
                b.close()
        finally:
            server.stop()


NODE_CPU_JS = """
import * as core from "./explorables/core.mjs";
import { readFileSync } from "node:fs";
const { one, two, repeats } = JSON.parse(readFileSync("./nets.json", "utf8"));
const cpu = (f) => { const t = []; for (let i = 0; i < repeats; i++) { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); t.push((d.user + d.system) / 1000); } return t.sort((a, b) => a - b); };
for (let i = 0; i < 50; i++) { core.regions2d(two, [-2, 2, -2, 2]); core.breakpoints1d(one, -3, 3); }
const q = (t, p) => t[Math.min(t.length - 1, Math.floor(p * t.length))];
const r = cpu(() => core.regions2d(two, [-2, 2, -2, 2])), b = cpu(() => core.breakpoints1d(one, -3, 3));
console.log(JSON.stringify({ regions: [q(r, 0.5), q(r, 0.95)], breakpoints: [q(b, 0.5), q(b, 0.95)] }));
"""


def node_cpu(repeats: int) -> None:
    """CPU time (not wall time) of the core in Node: what the maths costs, whatever the machine's load."""
    import json
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        print("core CPU time: node not found")
        return
    rng = np.random.default_rng(0)
    one, two = nets.random_mlp(rng, [1, 10, 10, 1]), nets.random_mlp(rng, [2, 16, 16, 1])
    as_json = lambda p: [[np.asarray(W).tolist(), np.asarray(b).tolist()] for W, b in p]  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        explorables.copy_modules(Path(tmp) / "explorables")
        (Path(tmp) / "nets.json").write_text(json.dumps({"one": as_json(one), "two": as_json(two), "repeats": repeats}))
        (Path(tmp) / "cpu.mjs").write_text(NODE_CPU_JS)
        out = json.loads(subprocess.run([node, "cpu.mjs"], cwd=tmp, capture_output=True, text=True, check=True).stdout)
    print(
        f"core CPU time in Node ({repeats} calls): regions2d 2-16-16-1 median {out['regions'][0]:.2f} ms, "
        f"p95 {out['regions'][1]:.2f} ms; breakpoints1d 1-10-10-1 median {out['breakpoints'][0]:.3f} ms, "
        f"p95 {out['breakpoints'][1]:.3f} ms"
    )


def page_weight() -> None:
    from relulab_browser import CHROMIUM, CHROMIUM_ARGS, SITE, open_page, start_server

    page_path = "chapters/two-layer.html"
    if not (SITE / page_path).is_file():
        print(f"page weight: {SITE / page_path} not built (run make book)")
        return
    from playwright.sync_api import sync_playwright

    server = start_server(SITE)
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            context, _, load = open_page(b, server.url, SITE, page_path)
            w = load.weight()
            context.close()
            b.close()
    finally:
        server.stop()
    print(
        f"two-layer page as loaded: {w['transfer'] / 1e6:.2f} MB as sent gzipped (target <= 0.8 MB), "
        f"{w['raw'] / 1e6:.2f} MB raw, page + images {w['own'] / 1e6:.2f} MB"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--moves", type=int, default=400, help="pointer moves in the drag")
    ap.add_argument("--repeats", type=int, default=60, help="repetitions of the region timings")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} on {os.cpu_count()} cores")
    code_sizes()
    node_cpu(300)
    browser_timings(args.moves, args.repeats)
    page_weight()


if __name__ == "__main__":
    main()
