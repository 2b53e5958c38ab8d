"""The training explorables in Python: KillNetwork and ActivationRace (state, checks, website HTML, the
widget bundle), the data they carry, and their previews against the browser's own runs (Node).

The views run in Chromium in tests/browser/test_train_explorables.py; the training core is compared
with JAX and optax in tests/test_train_js.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import numpy as np
import pytest
from matplotlib import colors as mcolors

from relulab import data, explorables, plots
from relulab.explorables import ActivationRace, KillNetwork, training

NODE = shutil.which("node")
RACE_RATES = [(0.1, [0.032, 0.1, 0.32]), (0.1, [0.1, 0.32]), (0.32, [0.1, 0.32, 1.0]), (0.1, [0.032, 0.1])]


def website_state(fragment: str) -> dict:
    m = re.search(r'<script type="application/json" class="relulab-explorable-state">(.*?)</script>', fragment)
    assert m, fragment[:300]
    return json.loads(m.group(1).replace("<\\/", "</"))


# ------------------------------------------------------------------ data
def test_digits_payload_decodes_to_the_library_digits():
    X_train, y_train, X_test, y_test = training.digits_arrays()
    split = data.digits(flat=True)
    np.testing.assert_allclose(X_train, np.asarray(split.X_train), atol=1e-6)
    np.testing.assert_allclose(X_test, np.asarray(split.X_test), atol=1e-6)
    assert y_train.tolist() == np.asarray(split.y_train).tolist()
    assert y_test.tolist() == np.asarray(split.y_test).tolist()
    payload = training.digits_payload()
    assert set(payload["pixels"]) <= set(training.PIXEL_CODE) and len(payload["labels"]) == 1797


def test_curve_payload():
    X, Y = training.curve_arrays()
    assert X.shape == Y.shape == (200, 1)
    np.testing.assert_allclose(Y[:, 0], np.sin(np.pi * X[:, 0]))
    with pytest.raises(ValueError, match="n must be"):
        training.curve_payload(1)


def test_replay_checks_its_input():
    X, Y = training.curve_arrays(training.curve_payload(10))
    common = dict(sizes=[1, 4, 1], X=X, y=Y, steps=4)
    with pytest.raises(ValueError, match="learning_rates must be a non-empty sequence"):
        training.replay(learning_rates=[], **common)
    with pytest.raises(ValueError, match=r"learning_rates\[1\] must be"):
        training.replay(learning_rates=[0.1, -1.0], **common)
    with pytest.raises(ValueError, match="activation must be one value or a sequence of 2"):
        training.replay(learning_rates=[0.1, 0.2], activation=["relu"], **common)
    with pytest.raises(ValueError, match="eval_every must divide steps = 4"):
        training.replay(learning_rates=[0.1], eval_every=3, **common)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 1\)"):
        training.replay(learning_rates=[0.1], sizes=[1, 4, 1], X=np.ones((3, 2)), y=Y[:3], steps=4)


def test_replay_with_several_activations_equals_separate_runs():
    """The race's one compiled program (lax.switch per run) gives each runner's own run."""
    X, y, _, _ = training.digits_arrays()
    X, y = X[:200], y[:200]
    common = dict(sizes=[64, 8, 10], X=X, y=y, steps=30, seed=4, loss="cross_entropy", momentum=0.9, batch_size=16)
    both = training.replay(
        learning_rates=[0.1, 0.3], activation=["relu", "sigmoid"], init=["he", "glorot"], scale=[1.0, 4.0], **common
    )
    for r, (lr, act, init, scale) in enumerate([(0.1, "relu", "he", 1.0), (0.3, "sigmoid", "glorot", 4.0)]):
        alone = training.replay(learning_rates=[lr], activation=act, init=init, scale=scale, **common)
        np.testing.assert_allclose(both["loss"][r], alone["loss"][0], rtol=1e-12)
        np.testing.assert_array_equal(both["accuracy"][r], alone["accuracy"][0])


# ------------------------------------------------------------------ KillNetwork
def test_kill_network_state_and_html():
    w = KillNetwork(learning_rate=0.8, width=8, depth=3, seed=7, preview_rates=[0.2, 0.8])
    state = w.state()
    assert {
        "digits",
        "curve",
        "data",
        "learning_rate",
        "learning_rates",
        "activation",
        "init",
        "width",
        "depth",
        "optimizer",
        "seed",
        "steps",
        "speed",
        "result",
    } == set(state)
    assert state["steps"] == 400 and w.sizes() == [64, 8, 8, 8, 10]
    fragment = w.to_html()
    assert website_state(fragment) == state
    assert 'data-relulab-explorable="kill_network"' in fragment
    dead = w.dead_after()
    alt = w.alt_text()
    for lr, counts in zip([0.2, 0.8], dead, strict=True):
        assert f"at learning rate {lr:g}, {sum(counts)} of 24 units are dead after 400 steps" in alt
    assert w._esm == explorables.bundle("kill_network.mjs")
    curve = KillNetwork(data="curve", learning_rate=0.5)
    assert curve.steps == 2000 and curve.sizes() == [1, 32, 32, 1]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"data": "mnist"}, ValueError, "data must be one of digits, curve"),
        ({"learning_rate": 0.25}, ValueError, "learning_rate must be one of the slider's learning_rates"),
        ({"learning_rate": "0.1"}, TypeError, "learning_rate must be"),
        ({"width": 3}, ValueError, "width must be one of 1, 2, 4, 8, 16, 32, 64"),
        ({"depth": 0}, ValueError, "depth must be a positive integer"),
        ({"activation": "swish"}, ValueError, "activation must be one of relu"),
        ({"init": "orthogonal"}, ValueError, "init must be one of he, glorot, lecun"),
        ({"optimizer": "rmsprop"}, ValueError, "optimizer must be one of sgd, adam"),
        ({"seed": -1}, ValueError, "seed must be a non-negative integer"),
        ({"seed": 2**32}, ValueError, "seed must be an integer from 0 to 2\\*\\*32 - 1"),
        ({"steps": 450}, ValueError, "steps must be one of 100, 200"),
        ({"speed": "warp"}, ValueError, "speed must be one of slow, normal, fast"),
        ({"learning_rates": [0.1, 0.05]}, ValueError, "learning_rates must be a non-empty increasing sequence"),
        ({"preview_rates": [0.25]}, ValueError, r"preview_rates\[0\] must be one of the slider's learning_rates"),
    ],
)
def test_kill_network_rejects_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        KillNetwork(**kwargs)


def test_kill_network_settings_from_python_are_checked():
    w = KillNetwork()
    w.learning_rate = 2.0
    assert w.state()["learning_rate"] == 2.0
    with pytest.raises(ValueError, match="width must be one of"):
        w.width = 5


# ------------------------------------------------------------------ ActivationRace
def test_race_state_and_html():
    w = ActivationRace(learning_rates=RACE_RATES, seed=2)
    state = w.state()
    assert [r["color"] for r in state["runners"]] == [plots.series_style(i)["color"] for i in range(4)]
    assert state["sizes"] == [64, 32, 32, 32, 10] and state["steps"] == 300
    fragment = w.to_html()
    assert website_state(fragment) == state and 'data-relulab-explorable="race"' in fragment
    reached = w.preview()["steps_to_target"]
    alt = w.alt_text()
    for runner, s in zip(state["runners"], reached, strict=True):
        assert (f"at step {s}" if s is not None else "not within 300 steps") in alt
        assert runner["label"] in alt


def test_race_runner_colours_reach_the_page_as_hex():
    """A runner's colour may be any matplotlib colour (the chapter darkens the sigmoid's orange into an RGB
    tuple); the view gets "#rrggbb", which an SVG stroke paints (a tuple arrived as "0.5,0.34,0": no line,
    no swatch), and the fallback figure draws the same colour."""
    dark = tuple(0.55 * np.array(mcolors.to_rgb(plots.activation_style("sigmoid")["color"])))
    runners = [
        {"label": "a", "activation": "relu", "init": "he", "learning_rate": 0.1, "learning_rates": [0.1]},
        {
            "label": "b",
            "activation": "sigmoid",
            "init": "glorot",
            "scale": 4.0,
            "learning_rate": 0.1,
            "learning_rates": [0.1],
            "color": dark,
            "dash": "",
        },
        {
            "label": "c",
            "activation": "tanh",
            "init": "glorot",
            "learning_rate": 0.1,
            "learning_rates": [0.1],
            "color": np.array([0.0, 0.4, 0.8]),
            "dash": "7.4, 3.2",
        },
        {
            "label": "d",
            "activation": "sigmoid",
            "init": "glorot",
            "learning_rate": 0.1,
            "learning_rates": [0.1],
            "color": "black",
        },
    ]
    state = ActivationRace(runners=runners, steps=100).state()
    colours = [r["color"] for r in state["runners"]]
    # by hand: 0.55 x #E69F00 = (126.5, 87.45, 0) -> #7F5700; (0, 0.4, 0.8) x 255 = (0, 102, 204) -> #0066CC
    assert colours == [plots.series_style(0)["color"], "#7F5700", "#0066CC", "#000000"]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours)
    assert [r["dash"] for r in state["runners"]] == ["", "", "7.4 3.2", "1.5 2"]


@pytest.mark.parametrize(
    ("colour", "dash", "error", "message"),
    [
        ("var(--rl-blue)", "", ValueError, r"runners\[0\] color must be a matplotlib colour"),
        ((1.5, 0.0, 0.0), "", ValueError, r"runners\[0\] color must be a matplotlib colour"),
        ("#0072B2", (0, (3.7, 1.6)), TypeError, r"runners\[0\] dash must be an SVG dash array"),
        ("#0072B2", "6 -3", ValueError, r"runners\[0\] dash must be non-negative numbers"),
        ("#0072B2", "0 0", ValueError, r"runners\[0\] dash must be non-negative numbers, not all 0"),
        ("#0072B2", "dashed", ValueError, r"runners\[0\] dash must be non-negative numbers"),
    ],
)
def test_race_rejects_a_colour_or_dash_no_browser_draws(colour, dash, error, message):
    runner = {"label": "a", "activation": "relu", "init": "he", "learning_rate": 0.1, "learning_rates": [0.1]}
    with pytest.raises(error, match=message):
        ActivationRace(runners=[runner | {"color": colour, "dash": dash}])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, r"learning_rates must give \(4\) pairs"),
        (
            {"learning_rates": [(0.2, [0.1])] * 4},
            r"runners\[0\] learning_rate must be one of its learning_rates \[0.1\]",
        ),
        ({"runners": [{"label": "x", "activation": "relu"}]}, r"runners\[0\] must have the keys"),
        (
            {
                "runners": [
                    {"label": "x", "activation": "swish", "init": "he", "learning_rate": 0.1, "learning_rates": [0.1]}
                ]
            },
            r"runners\[0\] activation must be one of",
        ),
        ({"learning_rates": RACE_RATES, "sizes": [2, 8, 10]}, "sizes must start with 64 inputs"),
        ({"learning_rates": RACE_RATES, "steps": 400}, "steps must be one of 100, 300, 1000"),
        ({"learning_rates": RACE_RATES, "target": 1.5}, "target must be a number strictly between 0 and 1"),
    ],
)
def test_race_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ActivationRace(**kwargs)


# ------------------------------------------------------------------ the views' bundles load
@pytest.mark.skipif(NODE is None, reason="node not found: the bundles' syntax is checked where Node is installed")
@pytest.mark.parametrize("view", ["kill_network.mjs", "race.mjs"])
def test_widget_bundle_is_one_loadable_module(tmp_path, view):
    path = tmp_path / view
    path.write_text(explorables.bundle(view))
    script = f"import({json.dumps(path.as_uri())}).then((m) => console.log(typeof m.default.render))"
    run = subprocess.run([NODE, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "function"


# ------------------------------------------------------------------ previews are the browser's runs
@pytest.mark.slow
@pytest.mark.skipif(NODE is None, reason="node not found")
def test_kill_network_preview_is_the_browsers_run(tmp_path):
    """The curve at the cliff: the dead units Python states are the ones the browser's trainer finds."""
    w = KillNetwork(data="curve", learning_rate=0.5, seed=3, steps=1000, width=16, preview_rates=[0.1, 0.5])
    X, Y = training.curve_arrays(w.curve)
    script = tmp_path / "run.mjs"
    core = explorables.source("train.mjs")
    (tmp_path / "train.mjs").write_text(core)
    script.write_text(
        'import * as T from "./train.mjs";\n'
        f"const xs = {json.dumps(X.tolist())}, ys = {json.dumps(Y.tolist())};\n"
        "const data = T.dataset(xs, ys, { nIn: 1, nOut: 1 });\n"
        "const out = [0.1, 0.5].map((lr) => { const t = new T.Trainer({ sizes: [1, 16, 16, 1], seed: 3, optimizer: T.sgd(lr), data });\n"  # noqa: E501
        "  for (let i = 0; i < 1000; i++) t.step(); return t.units().map((u) => u.dead.filter(Boolean).length); });\n"
        "console.log(JSON.stringify(out));\n"
    )
    run = subprocess.run([NODE, str(script)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == w.dead_after()
    assert sum(w.dead_after()[1]) > sum(w.dead_after()[0])  # the cliff shows in this example
