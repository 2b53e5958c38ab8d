"""The explorables' training core (``code/relulab/explorables/train.mjs``) against the library.

pytest drives Node (``tests/js/train_driver.mjs``, one JSON request per line) and compares, in
float64 (JAX's x64 mode, switched on only inside these tests with ``jax.enable_x64``):

* gradients with ``jax.grad`` of ``relulab.train.loss_and_accuracy``'s loss at the same parameters
  (relative 1e-6), on hypothesis-generated networks, data, activations and losses;
* 50 full-batch steps of SGD (with and without momentum) and of Adam with optax's trajectory
  (relative 1e-6);
* dead units with ``relulab.dead.dead_units``, including the activations' underflow tails;
* the activations and their derivatives with ``relulab.activations`` (relu'(0) = 0 on both sides);
* the seeded draws (initial weights, minibatch orders) with ``relulab.explorables.seeded``,
  number for number.

Weights and inputs are drawn from a dyadic grid (multiples of 1/32), so the first layer's
pre-activations are exact in any summation order and a ReLU kink at exactly 0 is the same on both
sides; where a later pre-activation lands within 1e-9 of a kink without being exactly on it, the
example is discarded, because there the derivative legitimately depends on the last bit.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from decimal import Decimal, localcontext
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relulab import activations, dead, nets
from relulab.explorables import seeded, training
from relulab.train._losses import loss_acc

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "code" / "relulab" / "explorables" / "train.mjs"
DRIVER = ROOT / "tests" / "js" / "train_driver.mjs"
ACTS = ["relu", "leaky_relu", "elu", "gelu", "softplus", "tanh", "sigmoid"]
MIN_NORMAL = np.finfo(np.float64).tiny
# Every example compiles its own JAX program (new shapes), so the examples are few but varied.
HYPOTHESIS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------------------ the Node side
class Node:
    """One Node process serving train_driver.mjs for the whole module."""

    def __init__(self, exe: str):
        self.proc = subprocess.Popen(
            [exe, str(DRIVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )

    def __call__(self, op: str, **request):
        self.proc.stdin.write(json.dumps({"op": op, **request}, default=_plain) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the Node driver stopped")
        answer = json.loads(line, parse_constant=float, object_hook=_numbers)
        if "error" in answer:
            raise NodeError(answer["error"], answer["message"])
        return _floats(answer["ok"])

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


class NodeError(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind = kind


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value).__name__)


def _numbers(obj):
    return obj


def _floats(value):
    """The driver's "NaN" / "Infinity" strings back to floats."""
    if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
        return float(value.replace("Infinity", "inf"))
    if isinstance(value, list):
        return [_floats(v) for v in value]
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def node():
    exe = shutil.which("node")
    if exe is None:
        message = "Node.js is needed to test the explorables' JavaScript (apt-get install nodejs)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = Node(exe)
    yield server
    server.close()


# ------------------------------------------------------------------------------ strategies
GRID = st.integers(-48, 48).map(lambda k: k / 32)  # dyadic numbers in [-1.5, 1.5]


@st.composite
def networks(draw, *, max_hidden=3, max_width=6, biases=GRID):
    n_in = draw(st.integers(1, 3))
    hidden = draw(st.lists(st.integers(1, max_width), min_size=1, max_size=max_hidden))
    n_out = draw(st.integers(1, 3))
    sizes = [n_in, *hidden, n_out]
    params = [
        (draw(hnp.arrays(np.float64, (a, b), elements=GRID)), draw(hnp.arrays(np.float64, (b,), elements=biases)))
        for a, b in zip(sizes[:-1], sizes[1:], strict=False)
    ]
    return params


@st.composite
def problems(draw):
    params = draw(networks())
    n_in, n_out = params[0][0].shape[0], params[-1][0].shape[1]
    n = draw(st.integers(1, 8))
    X = draw(hnp.arrays(np.float64, (n, n_in), elements=st.integers(-96, 96).map(lambda k: k / 32)))
    activation = draw(st.sampled_from(ACTS))
    loss = draw(st.sampled_from(["mse", "cross_entropy"]))
    if loss == "cross_entropy" or draw(st.booleans()):
        y = draw(
            hnp.arrays(np.int32, (n,), elements=st.integers(0, 1 if (n_out == 1 and loss != "mse") else n_out - 1))
        )
    else:
        y = draw(hnp.arrays(np.float64, (n, n_out), elements=GRID))
    return params, X, y, activation, loss


def pre_activations(params, X, activation):
    """Every hidden pre-activation, by the library's forward pass (float64)."""
    with jax.enable_x64(True):
        return [np.asarray(z) for z in dead.hidden_preactivations(_jax(params), jnp.asarray(X), activation=activation)]


def near_kink(params, X, activation) -> bool:
    """A pre-activation within 1e-9 of the kink at 0 without being on it (ReLU and leaky ReLU only)."""
    if activation not in ("relu", "leaky_relu"):
        return False
    return any(np.any((np.abs(z) < 1e-9) & (z != 0)) for z in pre_activations(params, X, activation))


def _jax(params):
    return [(jnp.asarray(W, dtype=jnp.float64), jnp.asarray(b, dtype=jnp.float64)) for W, b in params]


def _ys(y):
    return y.tolist()


def library_loss(params, X, y, activation, loss):
    """relulab.train's loss (the function behind loss_and_accuracy and fit, without the input checks,
    which look at the labels' values and so cannot run under jit)."""
    # it compares int32 labels with argmax's default int, int64 in x64 mode: standard promotion
    with jax.numpy_dtype_promotion("standard"):
        return loss_acc(nets.mlp_apply(params, X, activation=activation), y, loss)[0]


def assert_close(actual, expected, what):
    """Relative 1e-6, with an absolute floor of 1e-12 times the largest entry for entries near 0."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    floor = 1e-12 * max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=floor, err_msg=what)


# ------------------------------------------------------------------------------ activations
def test_relu_derivative_at_zero_is_zero_on_both_sides(node):
    with jax.enable_x64(True):
        assert float(jax.grad(jax.nn.relu)(0.0)) == 0.0
        assert float(activations.derivative("relu")(0.0)) == 0.0
        at_zero = {name: float(activations.derivative(name)(0.0)) for name in ACTS}
    js = {name: node("activation", name=name, zs=[0.0])["df"][0] for name in ACTS}
    assert js["relu"] == 0.0
    assert js == pytest.approx(at_zero, rel=1e-15)


TAIL_POINTS = [-800.0, -720.0, -708.5, -708.3, -40.0, -38.6, -37.5, -30.0, -5.0, -1.0, -0.25, 0.0, 1e-3, 0.7, 3.0, 40.0]


@pytest.mark.parametrize("name", ACTS)
def test_activation_values_and_derivatives_match_relulab(node, name):
    js = node("activation", name=name, zs=TAIL_POINTS)
    with jax.enable_x64(True):
        z = jnp.asarray(TAIL_POINTS, dtype=jnp.float64)
        f = np.asarray(activations.ACTIVATIONS[name](z))
        df = np.asarray(activations.derivative(name)(z))
    values = np.where(np.abs(js["f"]) < MIN_NORMAL, 0.0, js["f"])  # XLA flushes subnormals to zero
    np.testing.assert_allclose(values, f, rtol=1e-13, atol=0)
    np.testing.assert_allclose(np.where(np.abs(js["df"]) < MIN_NORMAL, 0.0, js["df"]), df, rtol=1e-12, atol=0)


def erfcx_table(intervals=4, nodes=32, cutoff=1e-19):
    """Chebyshev coefficients of erfcx(x) = exp(x^2) erfc(x) on [k, k + 1], k = 0 .. intervals - 1,
    computed in 90-digit decimal arithmetic and rounded to float64, as train.mjs holds them."""
    with localcontext() as ctx:
        ctx.prec = 90
        tiny = Decimal(10) ** -88

        def atan_inv(n):  # atan(1/n), Taylor series
            x = Decimal(1) / n
            term, total, k = x, x, 1
            while abs(term) > tiny:
                term *= -x * x
                k += 2
                total += term / k
            return total

        pi = 16 * atan_inv(5) - 4 * atan_inv(239)  # Machin's formula
        sqrt_pi = pi.sqrt()

        def cos(t):
            total, term, k = Decimal(1), Decimal(1), 0
            while abs(term) > tiny:
                k += 2
                term *= -t * t / ((k - 1) * k)
                total += term
            return total

        def erfcx(x):
            term, total, n = x, x, 0  # erf(x) = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            while True:
                n += 1
                term *= -x * x / n
                step = term / (2 * n + 1)
                total += step
                if abs(step) < tiny:
                    break
            return (x * x).exp() * (1 - 2 / sqrt_pi * total)

        thetas = [pi * (2 * j + 1) / (2 * nodes) for j in range(nodes)]
        cosines = [cos(t) for t in thetas]
        table = []
        for a in range(intervals):
            values = [erfcx(Decimal(a) + (1 + c) / 2) for c in cosines]
            coeffs = [
                sum(v * cos(k * t) for v, t in zip(values, thetas, strict=True)) * 2 / nodes / (2 if k == 0 else 1)
                for k in range(nodes)
            ]
            last = max(k for k, c in enumerate(coeffs) if abs(c) >= Decimal(cutoff))
            table.append([float(c) for c in coeffs[: last + 1]])
        return table


def test_erfc_table_is_reproducible():
    text = CORE.read_text()
    block = re.search(r"const ERFCX_CHEB = \[(.*?)\n\];", text, re.S).group(1)
    shipped = [[float(v) for v in row.split(",") if v.strip()] for row in re.findall(r"\[([^\[\]]*)\]", block)]
    assert shipped == erfcx_table()


def test_erf_and_erfc_are_float64_accurate(node):
    xs = np.round(np.arange(-6.0, 27.0, 0.0137), 6).tolist()
    got_erfc = np.asarray(node("erfc", xs=xs))
    got_erf = np.asarray(node("erf", xs=xs))
    ref_erfc = np.array([math.erfc(x) for x in xs])
    ref_erf = np.array([math.erf(x) for x in xs])
    normal = ref_erfc >= MIN_NORMAL
    np.testing.assert_allclose(got_erfc[normal], ref_erfc[normal], rtol=2e-15)
    np.testing.assert_allclose(got_erf, ref_erf, rtol=2e-15, atol=1e-300)


# ------------------------------------------------------------------------------ gradients
@HYPOTHESIS
@given(problems())
def test_gradients_equal_jax_grad(node, problem):
    params, X, y, activation, loss = problem
    assume(not near_kink(params, X, activation))
    js = node("gradients", params=params, xs=X, ys=_ys(y), activation=activation, loss=loss)
    with jax.enable_x64(True):
        value, grads = jax.jit(jax.value_and_grad(library_loss), static_argnums=(3, 4))(
            _jax(params), jnp.asarray(X), jnp.asarray(y), activation, loss
        )
    assert_close(js["loss"], float(value), "loss")
    for layer, ((gW, gb), (jW, jb)) in enumerate(zip(grads, js["grads"], strict=True)):
        assert_close(jW, gW, f"dW of layer {layer}")
        assert_close(jb, gb, f"db of layer {layer}")


def test_cross_entropy_with_one_output_is_the_sigmoid_cross_entropy(node):
    params = [(np.array([[0.5, -1.0]]), np.array([0.1, 0.2])), (np.array([[1.5], [-0.5]]), np.array([0.3]))]
    X, y = np.array([[1.0], [-2.0], [0.5]]), np.array([1, 0, 1], dtype=np.int32)
    js = node("gradients", params=params, xs=X, ys=_ys(y), activation="relu", loss="cross_entropy")
    with jax.enable_x64(True):
        logits = nets.mlp_apply(_jax(params), jnp.asarray(X))[:, 0]
        expected = float(optax.sigmoid_binary_cross_entropy(logits, jnp.asarray(y, dtype=jnp.float64)).mean())
    assert js["loss"] == pytest.approx(expected, rel=1e-14)


# ------------------------------------------------------------------------------ optimisers
def kink_gap(params, X, activation):
    """The smallest |z| over the hidden pre-activations z that are not exactly 0 (inf if none)."""
    if activation not in ("relu", "leaky_relu"):
        return jnp.inf
    gaps = [
        jnp.min(jnp.where(z != 0, jnp.abs(z), jnp.inf)) for z in nets.mlp_hidden(params, X, activation=activation)[0]
    ]
    return jnp.min(jnp.stack(gaps))


def optax_trajectory(params, X, y, activation, loss, opt, steps):
    """Losses and parameters of `steps` optax steps (one jitted scan), or None when a step's
    pre-activations come within 1e-9 of a ReLU kink without being on it."""
    with jax.enable_x64(True), jax.numpy_dtype_promotion("standard"):
        X, y = jnp.asarray(X), jnp.asarray(y)

        def body(carry, _):
            p, state = carry
            value, grads = jax.value_and_grad(library_loss)(p, X, y, activation, loss)
            updates, state = opt.update(grads, state, p)
            p = optax.apply_updates(p, updates)
            return (p, state), (value, kink_gap(carry[0], X, activation), p)

        run = jax.jit(lambda p: jax.lax.scan(body, (p, opt.init(p)), None, length=steps)[1])
        losses, gaps, path = jax.tree.map(np.asarray, run(_jax(params)))
    if np.min(gaps) < 1e-9:
        return None
    return losses, [[(W[t], b[t]) for W, b in path] for t in range(steps)]


OPTIMISERS = st.one_of(
    st.tuples(st.just("sgd"), st.sampled_from([0.01, 0.05]), st.sampled_from([None, 0.9])),
    st.tuples(st.just("adam"), st.sampled_from([0.001, 0.01]), st.just(None)),
)


@HYPOTHESIS
@given(problems(), OPTIMISERS)
def test_fifty_steps_follow_optax(node, problem, optimiser):
    params, X, y, activation, loss = problem
    name, lr, momentum = optimiser
    opt = optax.adam(lr) if name == "adam" else optax.sgd(lr, momentum=momentum)
    reference = optax_trajectory(params, X, y, activation, loss, opt, 50)
    assume(reference is not None and np.all(np.isfinite(reference[0])) and max(reference[0]) < 1e6)
    options = {} if name == "adam" else {"momentum": momentum}
    js = node(
        "trajectory",
        params=params,
        xs=X,
        ys=_ys(y),
        activation=activation,
        loss=loss,
        optimizer=name,
        learningRate=lr,
        options=options,
        steps=50,
    )
    assert_close(js["losses"], reference[0], "losses")
    for t, (mine, theirs) in enumerate(zip(js["path"], reference[1], strict=True)):
        for layer, ((jW, jb), (W, b)) in enumerate(zip(mine, theirs, strict=True)):
            assert_close(jW, W, f"W of layer {layer} after step {t + 1}")
            assert_close(jb, b, f"b of layer {layer} after step {t + 1}")


# ------------------------------------------------------------------------------ dead units
TAIL_BIASES = st.one_of(GRID, st.sampled_from([-800.0, -720.0, -708.5, -40.0, -38.75, -37.5, -30.0, -3.0]))


@HYPOTHESIS
@given(networks(max_width=5, biases=TAIL_BIASES), st.sampled_from(ACTS), st.integers(1, 8), st.data())
def test_dead_units_equal_relulab_dead(node, params, activation, n, data):
    X = data.draw(
        hnp.arrays(np.float64, (n, params[0][0].shape[0]), elements=st.integers(-96, 96).map(lambda k: k / 32))
    )
    assume(not near_kink(params, X, activation))
    js = node("dead", params=params, xs=X, activation=activation)
    with jax.enable_x64(True):
        expected = [
            np.asarray(m).tolist() for m in dead.dead_units(_jax(params), jnp.asarray(X), activation=activation)
        ]
    assert js == expected


def test_dead_units_see_every_case():
    """The generated networks above do produce dead units, for ReLU and for the saturating tails."""
    params = [(np.array([[1.0, 0.5, 0.25, 1.0]]), np.array([-800.0, -40.0, 0.0, -3.0])), (np.ones((4, 1)), np.zeros(1))]
    X = np.array([[1.0], [-1.0]])
    with jax.enable_x64(True):
        masks = {a: np.asarray(dead.dead_units(_jax(params), jnp.asarray(X), activation=a)[0]).tolist() for a in ACTS}
    assert masks["relu"] == [True, True, False, True]
    assert masks["sigmoid"][0] and masks["gelu"][1] and not masks["tanh"][1]


# ------------------------------------------------------------------------------ seeded draws
@pytest.mark.parametrize(
    ("sizes", "init", "seed", "scale"),
    [
        ([1, 16, 16, 1], "he", 0, 1.0),
        ([64, 32, 32, 10], "he", 3, 1.0),
        ([64, 32, 32, 32, 10], "glorot", 1, 4.0),
        ([2, 5, 3], "lecun", 4294967295, 0.5),
    ],
)
def test_initial_weights_identical_in_node_and_python(node, sizes, init, seed, scale):
    js = node("init", sizes=sizes, init=init, seed=seed, scale=scale)
    py = seeded.init_params(sizes, init=init, seed=seed, scale=scale)
    assert [(np.asarray(W).tolist(), list(b)) for W, b in js] == [(W.tolist(), b.tolist()) for W, b in py]


def test_init_std_identical_to_relulab(node):
    for fan_in, fan_out in [(1, 16), (16, 16), (64, 32), (32, 10), (7, 3)]:
        for init in nets.INITS:
            assert node("initStd", fanIn=fan_in, fanOut=fan_out, init=init) == nets.init_std(fan_in, fan_out, init)


@pytest.mark.parametrize("kind", ["uint32", "uniform", "normal", "below"])
def test_draws_identical_in_node_and_python(node, kind):
    for seed, stream in [(0, 0), (0, 1), (7, 1000), (123456789, 3)]:
        js = node("draws", seed=seed, stream=stream, kind=kind, count=3000, n=1347)
        g = seeded.Generator(seed, stream)
        py = [g.below(1347) if kind == "below" else getattr(g, kind)() for _ in range(3000)]
        assert js == py


@pytest.mark.parametrize("replace", [False, True])
def test_batch_order_identical_in_node_and_python(node, replace):
    js = node("batchOrder", n=1347, batchSize=32, steps=400, seed=2, replace=replace)
    assert js == seeded.batch_order(1347, 32, 400, seed=2, replace=replace).ravel().tolist()


def test_the_draws_are_standard_normal():
    """The Python twin, checked on its own: mean, variance and a tail probability of 100,000 draws."""
    g = seeded.Generator(1, 2)
    z = np.array([g.normal() for _ in range(100_000)])
    assert abs(z.mean()) < 0.015 and abs(z.var() - 1) < 0.015
    assert abs(np.mean(np.abs(z) > 2) - 0.0455) < 0.003


def test_driver_reports_errors(node):
    with pytest.raises(NodeError, match="activation must be one of"):
        node("gradients", params=[[[[1.0]], [0.0]]], xs=[[1.0]], ys=[[0.0]], activation="swish", loss="mse")


# ------------------------------------------------------------------------------ the explorables' runs
def _trainer_request(X, y, *, sizes, **settings):
    return dict(xs=X, ys=y.tolist(), sizes=sizes, **settings)


RUNS = {
    # name: data, settings (as the explorables run them); each compared over its whole trajectory
    "curve, SGD at the cliff": (
        "curve",
        dict(sizes=[1, 16, 16, 1], activation="relu", loss="mse", optimizer="sgd", learningRate=0.5, seed=2, steps=300),
    ),
    # (not tanh with Adam here: sin(pi x) on a symmetric grid makes a tanh network with zero biases odd, and
    # Adam magnifies the rounding noise in the gradients that symmetry makes zero, in both implementations)
    "curve, Adam, ELU": (
        "curve",
        dict(sizes=[1, 8, 8, 1], activation="elu", loss="mse", optimizer="adam", learningRate=0.01, seed=1, steps=200),
    ),
    "digits, minibatches with replacement": (
        "digits",
        dict(
            sizes=[64, 16, 16, 10],
            activation="relu",
            loss="cross_entropy",
            optimizer="sgd",
            learningRate=0.8,
            seed=3,
            steps=200,
            batchSize=32,
            replace=True,
        ),
    ),
    "digits, momentum, passes": (
        "digits",
        dict(
            sizes=[64, 12, 12, 12, 10],
            activation="sigmoid",
            init="glorot",
            scale=4.0,
            loss="cross_entropy",
            optimizer="sgd",
            learningRate=0.3,
            options={"momentum": 0.9},
            seed=0,
            steps=150,
            batchSize=32,
        ),
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS))
def test_browser_runs_follow_the_jax_replay(node, name):
    kind, settings = RUNS[name]
    if kind == "curve":
        X, y = training.curve_arrays()
    else:
        X, y, _, _ = training.digits_arrays()
        X, y = X[:300], y[:300]
    js = node("trainer", xs=X, ys=y.tolist(), **settings)
    ref = training.replay(
        sizes=settings["sizes"],
        X=X,
        y=y,
        learning_rates=[settings["learningRate"]],
        steps=settings["steps"],
        activation=settings["activation"],
        init=settings.get("init", "he"),
        seed=settings["seed"],
        scale=settings.get("scale", 1.0),
        loss=settings["loss"],
        optimizer=settings["optimizer"],
        momentum=settings.get("options", {}).get("momentum"),
        batch_size=settings.get("batchSize"),
        replace=settings.get("replace", False),
    )
    assert_close(js["losses"], ref["loss"][0], "losses")
    for layer, ((jW, jb), (W, b)) in enumerate(zip(js["params"], ref["params"], strict=True)):
        assert_close(jW, W[0], f"final W of layer {layer}")
        assert_close(jb, b[0], f"final b of layer {layer}")
    assert [u["dead"] for u in js["units"]] == [m[0].tolist() for m in ref["dead"]]
