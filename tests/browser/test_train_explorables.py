"""The training explorables on the built website, in Chromium (issue 28).

"Kill a network" (should-i-use-relu) and "The race" (what-is-relu), with no kernel and no network: Play
trains (the loss falls) and the dead units the page shows are the ones JAX computes for the same run
(relulab.explorables.training.replay); a high learning rate kills units (the count rises); Reset restores
the start exactly; the keyboard alone does all of it; a link carries a run's settings; a diverged run says
so; training pauses off screen; the live region speaks at most once a second; the race's steps to the
target are the ones JAX computes. Also: the seeded initialisation is the same in Chromium as in Node.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from relulab_browser import NODE_MODULES, SERIOUS, SITE, open_page, series_swatches, swatch_problems

from relulab.explorables import ActivationRace, KillNetwork, source

pytestmark = pytest.mark.browser

PAGES = {"kill_network": "chapters/should-i-use-relu.html", "race": "chapters/what-is-relu.html"}
SETTINGS = ("data", "learning_rate", "activation", "init", "width", "depth", "optimizer", "seed", "steps")


def sel(view: str) -> str:
    return f'[data-relulab-explorable="{view}"]'


def shown(page, view: str) -> dict:
    """The figure's own report of its run: data-* attributes of the view's element."""
    return page.evaluate("(s) => ({...document.querySelector(s + ' .relulab-ex').dataset})", sel(view))


def held(page, view: str) -> dict:
    return page.evaluate("(s) => document.querySelector(s).relulabModel.state", sel(view))


def wait_state(page, view: str, state: str, timeout: float = 180_000) -> None:
    page.wait_for_function(
        "([s, state]) => document.querySelector(s + ' .relulab-ex').dataset.state === state",
        arg=[sel(view), state],
        timeout=timeout,
    )


def dead(report: dict) -> list[int]:
    return [int(v) for v in report["dead"].split(",")]


def kill_in_python(state: dict, rates: list[float]) -> KillNetwork:
    return KillNetwork(**{k: state[k] for k in SETTINGS}, learning_rates=state["learning_rates"], preview_rates=rates)


@pytest.fixture()
def chapter(browser, site_url):
    opened = []

    def open_(view: str, fragment: str = "", width: int = 1280):
        context, page, load = open_page(browser, site_url, SITE, PAGES[view] + fragment, width=width)
        opened.append((context, load))
        root = page.locator(sel(view))
        assert root.count() == 1, f"{PAGES[view]} has {root.count()} {view} explorables"
        page.wait_for_function(
            "(s) => document.querySelector(s).dataset.relulabReady === '1' || "
            "document.querySelector(s).dataset.relulabError",
            arg=sel(view),
            timeout=60_000,
        )
        assert root.get_attribute("data-relulab-error") is None, root.get_attribute("data-relulab-error")
        root.scroll_into_view_if_needed()
        return page, load

    yield open_
    for context, load in opened:
        context.close()
        assert not load.console_errors, load.console_errors
        assert not load.external, f"requests to other origins: {load.external}"
        assert not load.failed, f"failed loads: {load.failed}"


def set_learning_rate(page, view: str, rate: float) -> None:
    """With the keyboard: focus the slider, Home, then ArrowRight up to the rate."""
    rates = held(page, view)["learning_rates"]
    slider = page.locator(f"{sel(view)} input[type=range]")
    slider.focus()
    page.keyboard.press("Home")
    for _ in range(rates.index(rate)):
        page.keyboard.press("ArrowRight")
    assert held(page, view)["learning_rate"] == rate


# ------------------------------------------------------------------ Kill a network
def test_play_trains_a_high_rate_kills_and_reset_restores(chapter):
    page, _ = chapter("kill_network")
    view = "kill_network"
    state = held(page, view)
    start = shown(page, view)
    assert start["state"] == "ready" and start["step"] == "0"
    low, high = state["learning_rate"], 2.0
    expected = kill_in_python(state, [low, high]).dead_after()
    # ---- Play trains: the loss falls, and the dead units are JAX's for the same run
    page.get_by_role("button", name="Play", exact=True).click()
    wait_state(page, view, "finished")
    after = shown(page, view)
    assert int(after["step"]) == state["steps"]
    assert float(after["loss"]) < float(start["loss"]) / 2
    assert dead(after) == expected[0]
    # ---- a high learning rate kills units: the count rises (to what JAX computes)
    set_learning_rate(page, view, high)
    assert shown(page, view)["step"] == "0", "a new learning rate starts a new run"
    page.get_by_role("button", name="Play", exact=True).click()
    wait_state(page, view, "finished")
    killed = shown(page, view)
    assert sum(dead(killed)) > sum(dead(after))
    assert dead(killed) == expected[1]
    # ---- Reset restores the start exactly
    page.get_by_role("button", name="Reset", exact=True).click()
    again = shown(page, view)
    assert (again["step"], again["dead"]) == ("0", start["dead"])
    set_learning_rate(page, view, low)
    assert shown(page, view)["loss"] == start["loss"], "the same settings and seed give the same start"
    result = held(page, view)["result"]
    assert result is None or result["settings"]["learning_rate"] in (low, high)


def test_keyboard_alone_does_all_of_it(chapter):
    page, _ = chapter("kill_network")
    view = "kill_network"
    page.evaluate(
        """(s) => { const b = document.createElement('button'); b.id = 'tab-start'; b.textContent = 'start';
        document.querySelector(s).before(b); b.focus(); }""",
        sel(view),
    )

    def tab_to(predicate: str, limit: int = 30) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"() => {{ const e = document.activeElement; return {predicate}; }}"):
                return
        raise AssertionError(f"Tab never reached {predicate}")

    tab_to("e.tagName === 'BUTTON' && e.textContent === 'Play'")
    page.keyboard.press("Enter")
    page.wait_for_function("(s) => +document.querySelector(s + ' .relulab-ex').dataset.step > 0", arg=sel(view))
    page.keyboard.press("Enter")  # pause
    wait_state(page, view, "paused")
    paused_at = int(shown(page, view)["step"])
    tab_to("e.textContent === 'One step'")
    page.keyboard.press("Space")
    page.wait_for_function(
        "([s, t]) => +document.querySelector(s + ' .relulab-ex').dataset.step === t", arg=[sel(view), paused_at + 1]
    )
    tab_to("e.textContent === 'Reset'")
    page.keyboard.press("Enter")
    assert shown(page, view)["step"] == "0"
    tab_to("e.type === 'number'")
    page.keyboard.press("Control+A")
    page.keyboard.type("7")
    tab_to("e.tagName === 'SELECT'")  # leaving the seed field commits it
    assert held(page, view)["seed"] == 7
    tab_to("e.type === 'range'")
    before = held(page, view)["learning_rate"]
    page.keyboard.press("ArrowRight")
    assert held(page, view)["learning_rate"] > before
    tab_to("e.tagName === 'SELECT' && e.closest('label').textContent.startsWith('Data')")
    page.keyboard.press("ArrowDown")
    assert held(page, view)["data"] == "curve"
    assert shown(page, view)["step"] == "0"
    page.keyboard.press("Shift+Tab")
    for _ in range(30):
        if page.evaluate("() => document.activeElement.textContent === 'Play'"):
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    wait_state(page, view, "finished")
    assert int(shown(page, view)["step"]) == held(page, view)["steps"]


def test_a_link_sets_the_run_and_a_diverged_run_says_so(chapter):
    page, _ = chapter("kill_network", "#kill:data=curve,lr=5,seed=3,width=16")
    view = "kill_network"
    assert (held(page, view)["data"], held(page, view)["seed"]) == ("curve", 3)  # the link's settings...
    text = page.locator(f"{sel(view)} .relulab-ex").inner_text()
    assert "1\u201316\u201316\u20131" in text and "5.00" in text  # ...shown on the figure
    page.get_by_role("button", name="Play", exact=True).click()
    wait_state(page, view, "diverged")
    alert = page.locator(f"{sel(view)} [role=alert]").inner_text()
    assert "Diverged at step" in alert and "not a dead one" in alert
    assert page.get_by_role("button", name="Play", exact=True).is_disabled()
    assert "the run then diverged" in page.locator(f"{sel(view)} svg.rl-strip").get_attribute("aria-label")


def test_training_pauses_off_screen_and_speaks_at_most_once_a_second(chapter):
    page, _ = chapter("kill_network")
    view = "kill_network"
    page.evaluate(
        """(s) => { window.spoken = []; const box = document.querySelector(s + ' [role=status]');
        new MutationObserver(() => window.spoken.push([performance.now(), box.textContent]))
          .observe(box, {childList: true, characterData: true, subtree: true}); }""",
        sel(view),
    )
    page.locator(f"{sel(view)} select").nth(0).select_option("slow")  # speed: 30 steps a second
    page.get_by_role("button", name="Play", exact=True).click()
    time.sleep(3.5)
    page.evaluate("() => window.scrollTo(0, 0)")
    time.sleep(0.5)
    off = int(shown(page, view)["step"])
    time.sleep(2.0)
    assert int(shown(page, view)["step"]) == off, "training went on while the figure was off screen"
    page.locator(sel(view)).scroll_into_view_if_needed()
    page.wait_for_function(
        "([s, t]) => +document.querySelector(s + ' .relulab-ex').dataset.step > t", arg=[sel(view), off]
    )
    times = [t for t, _ in page.evaluate("() => window.spoken")]
    assert len(times) >= 3, "the live region said too little while the network trained"
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 990, f"the live region spoke twice within {min(gaps):.0f} ms"
    assert any("dead" in text for _, text in page.evaluate("() => window.spoken"))


# ------------------------------------------------------------------ The race
def test_the_race_finishes_where_jax_says(chapter):
    page, _ = chapter("race")
    view = "race"
    state = held(page, view)
    race = ActivationRace(
        runners=state["runners"],
        sizes=state["sizes"],
        seed=state["seed"],
        steps=state["steps"],
        target=state["target"],
        window=state["window"],
        batch_size=state["batch_size"],
        momentum=state["momentum"],
    )
    expected = ["" if s is None else str(s) for s in race.preview()["steps_to_target"]]
    play = page.get_by_role("button", name="Play", exact=True)
    play.focus()
    page.keyboard.press("Enter")
    wait_state(page, view, "finished", timeout=300_000)
    report = shown(page, view)
    assert report["step"] == str(state["steps"])
    assert report["reached"].split(",") == expected
    assert play.count() == 0  # the race is over: the button now says what it does next
    keep = page.get_by_role("button", name="Keep training", exact=True)
    assert keep.count() == 1
    keep.click()  # training goes on past the race's last step; the count must not read "Step 301 of 300"
    page.wait_for_function(
        "([s, n]) => +document.querySelector(s + ' .relulab-ex').dataset.step > n", arg=[sel(view), state["steps"]]
    )
    page.get_by_role("button", name="Pause", exact=True).click()
    status = page.locator(f"{sel(view)} p.rl-readout").inner_text()
    assert f"of {state['steps']}." not in status and f"after the race of {state['steps']}" in status, status
    table = page.locator(f"{sel(view)} table").inner_text()
    for runner, s in zip(state["runners"], expected, strict=True):
        assert runner["label"] in table and (not s or f"step {s}" in table)
    page.get_by_role("button", name="Reset", exact=True).click()
    assert shown(page, view)["step"] == "0"


def rgb(hex_colour: str) -> str:
    """ "#RRGGBB" as the browser's computed colour, "rgb(r, g, b)"."""
    return "rgb({}, {}, {})".format(*(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)))


def dash(svg_dash: str) -> str:
    """An SVG dash array ("6 3", "" for solid) as the browser's computed stroke-dasharray ("6px, 3px", "none")."""
    values = svg_dash.replace(",", " ").split()
    return ", ".join(f"{float(v):g}px" for v in values) if values else "none"


def test_every_runner_shows_its_line_before_and_during_the_race(chapter):
    """Each runner's row and legend item has a line sample before Play (the fourth runner's once had none: its
    colour reached the page as "0.5,0.34,0"), in the runner's colour and dash, and the line the chart draws for
    it once the race runs is the same."""
    page, _ = chapter("race")
    view = "race"
    runners = held(page, view)["runners"]
    before = series_swatches(page, sel(view))
    assert not swatch_problems(before), swatch_problems(before)
    assert [r["label"] for r in before["rows"]] == [r["label"] for r in runners]
    for item, runner in zip(before["rows"], runners, strict=True):
        assert (item["line"]["stroke"], item["line"]["dash"]) == (rgb(runner["color"]), dash(runner["dash"])), (
            runner,
            item,
        )
    assert len({(item["line"]["stroke"], item["line"]["dash"]) for item in before["rows"]}) == len(runners), (
        "two runners look the same"
    )
    window = held(page, view)["window"]
    step = page.get_by_role("button", name="One step", exact=True)
    for _ in range(2 * window):  # two blocks: every chart line has two points
        step.click()
    assert shown(page, view)["step"] == str(2 * window)
    during = series_swatches(page, sel(view))
    assert not swatch_problems(during), swatch_problems(during)
    error_lines = during["charts"][0]
    assert len(error_lines) == len(runners)
    for item, line in zip(during["rows"], error_lines, strict=True):
        assert line["d"] and line["d"].count("L") >= 1, f"{item['label']}: no line drawn after {2 * window} steps"
        assert line["length"] > 0 and line["shown"], (item["label"], line)
        assert (line["stroke"], line["dash"]) == (item["line"]["stroke"], item["line"]["dash"]), (item, line)


def test_the_error_axis_reads_round_values(chapter):
    """The training-error axis (0 to 1) is labelled with round values written exactly (not "0.3, 0.5, 0.8" for
    0.25, 0.5, 0.75), in order, each at its own height."""
    page, _ = chapter("race")
    labels = page.evaluate(
        """(s) => [...[...document.querySelectorAll(s + ' svg.rl-chart')][0].querySelectorAll('text.rl-tick')]
              .filter(t => t.getAttribute('text-anchor') === 'end' && !t.textContent.startsWith('target'))
              .map(t => [t.textContent, Number(t.getAttribute('y'))])""",
        sel("race"),
    )
    values = [float(text.replace("\u2212", "-")) for text, _ in labels]
    assert len(values) >= 3 and values[0] == 0 and values[-1] == 1 and values == sorted(values), labels
    steps = {round(b - a, 12) for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1 and steps <= {0.1, 0.2, 0.25, 0.5}, labels
    assert len({len(text.partition(".")[2]) for text, _ in labels}) == 1, f"decimals differ: {labels}"
    heights = [y for _, y in labels]
    assert heights == sorted(heights, reverse=True) and len(set(heights)) == len(heights), labels


# ------------------------------------------------------------------ both views: narrow, no JavaScript, dark
@pytest.mark.parametrize("view", sorted(PAGES))
def test_usable_at_320_px(chapter, view):
    page, _ = chapter(view, width=320)
    sizes = page.evaluate(
        """(s) => { const r = document.querySelector(s);
           return {overflow: r.scrollWidth - r.clientWidth, page: document.documentElement.scrollWidth,
                   width: document.documentElement.clientWidth,
                   right: Math.max(...[...r.querySelectorAll('svg, button, select, input')]
                     .map(e => e.getBoundingClientRect().right))}; }""",
        sel(view),
    )
    assert sizes["overflow"] <= 1 and sizes["page"] <= sizes["width"] + 1, sizes
    assert sizes["right"] <= sizes["width"] + 1, sizes
    page.get_by_role("button", name="One step", exact=True).click()
    assert shown(page, view)["step"] == "1"


@pytest.mark.parametrize("view", sorted(PAGES))
def test_without_javascript_the_fallback_image_shows(browser, site_url, view):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url + PAGES[view])
        img = page.locator(f"{sel(view)} .relulab-explorable-fallback img")
        assert img.is_visible()
        alt = img.get_attribute("alt")
        assert len(alt) > 100 and ("dead" in alt if view == "kill_network" else "training error" in alt)
        assert page.evaluate("(s) => document.querySelector(s).naturalWidth > 0", f"{sel(view)} img")
    finally:
        context.close()


@pytest.mark.parametrize("view", sorted(PAGES))
def test_dark_mode_has_no_serious_axe_violation(chapter, view):
    page, _ = chapter(view)
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    page.get_by_role("button", name="One step", exact=True).click()
    colours = page.evaluate(
        "(s) => { const c = getComputedStyle(document.querySelector(s + ' .relulab-ex')); return [c.color, c.backgroundColor]; }",
        sel(view),
    )
    assert colours == ["rgb(232, 232, 232)", "rgb(20, 24, 30)"], colours
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    result = page.evaluate(
        "(s) => axe.run(document.querySelector(s), {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length]))",
        sel(view),
    )
    assert not [v for v in result if v[1] in SERIOUS], result


# ------------------------------------------------------------------ the seeded draws in Chromium and Node
DRAWS = """
export function draws(T) {
  const out = {};
  for (const [sizes, init, seed, scale] of [[[1, 16, 16, 1], "he", 0, 1], [[64, 32, 32, 10], "he", 3, 1],
      [[64, 32, 32, 32, 10], "glorot", 1, 4], [[2, 5, 3], "lecun", 4294967295, 0.5]])
    out[`${sizes.join("-")}/${init}/${seed}/${scale}`] = T.initParams(sizes, { init, seed, scale });
  out.batches = Array.from(T.batchOrder(1347, 32, 50, { seed: 2, replace: true }));
  out.passes = Array.from(T.batchOrder(1347, 32, 50, { seed: 2 }));
  const g = T.generator(9, 1000);
  out.normals = Array.from({ length: 5000 }, () => g.normal());
  return out;
}
"""


def test_seeded_draws_are_the_same_in_chromium_and_node(browser, serve, tmp_path):
    node = shutil.which("node")
    assert node, "Node.js is needed for this comparison"
    (tmp_path / "train.mjs").write_text(source("train.mjs"))
    (tmp_path / "draws.mjs").write_text(DRAWS)
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>draws</title></head><body>'
        '<script type="module">import * as T from "./train.mjs"; import { draws } from "./draws.mjs";'
        "window.draws = JSON.stringify(draws(T));</script></body></html>"
    )
    (tmp_path / "node.mjs").write_text(
        'import * as T from "./train.mjs"; import { draws } from "./draws.mjs"; console.log(JSON.stringify(draws(T)));'
    )
    in_node = subprocess.run([node, str(tmp_path / "node.mjs")], capture_output=True, text=True, timeout=60, check=True)
    base = serve(Path(tmp_path))
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "index.html")
        page.wait_for_function("() => window.draws !== undefined")
        in_chromium = page.evaluate("() => window.draws")
    finally:
        context.close()
    assert json.loads(in_chromium) == json.loads(in_node.stdout)
    assert in_chromium == in_node.stdout.strip(), "the same numbers, printed to the last digit"
