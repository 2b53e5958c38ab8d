"""The explorables' JavaScript core (``code/relulab/explorables/core.mjs``) against relulab, the reference.

Node runs the core behind a line-oriented JSON bridge (``tests/js/driver.mjs``), one process per test
session. Hypothesis generates networks of 1-3 hidden layers of 1-12 units whose weights mix integers,
halves, zeros and arbitrary floats, so that zero weights, dead units, coincident kinks, kinks exactly at
the interval's ends and lines through the box's corners all occur; a few such cases are also written out.
Forward values must agree to a relative 1e-9 (of the size of the terms summed), breakpoints in number and
to 1e-9 relative in position, piece counts, region counts and activation patterns exactly. The core's own
cases run with ``node --test tests/js`` (``test_node_unit_tests`` below runs them in ``make test``).

Without Node.js the tests skip locally and fail under ``CI=true``.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
from pathlib import Path

import jax
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from relulab import activations, nets, regions

REPO = Path(__file__).resolve().parents[1]
NODE = shutil.which("node")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _need_node() -> str:
    if NODE is None:
        if IN_CI:
            pytest.fail("node is missing and CI=true: the explorables' core cannot be tested")
        pytest.skip("node not found (apt-get install nodejs): the explorables' core is not tested")
    return NODE


class Core:
    """The Node bridge: ``core("regions2d", params, box)`` returns what the JavaScript function returns."""

    def __init__(self, node: str) -> None:
        self.proc = subprocess.Popen(
            [node, str(REPO / "tests" / "js" / "driver.mjs")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def __call__(self, op: str, *args):
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"op": op, "args": list(args)}) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["ok"]

    def close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream:
                stream.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def core():
    c = Core(_need_node())
    yield c
    c.close()


def as_json(params) -> list:
    return [[np.asarray(W, np.float64).tolist(), np.asarray(b, np.float64).tolist()] for W, b in params]


def default_tolerance(fn) -> float:
    """The default of ``fn``'s one keyword-only tolerance argument, whatever it is called."""
    (default,) = [p.default for p in inspect.signature(fn).parameters.values() if p.kind is p.KEYWORD_ONLY]
    return float(default)


# ------------------------------------------------------------------ strategies
NICE = [0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1.5, -3.0]
# arbitrary floats of magnitude 1e-3 to 3 (smaller ones multiply to subnormals over three layers, where
# relulab's float64 division itself overflows: not a case a figure meets)
weight = st.one_of(st.sampled_from(NICE), st.floats(1e-3, 3.0), st.floats(-3.0, -1e-3))


@st.composite
def networks(draw, n_in: int):
    depth = draw(st.integers(1, 3))
    widths = [n_in] + [draw(st.integers(1, 12)) for _ in range(depth)] + [1]
    params = []
    for m, n in zip(widths[:-1], widths[1:], strict=True):
        W = np.array(draw(st.lists(weight, min_size=m * n, max_size=m * n)), np.float64).reshape(m, n)
        b = np.array(draw(st.lists(weight, min_size=n, max_size=n)), np.float64)
        if n > 1 and draw(st.booleans()):  # coincident kinks / lines: a unit that repeats another, scaled
            j, k = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
            scale = draw(st.sampled_from([1.0, 2.0, 0.5, -1.0]))
            W[:, k], b[k] = scale * W[:, j], scale * b[j]
        params.append((W, b))
    return params


intervals = st.one_of(
    st.tuples(st.sampled_from([-3.0, -2.0, -1.0, -0.5, 0.0]), st.sampled_from([0.5, 1.0, 2.0, 3.0])),
    st.tuples(st.floats(-4, 0), st.floats(0.01, 4)),
)
boxes = st.one_of(
    st.sampled_from([(-1.0, 1.0, -1.0, 1.0), (-2.0, 2.0, -2.0, 2.0), (0.0, 1.0, 0.0, 1.0), (-3.0, 1.0, -1.0, 2.0)]),
    st.tuples(st.floats(-3, -0.1), st.floats(0.1, 3), st.floats(-3, -0.1), st.floats(0.1, 3)),
)


# ------------------------------------------------------------------ forward
def reference_forward(params, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """relulab's forward pass in float64, and the same with absolute values (the size of the terms)."""
    with jax.enable_x64(True):
        out = np.asarray(nets.mlp_apply([(np.asarray(W), np.asarray(b)) for W, b in params], x))
    h = np.abs(x)
    for W, b in params[:-1]:
        h = np.abs(h @ np.abs(W) + np.abs(b))
    W, b = params[-1]
    return out, h @ np.abs(W) + np.abs(b)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), n_in=st.sampled_from([1, 2, 3]))
def test_forward_matches_relulab(core, data, n_in):
    params = data.draw(networks(n_in))
    xs = np.array(data.draw(st.lists(st.lists(weight, min_size=n_in, max_size=n_in), min_size=1, max_size=6)))
    got = np.array(core("forward", as_json(params), xs.tolist()))
    want, size = reference_forward(params, xs)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9 * float(size.max()))


@pytest.mark.parametrize("name", sorted(activations.ACTIVATIONS))
def test_activations_match_relulab(core, name):
    """f and f' of every activation relulab has (SiLU is JAX's) against jax in float64, on a grid through 0."""
    x = np.concatenate([np.linspace(-6.0, 6.0, 241), [0.0, -1e-8, 1e-8, -30.0, 30.0]])
    got = np.array(core("activation", name, x.tolist()))
    with jax.enable_x64(True):
        fn = activations.resolve(name) if name != "leaky_relu" else (lambda z: activations.leaky_relu(z, 0.1))
        f = np.asarray(fn(x))
        df = np.asarray(activations.derivative(fn)(x))
    np.testing.assert_allclose(got[:, 0], f, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got[:, 1], df, rtol=1e-12, atol=1e-15)


def test_prelu_matches_relulab(core):
    """The view draws PReLU at its usual initial slope 0.25: relulab's prelu(x, 0.25), f and f' (f'(0) = 1)."""
    x = np.concatenate([np.linspace(-6.0, 6.0, 241), [0.0, -1e-8, 1e-8, -30.0, 30.0]])
    got = np.array(core("activation", "prelu", x.tolist()))
    with jax.enable_x64(True):
        fn = lambda z: activations.prelu(z, 0.25)  # noqa: E731
        f, df = np.asarray(fn(x)), np.asarray(activations.derivative(fn)(x))
    np.testing.assert_allclose(got[:, 0], f, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got[:, 1], df, rtol=1e-12, atol=1e-15)


def test_silu_matches_jax(core):
    x = np.linspace(-8.0, 8.0, 161)
    got = np.array(core("activation", "silu", x.tolist()))
    with jax.enable_x64(True):
        f = np.asarray(jax.nn.silu(x))
        df = np.asarray(jax.vmap(jax.grad(jax.nn.silu))(x))
    np.testing.assert_allclose(got[:, 0], f, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got[:, 1], df, rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------------ 1-D
def compare_1d(core, params, lo, hi):
    got = core("breakpoints1d", as_json(params), lo, hi)
    want = regions.breakpoints_1d(params, lo, hi)
    assert len(got["breakpoints"]) == len(want), (got["breakpoints"], want.tolist())
    np.testing.assert_allclose(got["breakpoints"], want, rtol=1e-9, atol=1e-9 * max(abs(lo), abs(hi), 1.0))
    assert got["pieces"] == regions.count_pieces_1d(params, lo, hi)
    pieces = regions.pieces_1d(params, lo, hi)
    np.testing.assert_allclose(got["knots"], pieces.knots, rtol=1e-9, atol=1e-9 * max(abs(lo), abs(hi), 1.0))
    switches = regions.unit_switches_1d(params, lo, hi)
    assert [(s["layer"], s["unit"], s["turnsOn"]) for s in got["switches"]] == [
        (s.layer, s.unit, s.turns_on) for s in switches
    ]
    return got


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), interval=intervals)
def test_breakpoints_1d_match_relulab(core, data, interval):
    lo, hi = interval
    assume(lo < hi)
    compare_1d(core, data.draw(networks(1)), lo, hi)


DEGENERATE_1D = {
    "zero weights": [(np.zeros((1, 3)), np.array([1.0, -1.0, 0.0])), (np.ones((3, 1)), np.zeros(1))],
    "dead units": [(np.array([[1.0, -1.0]]), np.array([-10.0, -10.0])), (np.ones((2, 1)), np.zeros(1))],
    "coincident kinks": [(np.array([[1.0, 2.0, -3.0]]), np.array([-1.0, -2.0, 3.0])), (np.ones((3, 1)), np.zeros(1))],
    "kinks at both ends": [(np.array([[1.0, 1.0]]), np.array([2.0, -2.0])), (np.array([[1.0], [-2.0]]), np.zeros(1))],
    "cancelling kinks": [(np.array([[1.0, -1.0]]), np.zeros(2)), (np.array([[1.0], [-1.0]]), np.zeros(1))],
    "silent switch": [(np.ones((1, 1)), np.zeros(1)), (np.ones((1, 1)), -np.ones(1)), (np.ones((1, 1)), np.zeros(1))],
    "folding": regions.sawtooth_params(4),
}


@pytest.mark.parametrize("name", sorted(DEGENERATE_1D))
def test_degenerate_1d(core, name):
    compare_1d(core, DEGENERATE_1D[name], -2.0, 2.0)
    compare_1d(core, DEGENERATE_1D[name], 0.0, 1.0)


def test_tolerances_are_relulabs(core):
    constants = core("constants")
    assert constants["DEFAULT_RTOL"] == regions.DEFAULT_RTOL
    assert constants["DEFAULT_RTOL"] == default_tolerance(regions.count_pieces_1d)
    assert constants["DEFAULT_RTOL"] == default_tolerance(regions.count_regions_2d)


def test_errors_name_the_argument(core):
    with pytest.raises(RuntimeError, match="lo must be below hi"):
        core("breakpoints1d", as_json(DEGENERATE_1D["dead units"]), 1.0, 1.0)
    with pytest.raises(RuntimeError, match=r"params\[0\] W must have 2 rows"):
        core("regions2d", as_json(DEGENERATE_1D["dead units"]), [-1, 1, -1, 1])


# ------------------------------------------------------------------ 2-D
def compare_2d(core, params, box):
    got = core("regions2d", as_json(params), list(box))
    want = regions.region_polygons(params, box)
    assert len(got) == len(want) == regions.count_regions_2d(params, box)
    assert sorted(tuple(r["pattern"]) for r in got) == sorted(tuple(p.tolist()) for _, p in want)
    area = 0.0
    for r in got:
        v = np.array(r["polygon"])
        w = np.roll(v, -1, axis=0)
        area += 0.5 * float(np.sum(v[:, 0] * w[:, 1] - w[:, 0] * v[:, 1]))
    assert area == pytest.approx((box[1] - box[0]) * (box[3] - box[2]), rel=1e-9)
    return got


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), box=boxes)
def test_regions_2d_match_relulab(core, data, box):
    compare_2d(core, data.draw(networks(2)), box)


DEGENERATE_2D = {
    "lines through the corners": [
        (np.array([[1.0, 1.0, 1.0], [1.0, -1.0, 1.0]]), np.array([-2.0, 0.0, 2.0])),
        (np.ones((3, 1)), np.zeros(1)),
    ],
    "line along an edge": [(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, -1.0])), (np.ones((2, 1)), np.zeros(1))],
    "three lines through one point": [
        (np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]), np.zeros(3)),
        (np.ones((3, 1)), np.zeros(1)),
    ],
    "dead second layer": [
        (np.eye(2), np.zeros(2)),
        (np.ones((2, 2)), np.array([-100.0, -100.0])),
        (np.ones((2, 1)), np.zeros(1)),
    ],
    "zero first layer": [(np.zeros((2, 3)), np.array([1.0, 0.0, -1.0])), (np.ones((3, 1)), np.zeros(1))],
}


@pytest.mark.parametrize("name", sorted(DEGENERATE_2D))
def test_degenerate_2d(core, name):
    compare_2d(core, DEGENERATE_2D[name], (-1.0, 1.0, -1.0, 1.0))


def test_random_networks_of_the_book(core):
    """He-initialised networks like the chapters' (2-16-16-1 on [-2, 2]^2, and 1-10-10-1)."""
    rng = np.random.default_rng(7)
    for _ in range(5):
        compare_2d(core, nets.random_mlp(rng, [2, 16, 16, 1]), (-2.0, 2.0, -2.0, 2.0))
        compare_1d(core, nets.random_mlp(rng, [1, 10, 10, 1]), -3.0, 3.0)


def test_local_linear_map_is_the_network(core):
    """On each region the core's grad and offset give the network's output at the region's centre."""
    rng = np.random.default_rng(3)
    params = nets.random_mlp(rng, [2, 8, 8, 1])
    got = core("regions2d", as_json(params), [-2, 2, -2, 2])
    centres = np.array([np.mean(r["polygon"], axis=0) for r in got])
    linear = np.array([np.dot(r["grad"], c) + r["offset"] for r, c in zip(got, centres, strict=True)])
    want, _ = reference_forward(params, centres)
    np.testing.assert_allclose(linear, want[:, 0], rtol=1e-9, atol=1e-9)


# ------------------------------------------------------------------ node --test
def test_node_unit_tests():
    """``node --test tests/js``: the core's own hand-checked cases."""
    node = _need_node()
    run = subprocess.run([node, "--test", str(REPO / "tests" / "js")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout
