"""Speed and size of the training explorables (issue 28), measured in Chromium.

Rerun with ``.venv/bin/python benchmarks/bench_train_explorables.py`` (needs /usr/bin/chromium and the
test requirements; a minute or two). It writes a standalone page with "Kill a network" and "The race"
(relulab.explorables.standalone_page), serves it on 127.0.0.1 and reports:

* the training core alone: full-batch steps per second of a 1-16-16-1 ReLU network on 200 points (the
  target: at least 2,000), and minibatch steps per second of the digits bench 64-32-32-10;
* the explorable at the fastest speed on that 1-16-16-1 network: steps per second with the drawing;
* frames at the default speed, digits bench and curve: the work and drawing time of each animation frame
  (the view's own measurement), median, 95th percentile and maximum (target: no frame over 16 ms), Play
  pressed 1.5 s after the page loaded (the views compile their code in idle time meanwhile);
* the race at the default speed: the same frame times;
* gzipped sizes of the modules and of each widget bundle.

The machine is shared: the load average is printed with the numbers; timings taken under load are slower.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import statistics
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from relulab import explorables

CHROMIUM = os.environ.get("RELULAB_CHROMIUM", "/usr/bin/chromium")
RACE_RATES = [(0.1, [0.032, 0.1, 0.32]), (0.1, [0.1, 0.32]), (0.32, [0.1, 0.32, 1.0]), (0.1, [0.032, 0.1])]

CORE_JS = """async () => {
  const T = await import("./explorables/train.mjs");
  const n = 200, xs = Array.from({length: n}, (_, i) => [-1 + 2 * i / (n - 1)]);
  const data = T.dataset(xs, xs.map(([x]) => [Math.sin(Math.PI * x)]), {nIn: 1, nOut: 1});
  const curve = new T.Trainer({sizes: [1, 16, 16, 1], seed: 0, optimizer: T.sgd(0.05), data});
  for (let i = 0; i < 300; i++) curve.step();
  let t0 = performance.now(), k = 0;
  while (performance.now() - t0 < 3000) { curve.step(); k++; }
  const curveRate = k / (performance.now() - t0) * 1000;
  const g = T.generator(1, 1), dx = Array.from({length: 1347}, () => Array.from({length: 64}, () => g.normal()));
  const digits = T.dataset(dx, dx.map((_, i) => i % 10), {nIn: 64, nOut: 10, loss: "cross_entropy"});
  const bench = new T.Trainer({sizes: [64, 32, 32, 10], seed: 0, loss: "cross_entropy", optimizer: T.sgd(0.1),
                                 data: digits, batchSize: 32, replace: true});
  for (let i = 0; i < 100; i++) bench.step();
  t0 = performance.now(); k = 0;
  while (performance.now() - t0 < 3000) { bench.step(); k++; }
  const digitsRate = k / (performance.now() - t0) * 1000;
  t0 = performance.now(); for (let i = 0; i < 5; i++) bench.units();
  return {curveRate, digitsRate, evaluateMs: (performance.now() - t0) / 5};
}"""


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def frames(page, view: str) -> list[float]:
    return page.evaluate(
        f"() => document.querySelector('[data-relulab-explorable={view}] .relulab-ex').relulabLoop.frameTimes.slice()"
    )


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    over = [f"#{i} {t:.0f} ms" for i, t in enumerate(times) if t > 16]
    return (
        f"{len(times)} frames, median {statistics.median(times):.1f} ms, 95th percentile {p95:.1f} ms, "
        f"max {max(times):.1f} ms; over 16 ms: {', '.join(over) or 'none'}"
    )


def play_and_measure(page, view: str, fragment_wait: float, state: str = "finished") -> list[float]:
    root = f"[data-relulab-explorable={view}]"
    page.wait_for_timeout(1500)  # a reader reads before pressing Play; the views warm up in idle time
    page.evaluate(f"() => {{ document.querySelector('{root} .relulab-ex').relulabLoop.frameTimes.length = 0; }}")
    page.locator(f"{root} button", has_text="Play").first.click()
    page.wait_for_selector(f"{root} .relulab-ex[data-state={state}]", timeout=int(fragment_wait * 1000))
    return frames(page, view)


def main() -> None:
    print(f"load average: {os.getloadavg()[0]:.1f} (2 cores)")
    sizes = {}
    for name in ["train.mjs", "train_view.mjs", "kill_network.mjs", "race.mjs"]:
        sizes[name] = len(gzip.compress(explorables.source(name).encode(), 9))
    for view in ["kill_network.mjs", "race.mjs"]:
        sizes[f"bundle of {view} (with train, train_view, ui)"] = len(
            gzip.compress(explorables.bundle(view).encode(), 9)
        )
    print("gzipped code: " + "; ".join(f"{k} {v / 1024:.1f} kB" for k, v in sizes.items()))
    kill = explorables.KillNetwork(learning_rate=0.1)
    race = explorables.ActivationRace(learning_rates=RACE_RATES)
    for widget, name in [(kill, "Kill a network"), (race, "The race")]:
        fragment = widget.to_html()
        print(
            f"{name}: cell HTML {len(fragment) / 1024:.0f} kB, gzipped {len(gzip.compress(fragment.encode())) / 1024:.0f} kB"  # noqa: E501
        )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        explorables.copy_modules(root / "explorables")
        (root / "index.html").write_text(explorables.standalone_page([kill.to_html(), race.to_html()], title="bench"))
        server, url = serve(root)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(url + "index.html")
            page.wait_for_selector("[data-relulab-explorable=race][data-relulab-ready]")
            core = page.evaluate(CORE_JS)
            print(
                f"core: 1-16-16-1 on 200 points, full batch: {core['curveRate']:.0f} steps/s (target >= 2000); "
                f"digits bench 64-32-32-10, minibatches of 32: {core['digitsRate']:.0f} steps/s; "
                f"dead units on the 1,347 training images: {core['evaluateMs']:.1f} ms"
            )
            kill_root = "[data-relulab-explorable=kill_network]"
            page.locator(kill_root).scroll_into_view_if_needed()
            times = play_and_measure(page, "kill_network", 120)
            print(f"Kill a network, digits bench, default speed, 400 steps: {summary(times)}")
            page.goto("about:blank")  # a new load: the link is read when the view renders
            page.goto(url + "index.html#kill:data=curve,width=16,depth=2,lr=0.05,steps=20000")
            page.wait_for_selector(f"{kill_root}[data-relulab-ready]")
            page.locator(kill_root).scroll_into_view_if_needed()
            page.wait_for_timeout(1500)
            page.evaluate(f"() => document.querySelector('{kill_root} .relulab-ex').relulabLoop.frameTimes.length = 0")
            page.locator(f"{kill_root} button", has_text="Play").first.click()
            page.wait_for_timeout(4000)
            normal = frames(page, "kill_network")
            page.locator(f"{kill_root} button", has_text="Pause").first.click()
            print(f"Kill a network, 1-16-16-1 curve, default speed: {summary(normal)}")
            page.locator(f"{kill_root} select").nth(0).select_option("fast")
            start = int(page.locator(f"{kill_root} .relulab-ex").get_attribute("data-step"))
            page.locator(f"{kill_root} button", has_text="Play").first.click()
            t0 = page.evaluate("() => performance.now()")
            page.wait_for_timeout(5000)
            t1 = page.evaluate("() => performance.now()")
            done = int(page.locator(f"{kill_root} .relulab-ex").get_attribute("data-step")) - start
            page.locator(f"{kill_root} button", has_text="Pause").first.click()
            print(
                f"Kill a network, 1-16-16-1 curve, fastest speed (with drawing): {done / (t1 - t0) * 1000:.0f} steps/s"
            )
            page.goto("about:blank")
            page.goto(url + "index.html")
            race_root = "[data-relulab-explorable=race]"
            page.wait_for_selector(f"{race_root}[data-relulab-ready]")
            page.locator(race_root).scroll_into_view_if_needed()
            times = play_and_measure(page, "race", 300)
            print(f"The race, 4 runners 64-32-32-32-10, default speed, 300 steps: {summary(times)}")
            browser.close()
        server.shutdown()
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
