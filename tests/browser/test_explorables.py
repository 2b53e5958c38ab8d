"""The explorables on the built website, in Chromium (issue 27).

For each explorable, on its chapter's page: it renders with no kernel and no network; a pointer drag and
the arrow keys change it; and the count the page shows (linear pieces, activation regions) equals the one
relulab computes in Python for the weights the page then holds (read from the host's model). Also: usable
at 320 px, handles at least 24 px, the fallback image with alt text when JavaScript is off, and no serious
axe violation in dark mode. The generic checks of every page (test_site.py: console errors, every slider
handle moved by mouse and keyboard, axe, page weight) cover the explorables too.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from relulab_browser import NODE_MODULES, SERIOUS, SITE, open_page, wait_for_explorables

from relulab import activations, regions

pytestmark = pytest.mark.browser

PAGES = {
    "two_layer": "chapters/two-layer.html",
    "regions": "chapters/expressiveness.html",
    "activations": "chapters/what-is-relu.html",
}


def root_selector(view: str) -> str:
    return f'[data-relulab-explorable="{view}"]'


def held_state(page, view: str) -> dict:
    return page.evaluate("(s) => document.querySelector(s).relulabModel.state", root_selector(view))


def shown_count(page, view: str) -> int:
    text = page.locator(f"{root_selector(view)} .rl-count").first.text_content()
    return int(re.match(r"\s*(\d+)", text).group(1))


def network(state: dict) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(np.array(W, np.float64), np.array(b, np.float64)) for W, b in state["params"]]


def drag(page, locator, dx: float, dy: float, steps: int = 8) -> None:
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=steps)
    page.mouse.up()


@pytest.fixture()
def chapter(browser, site_url):
    opened = []

    def open_(view: str, width: int = 1280):
        context, page, load = open_page(browser, site_url, SITE, PAGES[view], width=width)
        opened.append(context)
        root = page.locator(root_selector(view))
        assert root.count() == 1, f"{PAGES[view]} has {root.count()} {view} explorables"
        assert root.get_attribute("data-relulab-ready") == "1", root.get_attribute("data-relulab-error")
        root.scroll_into_view_if_needed()
        return page, load

    yield open_
    for c in opened:
        c.close()


def test_move_one_neuron_counts_what_relulab_counts(chapter):
    page, load = chapter("two_layer")
    view = "two_layer"
    start = held_state(page, view)
    lo, hi = start["lo"], start["hi"]
    assert shown_count(page, view) == regions.count_pieces_1d(network(start), lo, hi)
    unit = start["unit"]
    kink = page.get_by_role("slider", name=f"kink of first-layer unit u{unit + 1}", exact=True)
    assert re.fullmatch(r"kink at x = -?\d+\.\d\d", kink.get_attribute("aria-valuetext"))
    # a pointer drag of the selected unit's kink
    drag(page, kink, -70, 0)
    dragged = held_state(page, view)
    assert dragged["params"] != start["params"], "the drag did not change the weights"
    (W0, b0), (W1, b1) = start["params"][0], dragged["params"][0]
    assert W1 == W0, "a kink drag changes the bias only"
    assert -b1[unit] / W1[0][unit] < -b0[unit] / W0[0][unit], "dragged left, the kink moved left"
    assert shown_count(page, view) == regions.count_pieces_1d(network(dragged), lo, hi)
    # the arrow keys on the slope handle
    slope = page.get_by_role("slider", name=f"slope of first-layer unit u{unit + 1}", exact=True)
    slope.focus()
    for _ in range(12):
        page.keyboard.press("ArrowDown")
    keyed = held_state(page, view)
    assert keyed["params"][0][0][0][unit] < dragged["params"][0][0][0][unit]
    assert shown_count(page, view) == regions.count_pieces_1d(network(keyed), lo, hi)
    page.wait_for_function(
        "(s) => /linear pieces/.test(document.querySelector(s + ' [role=status]').textContent)", arg=root_selector(view)
    )
    # every kink handle, by keyboard: the count still follows
    for j in range(len(start["params"][0][1])):
        page.get_by_role("slider", name=f"kink of first-layer unit u{j + 1}", exact=True).focus()
        page.keyboard.press("PageUp")
    moved = held_state(page, view)
    assert shown_count(page, view) == regions.count_pieces_1d(network(moved), lo, hi)
    # reset brings the trained weights back
    page.get_by_role("button", name="Reset").click()
    assert held_state(page, view)["params"] == start["params"]
    assert shown_count(page, view) == regions.count_pieces_1d(network(start), lo, hi)
    assert not load.console_errors, load.console_errors


def test_regions_counts_what_relulab_counts(chapter):
    page, load = chapter("regions")
    view = "regions"
    start = held_state(page, view)
    box = start["box"]
    assert shown_count(page, view) == regions.count_regions_2d(network(start), box)
    # a weight control, with the keyboard
    bias = page.locator(f"{root_selector(view)} input[type=range]").nth(2)
    bias.focus()
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    keyed = held_state(page, view)
    assert keyed["params"] != start["params"]
    assert shown_count(page, view) == regions.count_regions_2d(network(keyed), box)
    # a weight control, with the pointer
    w1 = page.locator(f"{root_selector(view)} input[type=range]").nth(0)
    drag(page, w1, 45, 0)
    dragged = held_state(page, view)
    assert dragged["params"] != keyed["params"]
    assert shown_count(page, view) == regions.count_regions_2d(network(dragged), box)
    # the point: dragged, then moved by the arrow keys; the pattern shown is the point's
    point = page.get_by_role("slider", name="point in the input plane", exact=True)
    drag(page, point, 60, -45)
    p1 = held_state(page, view)["point"]
    assert p1 != start["point"]
    point.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    p2 = held_state(page, view)["point"]
    assert p2[0] < p1[0] and p2[1] == p1[1]
    state = held_state(page, view)
    h, bits = np.array([p2]), []
    for W, b in network(state)[:-1]:
        z = h @ W + b
        bits.append("".join("1" if v > 0 else "0" for v in z[0]))
        h = np.maximum(z, 0)
    shown = page.locator(f"{root_selector(view)} .rl-readout p").nth(2).text_content()
    assert shown == "Activation pattern (1 = on): " + "; ".join(f"layer {i + 1}: {s}" for i, s in enumerate(bits))
    assert not load.console_errors, load.console_errors


def test_activation_family_reads_relulab_values(chapter):
    page, load = chapter("activations")
    view = "activations"
    page.locator(f"{root_selector(view)} label", has_text="GELU").click()
    drag(page, page.get_by_role("slider", name="input x", exact=True), -80, 0)
    state = held_state(page, view)
    assert state["activation"] == "gelu"
    x = state["x"]
    f, df = float(activations.gelu(x)), float(activations.derivative("gelu")(np.float32(x)))
    text = page.locator(f"{root_selector(view)} .rl-count").text_content().replace("\u2212", "-")
    m = re.search(r"f\((-?[\d.]+)\) = (-?[\d.]+), f\u2032\((-?[\d.]+)\) = (-?[\d.]+)", text)
    assert m, text
    assert float(m.group(2)) == pytest.approx(f, abs=1.5e-3) and float(m.group(4)) == pytest.approx(df, abs=1.5e-3)
    page.locator(f"{root_selector(view)} label", has_text="leaky ReLU").click()
    kink = page.locator(f"{root_selector(view)} .rl-readout").nth(1).text_content()
    assert "jumps from 0.10 to 1.00 at x = 0" in kink
    assert not load.console_errors, load.console_errors


@pytest.mark.parametrize("view", sorted(PAGES))
def test_usable_at_320_px_with_24_px_handles(chapter, view):
    page, _ = chapter(view, width=320)
    sizes = page.evaluate(
        """(s) => { const r = document.querySelector(s);
           const hits = [...r.querySelectorAll('.rl-hit')].filter(h => h.getClientRects().length)
             .map(h => h.getBoundingClientRect()).map(b => Math.min(b.width, b.height));
           return {overflow: r.scrollWidth - r.clientWidth, min_hit: Math.min(...hits), n: hits.length,
                   right: Math.max(...[...r.querySelectorAll('svg')].map(e => e.getBoundingClientRect().right)),
                   width: document.documentElement.clientWidth}; }""",
        root_selector(view),
    )
    assert sizes["n"] >= 1
    assert sizes["min_hit"] >= 24 - 0.01, sizes  # 24 CSS px; layout may round a scaled SVG to 23.99999
    assert sizes["overflow"] <= 1, sizes
    assert sizes["right"] <= sizes["width"] + 1, sizes


@pytest.mark.parametrize("view", sorted(PAGES))
def test_without_javascript_the_fallback_image_shows(browser, site_url, view):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url + PAGES[view])
        img = page.locator(f"{root_selector(view)} .relulab-explorable-fallback img")
        assert img.is_visible()
        assert len(img.get_attribute("alt")) > 60
        assert page.evaluate("(s) => document.querySelector(s).naturalWidth > 0", f"{root_selector(view)} img")
    finally:
        context.close()


@pytest.mark.parametrize("view", sorted(PAGES))
def test_dark_mode_is_legible(chapter, view):
    page, _ = chapter(view)
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    wait_for_explorables(page)
    colours = page.evaluate(
        "(s) => { const c = getComputedStyle(document.querySelector(s + ' .relulab-ex')); return [c.color, c.backgroundColor]; }",
        root_selector(view),
    )
    assert colours == ["rgb(232, 232, 232)", "rgb(20, 24, 30)"], colours
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    result = page.evaluate(
        "(s) => axe.run(document.querySelector(s), {resultTypes: ['violations']}).then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length]))",
        root_selector(view),
    )
    bad = [v for v in result if v[1] in SERIOUS]
    assert not bad, bad
