"""Tests for relulab.interactive: grid frames, blitting, both views, bad input."""

from __future__ import annotations

import io
import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from relulab.interactive import FRAME_DPI, LIVE_DPI, MAX_FRAMES, InteractiveFigure, interactive_figure
from relulab.plots import figure

X = np.linspace(-1.0, 1.0, 21)


def line_setup(calls=None, *, figsize=(3.0, 2.0)):
    """A line y = a x + b, plus a title showing the values; records update calls."""

    def setup():
        fig, ax = figure(figsize=figsize)
        (line,) = ax.plot(X, X, label="line")
        ax.set_ylim(-3, 3)
        ax.legend(loc="upper left")

        def update(a, b=0.0):
            if calls is not None:
                calls.append({"a": a, "b": b})
            line.set_ydata(a * X + b)

        return fig, update

    return setup


def decode(frame: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(frame)).convert("RGB"), dtype=np.int16)


# ---------------------------------------------------------------- frames
def test_frame_count_is_product_of_grid_sizes():
    f = interactive_figure(line_setup(), {"a": [0, 1, 2], "b": [-1, 0, 0.5, 1]}, alt="a line")
    assert isinstance(f, InteractiveFigure)
    assert f.shape == (3, 4)
    assert len(f.frames) == 12
    assert f.unique_frames == 12


def test_frames_differ_when_each_control_moves():
    f = interactive_figure(line_setup(), {"a": [0.0, 1.0], "b": [0.0, 1.0]}, alt="a line")
    fr = [decode(x) for x in f.frames]  # C order: (a0,b0), (a0,b1), (a1,b0), (a1,b1)
    assert np.abs(fr[0] - fr[2]).max() > 100  # a moved
    assert np.abs(fr[0] - fr[1]).max() > 100  # b moved
    assert all(x.shape == fr[0].shape for x in fr)  # layout frozen: same size


def test_frame_k_is_the_state_at_unravel_index_k():
    """The player computes k row-major over the controls; check the mapping."""
    f = interactive_figure(line_setup(), {"a": [0.0, 0.5, 1.0], "b": [-1.0, 1.0]}, alt="a line")
    frames = f.frames
    for k in range(len(frames)):
        idx = np.unravel_index(k, f.shape)
        f.update(**f.values_at(idx))
        expected = f.render(FRAME_DPI, blit=False)[..., :3].astype(np.int16)
        got = decode(frames[k])
        # frames are palette-quantised: allow a small per-pixel error on average
        assert got.shape == expected.shape
        assert np.abs(got - expected).mean() < 1.5, k


def test_identical_frames_stored_once():
    def setup():
        fig, ax = figure(figsize=(2, 2))
        (line,) = ax.plot(X, X)
        ax.set_ylim(-2, 2)

        def update(a, b):
            line.set_ydata(np.abs(a) * X + 0 * b + (b > 0))

        return fig, update

    f = interactive_figure(setup, {"a": [-1.0, 0.0, 1.0], "b": [-1.0, -0.5, 1.0]}, alt="|a| x")
    assert len(f.frames) == 9
    assert f.unique_frames == 4  # |a| in {0, 1} times (b > 0) in {False, True}
    assert f.frames[0] == f.frames[6] == f.frames[1]  # (a, b) = (-1, -1), (1, -1), (-1, -0.5)
    assert f.frames[0] != f.frames[3]


def test_inert_control_is_rejected():
    def setup():
        fig, ax = figure(figsize=(2, 2))
        (line,) = ax.plot(X, X)

        def update(a, unused):
            line.set_ydata(a * X)

        return fig, update

    f = interactive_figure(setup, {"a": [0.0, 1.0], "unused": [0.0, 1.0]}, alt="x")
    with pytest.raises(
        ValueError, match="control 'unused' must change the figure .*got identical frames whenever only 'unused' moves"
    ):
        f.frames  # noqa: B018


def test_state_restored_to_initial_after_frames():
    calls = []
    f = interactive_figure(line_setup(calls), {"a": [0.0, 1.0], "b": [0.0, 2.0]}, alt="x", initial={"a": 1.0})
    f.frames  # noqa: B018
    assert calls[-1] == {"a": 1.0, "b": 0.0}
    assert {tuple(sorted(c.items())) for c in calls} >= {(("a", a), ("b", b)) for a in (0.0, 1.0) for b in (0.0, 2.0)}


# -------------------------------------------------------------- blitting
def _kinds_setup():
    """Several artist kinds updated in place, some below a legend."""

    def setup():
        fig, (ax1, ax2) = figure(1, 2, figsize=(4, 2))
        (line,) = ax1.plot(X, X, label="line")
        fill = ax1.fill_between(X, X, -X, alpha=0.3, label="band")
        txt = ax1.text(0, 0.5, "a=0")
        scat = ax1.scatter(X[::5], X[::5], zorder=4)
        ax1.legend(loc="upper left")
        ax1.set_ylim(-3, 3)
        im = ax2.imshow(np.zeros((8, 8)), vmin=-1, vmax=1, cmap="viridis")

        def update(a, wide):
            line.set_ydata(a * X)
            fill.set_data(X, a * X - wide, a * X + wide)
            txt.set_text(f"a={a:.1f}")
            scat.set_offsets(np.c_[X[::5], -a * X[::5]])
            im.set_data(np.outer(np.linspace(-1, 1, 8), np.ones(8)) * a)
            if wide > 1.5:
                ax1.set_ylim(-6, 6)  # a limit change forces a full draw
            else:
                ax1.set_ylim(-3, 3)

        return fig, update

    return setup


def test_blitted_render_equals_full_draw():
    """Steps that only change artists in place are blitted, and a blit paints exactly what a
    full draw paints; steps that change limits are full draws."""
    f = interactive_figure(_kinds_setup(), {"a": [-1.0, 0.0, 0.5, 1.0], "wide": [0.5, 1.0, 2.0]}, alt="kinds")
    steps = [  # (a, wide, how the step must be redrawn)
        (0.5, 0.5, "full"),  # the first redraw caches the background
        (1.0, 0.5, "blitted"),
        (-1.0, 1.0, "blitted"),
        (1.0, 2.0, "full"),  # y limits change
        (0.0, 2.0, "blitted"),
        (0.5, 0.5, "full"),  # y limits change back
    ]
    for a, wide, how in steps:
        f.update(a=a, wide=wide)
        before = f.redraws
        fast = f.render(100).astype(np.int16)
        after = f.redraws
        assert after[how] == before[how] + 1 and sum(after.values()) == sum(before.values()) + 1, (a, wide)
        full = f.render(100, blit=False).astype(np.int16)
        assert f.redraws == after  # the reference draw is not counted
        assert np.abs(fast - full).max() <= 2, (a, wide)
        assert np.abs(fast - full).mean() < 0.01, (a, wide)


def test_live_update_is_blitted_and_correct():
    f = interactive_figure(line_setup(), {"a": [0.0, 1.0], "b": [0.0, 1.0]}, alt="x")
    f.live_update(a=1.0, b=0.0)
    assert f.redraws == {"blitted": 0, "full": 1}  # the first live step caches the background
    for k, (a, b) in enumerate([(0.0, 1.0), (1.0, 1.0), (0.0, 0.0)], start=1):
        png = f.live_update(a=a, b=b)
        assert f.redraws == {"blitted": k, "full": 1}
        got = decode(png)
        full = f.render(LIVE_DPI, blit=False)[..., :3].astype(np.int16)
        assert got.shape == full.shape
        assert np.abs(got - full).max() <= 2


def test_layout_is_frozen():
    f = interactive_figure(line_setup(), {"a": [0.0, 100.0]}, alt="x")
    ax = f.figure.axes[0]
    before = ax.get_position().bounds
    f.update(a=100.0)
    f.figure.axes[0].set_ylim(-1000, 1000)  # wider tick labels would move a constrained layout
    f.render(100)
    assert ax.get_position().bounds == before


# ------------------------------------------------------------- HTML view
def test_html_player_structure():
    f = interactive_figure(
        line_setup(),
        {"a": [0.0, 0.5, 1.0], "b": [-1.0, 1.0]},
        labels={"a": "slope <a>"},
        alt="a line of slope a",
        initial={"a": 0.5, "b": 1.0},
    )
    page = f.to_html()
    assert page.count('type="range"') == 2
    ids = re.findall(r'<input type="range" id="([^"]+)"', page)
    for cid in ids:
        assert f'<label for="{cid}">' in page
    assert "slope &lt;a&gt;" in page  # label escaped
    assert 'value="1"' in page  # initial index of a
    assert re.search(r'<img [^>]*alt="a line of slope a \(slope &lt;a&gt; = 0.5, b = 1\)"', page)
    assert "http://" not in page and "https://" not in page  # self-contained
    assert "hidden>" in page  # controls hidden until the script runs
    data = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page).group(1))
    assert data["shape"] == [3, 2]
    assert len(data["index"]) == 6
    assert len(data["frames"]) == f.unique_frames
    assert data["text"] == [["0", "0.5", "1"], ["-1", "1"]]


def test_player_script_is_the_packaged_file():
    """The player's JavaScript is a real file shipped with the package, inlined whole into the page,
    and it reads every field the Python side writes into the figure's JSON."""
    from importlib import resources

    js = resources.files("relulab.interactive").joinpath("player.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in js.splitlines() if not line.startswith("//"))
    page = interactive_figure(line_setup(), {"a": [0.0, 1.0]}, alt="x").to_html()
    uid = re.search(r'id="(relulab-if-[^"]+)"', page).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert scripts == [code.replace("__UID__", uid)]
    data = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page).group(1))
    assert set(data) == {"frames", "index", "shape", "text", "labels", "alt"}
    for key in data:
        assert f"d.{key}" in code, f"player.js never reads the figure's {key!r}"
    for event in ("input", "change"):  # mouse drags fire input, keyboard and clicks change
        assert f'addEventListener("{event}"' in code


# A DOM just large enough for player.js: elements by id, the controls box, event listeners.
PLAYER_HARNESS = r"""
const [script, payload, uid, nControls, moves] = JSON.parse(require("fs").readFileSync(0, "utf8"));
const elements = {};
function element(id, extra) {
  const el = { id, value: "0", hidden: false, dataset: {}, attributes: {}, listeners: {}, textContent: "",
    setAttribute(k, v) { this.attributes[k] = String(v); },
    addEventListener(type, f) { (this.listeners[type] = this.listeners[type] || []).push(f); },
    ...extra };
  elements[id] = el;
  return el;
}
const box = element(uid + "-box", { hidden: true });
element(uid, { querySelector: (sel) => (sel === ".relulab-if-controls" ? box : null) });
element(uid + "-data", { textContent: payload });
element(uid + "-img", { src: "", alt: "" });
for (let i = 0; i < nControls; i++) { element(uid + "-c" + i); element(uid + "-c" + i + "-out"); }
globalThis.document = { getElementById: (id) => elements[id] || null };
new Function(script)();
const seen = [];
const snap = () => ({
  src: elements[uid + "-img"].src, alt: elements[uid + "-img"].alt, hidden: box.hidden,
  outs: [...Array(nControls).keys()].map((i) => elements[uid + "-c" + i + "-out"].textContent),
  aria: [...Array(nControls).keys()].map((i) => elements[uid + "-c" + i].attributes["aria-valuetext"]),
});
seen.push(snap());
for (const [control, value, type] of moves) {
  const input = elements[uid + "-c" + control];
  input.value = String(value);
  for (const f of input.listeners[type] || []) f({ type, target: input });
  seen.push(snap());
}
process.stdout.write(JSON.stringify(seen));
"""


def test_player_shows_the_frame_and_alt_text_of_each_grid_point():
    """player.js, run in Node on a minimal DOM: after every move of a slider (input or change
    event) the image is the frame Python rendered for that grid point, and the alt text, the
    visible values and aria-valuetext name that point's values."""
    import base64
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is needed to run player.js (apt-get install nodejs)")
    f = interactive_figure(
        line_setup(),
        {"a": [0.0, 0.5, 1.0], "b": [-1.0, 1.0]},
        labels={"a": "slope a"},
        alt="a line",
        initial={"a": 0.5, "b": 1.0},
    )
    page = f.to_html()
    uid = re.search(r'id="(relulab-if-[^"]+)"', page).group(1)
    script = re.findall(r"<script>(.*?)</script>", page, flags=re.S)[0]
    payload = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page).group(1)
    # every grid point, reached by single moves of one slider, by both kinds of event
    moves = [(1, 1, "input"), (0, 1, "change"), (0, 2, "input"), (1, 0, "change"), (0, 1, "input"), (0, 0, "change")]
    run = subprocess.run(
        [node, "-e", PLAYER_HARNESS],
        input=json.dumps([script.replace("__UID__", uid), payload, uid, 2, moves]),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    seen = json.loads(run.stdout)
    texts = [["0", "0.5", "1"], ["-1", "1"]]
    frames = f.frames  # C order over (a, b): what Python rendered for each grid point
    state = [0, 0]  # the harness's inputs start at index 0 (the page's HTML starts at the initial values)
    states = [list(state)]
    for control, value, _ in moves:
        state[control] = value
        states.append(list(state))
    assert seen[0]["hidden"] is False  # the script un-hides the controls
    for (i, j), shown in zip(states, seen, strict=True):
        assert shown["src"] == "data:image/webp;base64," + base64.b64encode(frames[i * 2 + j]).decode()
        assert shown["alt"] == f"a line (slope a = {texts[0][i]}, b = {texts[1][j]})"
        assert shown["outs"] == [texts[0][i], texts[1][j]] == shown["aria"]
    assert len({s["src"] for s in seen}) == 6  # every grid point was shown, each with its own frame


def test_html_ids_unique_and_script_safe():
    a = interactive_figure(line_setup(), {"a": [0.0, 1.0]}, alt="</script><b>x</b>").to_html()
    b = interactive_figure(line_setup(), {"a": [0.0, 1.0]}, alt="</script><b>x</b>").to_html()
    ida = re.search(r'id="(relulab-if-[^"]+)"', a).group(1)
    idb = re.search(r'id="(relulab-if-[^"]+)"', b).group(1)
    assert ida != idb
    assert a.count("</script>") == 2  # only the two real script ends


def test_mimebundle_has_all_views_and_respects_include():
    f = interactive_figure(line_setup(), {"a": [0.0, 1.0]}, alt="x")
    bundle = f._repr_mimebundle_()
    assert set(bundle) == {
        "text/plain",
        "text/html",
        "image/png",
        "application/vnd.jupyter.widget-view+json",
    }
    assert bundle["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert "model_id" in bundle["application/vnd.jupyter.widget-view+json"]
    only = f._repr_mimebundle_(include=["text/plain"])
    assert set(only) == {"text/plain"}
    assert "2 values" in only["text/plain"]


# ----------------------------------------------------------- live widget
def _widget_parts(box):
    """The sliders and the image of the live view, found through public ipywidgets API."""
    import ipywidgets as widgets

    sliders = [c for c in box.children if isinstance(c, widgets.SelectionSlider)]
    (image,) = [c for c in box.children if isinstance(c, widgets.Image)]
    return sliders, image


def test_widget_moves_call_update_with_grid_values():
    calls = []
    f = interactive_figure(
        line_setup(calls),
        {"a": [0.0, 0.5, 1.0], "b": [-1.0, 2.0]},
        labels={"a": "slope a", "b": "bias b"},
        alt="x",
    )
    box = f.widget()
    assert f.widget() is box  # created once
    (sa, sb), image = _widget_parts(box)
    assert sa.description == "slope a" and sb.description == "bias b"
    assert [lab for lab, _ in sa.options] == ["0", "0.5", "1"]
    before = image.value
    calls.clear()
    sa.value = 2
    assert calls == [{"a": 1.0, "b": -1.0}]
    assert image.value != before
    f.update(**calls[-1])
    assert np.abs(decode(image.value) - f.render(LIVE_DPI, blit=False)[..., :3].astype(np.int16)).max() <= 2
    sb.value = 1
    assert calls[-1] == {"a": 1.0, "b": 2.0}
    assert type(calls[-1]["a"]) is float


def test_widget_image_has_no_tooltip_and_a_text_description():
    """JupyterLab 4's ImageView breaks on a tooltip (updateTooltip error box instead of the
    figure); the alt text is a Label naming the current values instead."""
    import ipywidgets as widgets

    f = interactive_figure(line_setup(), {"a": [0.0, 1.0]}, labels={"a": "slope"}, alt="a line")
    box = f.widget()
    images = [c for c in box.children if isinstance(c, widgets.Image)]
    assert len(images) == 1 and images[0].tooltip is None
    assert all(getattr(c, "tooltip", None) is None for c in box.children)
    labels = [c for c in box.children if isinstance(c, widgets.Label)]
    assert [lab.value for lab in labels] == ["a line (slope = 0)"]
    slider = next(c for c in box.children if isinstance(c, widgets.SelectionSlider))
    slider.value = 1
    assert labels[0].value == "a line (slope = 1)"


def test_pyplot_figure_is_released():
    import matplotlib.pyplot as plt

    def setup():
        fig, ax = plt.subplots(figsize=(2, 2))
        (line,) = ax.plot(X, X)

        def update(a):
            line.set_ydata(a * X)

        return fig, update

    before = set(plt.get_fignums())
    f = interactive_figure(setup, {"a": [0.0, 1.0]}, alt="x")
    assert set(plt.get_fignums()) == before
    assert len(f.frames) == 2


# ------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("controls", "exc", "match"),
    [
        ({}, ValueError, "controls must be a dict mapping names .* with at least 1 entry, got {}"),
        ([("a", [0, 1])], TypeError, "controls must be a dict"),
        ({"a": [1.0]}, ValueError, r"controls\['a'\] must be a 1D sequence of at least 2 values, got shape \(1,\)"),
        ({"a": [[0, 1], [2, 3]]}, ValueError, r"got shape \(2, 2\)"),
        ({"a": "01"}, TypeError, r"controls\['a'\] must be a 1D sequence of numbers, got str"),
        ({"a": 3.0}, TypeError, "got float"),
        ({"a": [True, False]}, TypeError, r"controls\['a'\] must be an array of real numbers, got dtype bool"),
        ({"a": [1j, 2j]}, TypeError, r"controls\['a'\] must be an array of real numbers, got dtype complex"),
        ({"a": [0.0, np.nan]}, ValueError, r"controls\['a'\] must be finite, got \[0.0, nan\]"),
        ({"a": [0.0, 1.0, 0.0]}, ValueError, r"controls\['a'\] must not repeat a value, got \[0.0, 1.0, 0.0\]"),
        ({"not valid": [0, 1]}, ValueError, "control names must be valid Python identifiers .*got 'not valid'"),
        ({3: [0, 1]}, TypeError, "control names must be valid Python identifiers .*got int 3"),
        ({"a": np.float64(2.0)}, TypeError, r"controls\['a'\] must be a 1D sequence of numbers, got float64"),
        ({"a": np.array([0.0, 1.0])}, None, None),
        (
            {"a": list(range(MAX_FRAMES + 1))},
            ValueError,
            f"controls must span at most {MAX_FRAMES} grid points .*got {MAX_FRAMES + 1} grid points",
        ),
    ],
)
def test_bad_controls(controls, exc, match):
    if exc is None:  # the valid control next to the bad ones: an array is a sequence of numbers
        assert interactive_figure(line_setup(), controls, alt="x").shape == (2,)
        return
    with pytest.raises(exc, match=match):
        interactive_figure(line_setup(), controls, alt="x")


def test_bad_labels_alt_initial():
    ok = {"a": [0.0, 1.0]}
    with pytest.raises(ValueError, match=r"labels must have only the keys 'a', got the keys 'z'"):
        interactive_figure(line_setup(), ok, labels={"z": "zed"}, alt="x")
    with pytest.raises(ValueError, match=r"labels\['a'\] must be a non-empty string"):
        interactive_figure(line_setup(), ok, labels={"a": " "}, alt="x")
    with pytest.raises(TypeError, match=r"labels\['a'\] must be a non-empty string, got int 3"):
        interactive_figure(line_setup(), ok, labels={"a": 3}, alt="x")
    with pytest.raises(TypeError, match=r"labels must be a dict \{control name: text\} or None, got list"):
        interactive_figure(line_setup(), ok, labels=["a"], alt="x")
    for bad in ("", "   "):
        with pytest.raises(ValueError, match="alt must be a non-empty string describing the figure, got"):
            interactive_figure(line_setup(), ok, alt=bad)
    for bad in (None, 3):
        with pytest.raises(TypeError, match="alt must be a non-empty string describing the figure, got"):
            interactive_figure(line_setup(), ok, alt=bad)
    with pytest.raises(TypeError, match="alt"):
        interactive_figure(line_setup(), ok)  # alt is required
    with pytest.raises(ValueError, match=r"initial\['a'\] must be one of the grid values \[0.0, 1.0\], got 0.5"):
        interactive_figure(line_setup(), ok, alt="x", initial={"a": 0.5})
    with pytest.raises(ValueError, match=r"initial must have only the keys 'a', got the keys 'b'"):
        interactive_figure(line_setup(), ok, alt="x", initial={"b": 0.0})
    with pytest.raises(TypeError, match=r"initial\['a'\] must be a real number, got str '0'"):
        interactive_figure(line_setup(), ok, alt="x", initial={"a": "0"})


def test_bad_setup():
    ok = {"a": [0.0, 1.0]}
    with pytest.raises(TypeError, match="setup must be a callable"):
        interactive_figure("not callable", ok, alt="x")
    not_a_pair = r"the result of setup\(\) must be a tuple \(Figure, update\), got LegibleFigure"
    with pytest.raises(TypeError, match=not_a_pair):
        interactive_figure(lambda: figure()[0], ok, alt="x")
    with pytest.raises(ValueError, match=r"the result of setup\(\) must be a tuple \(Figure, update\) with exactly 2"):
        interactive_figure(lambda: (*figure(), lambda a: None), ok, alt="x")
    with pytest.raises(TypeError, match=r"setup\(\)\[0\] must be a matplotlib Figure, got Axes"):
        interactive_figure(lambda: (figure()[1], lambda a: None), ok, alt="x")
    with pytest.raises(TypeError, match=r"setup\(\)\[1\] must be a callable update\(\*\*values\), got int"):
        interactive_figure(lambda: (figure()[0], 3), ok, alt="x")


def test_initial_default_is_first_value():
    calls = []
    f = interactive_figure(line_setup(calls), {"a": [2.0, 1.0], "b": [5.0, 6.0]}, alt="x")
    assert f.initial == {"a": 0, "b": 0}
    assert calls[0] == {"a": 2.0, "b": 5.0}
    assert math.prod(f.shape) == 4


def test_tick_and_label_changes_force_correct_redraw():
    def setup():
        fig, ax = figure(figsize=(3, 2))
        (line,) = ax.plot(X, X)
        ax.set_ylim(-2, 2)

        def update(a):
            line.set_ydata(a * X)
            ax.set_yticks([-1.0, 0.0, 1.0] if a > 0 else [-2.0, 2.0])
            ax.set_ylabel(f"y (a = {a:g})")
            ax.set_ylim(-2, 2)

        return fig, update

    f = interactive_figure(setup, {"a": [-1.0, 0.5, 1.0]}, alt="x")
    for a in (0.5, 1.0, -1.0, -1.0, 0.5):
        f.update(a=a)
        fast = f.render(100).astype(np.int16)
        full = f.render(100, blit=False).astype(np.int16)
        assert np.abs(fast - full).max() <= 2, a
    assert f.redraws["full"] >= 4  # every tick/label change was a full draw


def test_integer_grid_passes_ints_float_grid_floats():
    calls = []

    def setup():
        fig, ax = figure(figsize=(2, 2))
        (line,) = ax.plot(X, X)
        ax.set_ylim(-4, 4)

        def update(k, a):
            calls.append((k, a))
            line.set_ydata(X * k + a)

        return fig, update

    f = interactive_figure(setup, {"k": np.arange(3), "a": [0.0, 1.0]}, alt="x", initial={"k": 2})
    assert calls[0] == (2, 0.0) and type(calls[0][0]) is int and type(calls[0][1]) is float
    assert f.values_at((1, 1)) == {"k": 1, "a": 1.0}
    _widget_parts(f.widget())[0][0].value = 0
    assert calls[-1] == (0, 0.0) and type(calls[-1][0]) is int


def test_frame_encoding_lossless_for_lines_lossy_for_heatmaps():
    def heat_setup():
        fig, ax = figure(figsize=(3, 3))
        g = np.linspace(-2, 2, 60)
        im = ax.imshow(np.zeros((60, 60)), vmin=-2, vmax=2, cmap="RdBu_r")

        def update(s):
            im.set_data(np.sin(s * g)[:, None] + np.cos(g)[None, :])

        return fig, update

    heat = interactive_figure(heat_setup, {"s": [0.5, 1.0]}, alt="a heatmap")
    lines = interactive_figure(line_setup(), {"a": [0.5, 1.0]}, alt="a line")
    assert lines.frames[0][:4] == b"RIFF" and lines.frames[0][12:16] == b"VP8L"  # lossless
    assert heat.frames[0][12:16] == b"VP8 "  # lossy
    for k, s in enumerate([0.5, 1.0]):
        heat.update(s=s)
        full = heat.render(FRAME_DPI, blit=False)[..., :3].astype(np.int16)
        assert np.abs(decode(heat.frames[k]) - full).mean() < 2.0


@pytest.mark.slow
@settings(max_examples=8, deadline=None)
@given(shape=st.lists(st.integers(2, 3), min_size=1, max_size=3), seed=st.integers(0, 10**6))
def test_property_every_grid_point_has_its_own_frame(shape, seed):
    """For any grid, frame k shows the state of grid point unravel_index(k): each point is
    drawn as a distinct bar pattern, so all frames differ and each decodes to its own state."""
    rng = np.random.default_rng(seed)
    names = [f"c{i}" for i in range(len(shape))]
    controls = {
        n: np.sort(rng.choice(np.arange(-50, 50), size=k, replace=False)) / 10.0
        for n, k in zip(names, shape, strict=True)
    }

    def setup():
        fig, ax = figure(figsize=(1.2, 1.0))
        bars = ax.bar(np.arange(len(names)), np.zeros(len(names)))
        ax.set_ylim(-5.5, 5.5)
        ax.set_axis_off()

        def update(**values):
            for bar, n in zip(bars, names, strict=True):
                bar.set_height(values[n])

        return fig, update

    f = interactive_figure(setup, controls, alt="bars")
    frames = f.frames
    assert len(frames) == math.prod(shape) == f.unique_frames
    k = int(rng.integers(len(frames)))
    f.update(**f.values_at(np.unravel_index(k, f.shape)))
    expected = f.render(FRAME_DPI, blit=False)[..., :3].astype(np.int16)
    assert np.abs(decode(frames[k]) - expected).mean() < 1.5


def test_blitting_with_inset_hidden_axes_and_axis_off():
    def setup():
        fig, (ax1, ax2) = figure(1, 2, figsize=(4, 2))
        (line,) = ax1.plot(X, X)
        ax1.set_ylim(-2, 2)
        inset = ax1.inset_axes([0.6, 0.6, 0.35, 0.35])
        (inner,) = inset.plot(X, X)
        inset.set_ylim(-2, 2)
        (other,) = ax2.plot(X, -X)
        ax2.set_ylim(-2, 2)
        ax2.set_axis_off()

        def update(a, show):
            line.set_ydata(a * X)  # passes under the inset
            inner.set_ydata(-a * X)
            other.set_ydata(a * X**2)
            ax2.set_visible(show > 0)

        return fig, update

    f = interactive_figure(setup, {"a": [-1.0, 0.0, 1.0], "show": [0, 1]}, alt="x")
    for a, show in [(1.0, 1), (-1.0, 1), (0.0, 1), (0.0, 0), (1.0, 0), (-1.0, 1), (1.0, 1)]:
        f.update(a=a, show=show)
        fast = f.render(100).astype(np.int16)
        full = f.render(100, blit=False).astype(np.int16)
        assert np.abs(fast - full).max() <= 2, (a, show)
    # the line under the inset and the inset's own line cannot be blitted: full draws
    assert f.redraws == {"blitted": 0, "full": 7}
