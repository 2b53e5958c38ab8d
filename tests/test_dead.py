"""Tests for relulab.dead: dead units on constructed networks, vmap, bad input."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relulab.dead import dead_fraction, dead_units, hidden_preactivations, network_dead
from relulab.nets import random_mlp


def np_dead_reference(params, X):
    """Slow reference: loop over units and inputs in plain numpy."""
    h = np.asarray(X, dtype=np.float64)
    masks = []
    for W, b in params[:-1]:
        W = np.asarray(W, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        z = np.empty((h.shape[0], W.shape[1]))
        for i in range(h.shape[0]):
            for j in range(W.shape[1]):
                z[i, j] = sum(h[i, k] * W[k, j] for k in range(W.shape[0])) + b[j]
        masks.append(np.array([all(z[i, j] <= 0 for i in range(h.shape[0])) for j in range(W.shape[1])]))
        h = np.maximum(z, 0.0)
    return masks


def two_layer_known():
    """2 inputs -> 4 units -> 3 units -> 1 output, with known dead units on X below.

    Layer 1 (inputs in [0, 1]^2):
      unit 0: x0 + x1        alive
      unit 1: -x0 - x1 - 1   dead (always < 0)
      unit 2: x0 - 0.5       alive (x0 > 0.5 on one input)
      unit 3: 0 * x - 2      dead (bias only)
    Layer 2 receives h1 = relu(layer 1):
      unit 0: h1_0           alive
      unit 1: -h1_0 - h1_2   dead (<= 0 since h1 >= 0)
      unit 2: 100 * h1_1 - 1 dead (h1_1 == 0 always)
    """
    W1 = jnp.array([[1.0, -1.0, 1.0, 0.0], [1.0, -1.0, 0.0, 0.0]])
    b1 = jnp.array([0.0, -1.0, -0.5, -2.0])
    W2 = jnp.array([[1.0, -1.0, 0.0], [0.0, 0.0, 100.0], [0.0, -1.0, 0.0], [0.0, 0.0, 0.0]])
    b2 = jnp.array([0.0, 0.0, -1.0])
    W3 = jnp.ones((3, 1))
    b3 = jnp.zeros(1)
    X = jnp.array([[0.1, 0.2], [0.9, 0.3], [0.4, 0.4]])
    return [(W1, b1), (W2, b2), (W3, b3)], X


def test_known_dead_units():
    params, X = two_layer_known()
    masks = dead_units(params, X)
    assert [m.shape for m in masks] == [(4,), (3,)]
    assert masks[0].dtype == jnp.bool_
    np.testing.assert_array_equal(masks[0], [False, True, False, True])
    np.testing.assert_array_equal(masks[1], [False, True, True])


def test_known_dead_fraction_pooled_and_per_layer():
    params, X = two_layer_known()
    np.testing.assert_allclose(dead_fraction(params, X), 4 / 7, rtol=1e-6)
    np.testing.assert_allclose(dead_fraction(params, X, per_layer=True), [2 / 4, 2 / 3], rtol=1e-6)


def test_alive_on_exactly_one_input():
    """Unit 2 of layer 1 is positive only on the second input: alive on X, dead without it."""
    params, X = two_layer_known()
    assert not bool(dead_units(params, X)[0][2])
    X_without = X[jnp.array([0, 2])]
    assert bool(dead_units(params, X_without)[0][2])
    assert not bool(dead_units(params, X[1:2])[0][2])


def test_zero_preactivation_counts_as_dead_for_relu():
    """relu(0) == 0, so a unit whose pre-activation is exactly 0 everywhere is dead."""
    params = [(jnp.zeros((2, 2)), jnp.array([0.0, 1e-30])), (jnp.ones((2, 1)), jnp.zeros(1))]
    X = jnp.array([[1.0, -1.0], [3.0, 2.0]])
    np.testing.assert_array_equal(dead_units(params, X)[0], [True, False])


def test_leaky_and_elu_dead_only_at_exact_zero():
    params, X = two_layer_known()
    for act in ("leaky_relu", "elu"):
        masks = dead_units(params, X, activation=act)
        assert not any(bool(m.any()) for m in masks), act
    # a unit with zero weights and zero bias is exactly 0 for leaky ReLU too
    params0 = [(jnp.zeros((2, 1)), jnp.zeros(1)), (jnp.ones((1, 1)), jnp.zeros(1))]
    assert bool(dead_units(params0, X, activation="leaky_relu")[0][0])


def test_gelu_underflow_counts_as_dead():
    """In float32 GELU(z) is exactly 0 for z << 0; such a unit is reported dead."""
    params = [(jnp.zeros((1, 2)), jnp.array([-50.0, -2.0])), (jnp.ones((2, 1)), jnp.zeros(1))]
    X = jnp.array([[0.0]])
    assert float(jax.nn.gelu(jnp.float32(-50.0), approximate=False)) == 0.0
    np.testing.assert_array_equal(dead_units(params, X, activation="gelu")[0], [True, False])


def test_callable_activation():
    params, X = two_layer_known()
    masks = dead_units(params, X, activation=lambda z: jnp.maximum(z, 0.0))
    np.testing.assert_array_equal(masks[0], [False, True, False, True])


def test_hidden_preactivations_match_numpy():
    params, X = two_layer_known()
    z1, z2 = hidden_preactivations(params, X)
    Xn = np.asarray(X, dtype=np.float64)
    W1, b1 = (np.asarray(a, dtype=np.float64) for a in params[0])
    W2, b2 = (np.asarray(a, dtype=np.float64) for a in params[1])
    ref1 = Xn @ W1 + b1
    ref2 = np.maximum(ref1, 0) @ W2 + b2
    np.testing.assert_allclose(z1, ref1, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(z2, ref2, rtol=1e-6, atol=1e-6)


def random_params(seed, sizes, bias_shift=0.0):
    """He-scaled normal weights and N(bias_shift, 0.5^2) biases, float32, drawn with numpy (fast)."""
    return [
        (jnp.asarray(W), jnp.asarray(b))
        for W, b in random_mlp(seed, sizes, bias_mean=bias_shift, bias_std=0.5, dtype=np.float32)
    ]


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    widths=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    batch=st.integers(1, 4),
    shift=st.floats(-2.0, 1.0),
)
@pytest.mark.slow
def test_matches_numpy_reference(seed, widths, batch, shift):
    sizes = [3, *widths, 2]
    params = random_params(seed, sizes, bias_shift=shift)
    X = np.random.default_rng(seed + 1).normal(size=(batch, 3)).astype(np.float32)
    masks = dead_units(params, X)
    ref = np_dead_reference(params, X)
    # values within float32 rounding of 0 could flip: skip those examples' decision
    for m, r, z in zip(masks, ref, hidden_preactivations(params, X), strict=True):
        near_zero = np.any(np.abs(np.asarray(z)) < 1e-5, axis=0)
        np.testing.assert_array_equal(np.asarray(m)[~near_zero], r[~near_zero])
    total = sum(m.size for m in ref)
    expected = sum(int(r.sum()) for r in ref) / total
    if not any(np.any(np.abs(np.asarray(z)) < 1e-5) for z in hidden_preactivations(params, X)):
        np.testing.assert_allclose(float(dead_fraction(params, X)), expected, rtol=1e-6)


def test_adding_inputs_can_only_revive():
    """Dead on X ∪ Y implies dead on X: the mask is monotone in the data set."""
    params = random_params(3, [4, 8, 8, 1], bias_shift=-1.0)
    X = np.random.default_rng(4).normal(size=(20, 4)).astype(np.float32)
    for big, small in zip(dead_units(params, X), dead_units(params, X[:5]), strict=True):
        assert bool(jnp.all(~big | small))


@pytest.mark.slow
def test_vmap_over_stacked_params_matches_loop():
    shifts = np.linspace(-2.0, 0.5, 6)
    plist = [random_params(i, [3, 5, 4, 1], bias_shift=s) for i, s in enumerate(shifts)]
    stacked = jax.tree.map(lambda *a: jnp.stack(a), *plist)
    X = np.random.default_rng(100).normal(size=(16, 3)).astype(np.float32)

    frac = jax.jit(jax.vmap(lambda p: dead_fraction(p, X)))(stacked)
    per = jax.vmap(lambda p: dead_fraction(p, X, per_layer=True))(stacked)
    masks = jax.vmap(lambda p: dead_units(p, X))(stacked)
    nd = jax.vmap(lambda p: network_dead(p, X))(stacked)
    assert frac.shape == (6,) and per.shape == (6, 2)
    assert [m.shape for m in masks] == [(6, 5), (6, 4)]
    for i, p in enumerate(plist):
        ref = np_dead_reference(p, X)
        np.testing.assert_array_equal(masks[0][i], ref[0])
        np.testing.assert_array_equal(masks[1][i], ref[1])
        np.testing.assert_allclose(frac[i], (ref[0].sum() + ref[1].sum()) / 9, rtol=1e-6)
        np.testing.assert_allclose(per[i], [ref[0].mean(), ref[1].mean()], rtol=1e-6)
        assert bool(nd[i]) == (bool(ref[0].all()) or bool(ref[1].all()))
    assert float(frac[0]) > float(frac[-1])  # very negative biases kill more units


def test_vmap_over_inputs_sets():
    """vmap over a stack of data sets (e.g. one batch per step) also works."""
    params, X = two_layer_known()
    Xs = jnp.stack([X, X[jnp.array([0, 0, 2])]])
    out = jax.vmap(lambda x: dead_units(params, x)[0])(Xs)
    np.testing.assert_array_equal(out, [[False, True, False, True], [False, True, True, True]])


def test_network_dead():
    params, X = two_layer_known()
    assert not bool(network_dead(params, X))
    W1, b1 = params[0]
    killed = [(W1, b1 - 10.0), *params[1:]]
    assert bool(network_dead(killed, X))

    # a dead layer makes the output the same for every input
    def out(p, x):
        h = x
        for W, b in p[:-1]:
            h = jax.nn.relu(h @ W + b)
        return h @ p[-1][0] + p[-1][1]

    y = out(killed, X)
    np.testing.assert_array_equal(y, jnp.broadcast_to(y[0], y.shape))
    # no hidden layer: nothing can be dead
    assert not bool(network_dead([params[-1]], jnp.ones((2, 3))))


def test_integer_inputs_are_accepted():
    params, _ = two_layer_known()
    X = np.array([[0, 0], [1, 1]])
    np.testing.assert_array_equal(dead_units(params, X)[0], [False, True, False, True])


def test_linear_model_has_no_hidden_layers():
    params = [(jnp.ones((2, 1)), jnp.zeros(1))]
    assert dead_units(params, jnp.ones((3, 2))) == []
    with pytest.raises(ValueError, match="params must have a hidden layer, .*got a single linear layer"):
        dead_fraction(params, jnp.ones((3, 2)))


@pytest.mark.parametrize(
    "params, X, exc, match",
    [
        ("not params", jnp.ones((1, 2)), TypeError, r"params must be a non-empty list of \(W, b\) pairs .*got str"),
        ([], jnp.ones((1, 2)), ValueError, r"params must be a non-empty list of \(W, b\) pairs .*got an empty list"),
        ([(jnp.ones((2, 1)),)], jnp.ones((1, 2)), TypeError, r"params\[0\] must be a \(W, b\) pair"),
        (
            [(jnp.ones(2), jnp.ones(1))],
            jnp.ones((1, 2)),
            ValueError,
            r"params\[0\] W must have shape \(n_in, n_out\), got shape \(2,\)",
        ),
        (
            [(jnp.ones((2, 3)), jnp.ones(2)), (jnp.ones((3, 1)), jnp.ones(1))],
            jnp.ones((1, 2)),
            ValueError,
            r"params\[0\] b must have shape \(3,\) to match W of shape \(2, 3\), got shape \(2,\)",
        ),
        (
            [(jnp.ones((2, 3)), jnp.ones(3)), (jnp.ones((4, 1)), jnp.ones(1))],
            jnp.ones((1, 2)),
            ValueError,
            r"params\[1\] W must have n_in = previous n_out, i\.e\. shape \(3, n_out\) since the previous layer "
            r"has 3 outputs, got shape \(4, 1\)",
        ),
        (
            [(jnp.ones((2, 0)), jnp.ones(0)), (jnp.ones((0, 1)), jnp.ones(1))],
            jnp.ones((1, 2)),
            ValueError,
            r"params\[0\] W must have n_in >= 1 and n_out >= 1, got shape \(2, 0\)",
        ),
        (
            [(jnp.ones((2, 3)), jnp.ones(3)), (jnp.ones((3, 1)), jnp.ones(1))],
            jnp.ones(2),
            ValueError,
            r"X must have shape \(batch, 2\) with every size >= 1 to match the first layer \(use X\[None, :\] for a "
            r"single input\), got shape \(2,\)",
        ),
        (
            [(jnp.ones((2, 3)), jnp.ones(3)), (jnp.ones((3, 1)), jnp.ones(1))],
            jnp.ones((4, 3)),
            ValueError,
            r"X must have shape \(batch, 2\) with every size >= 1 to match the first layer, got shape \(4, 3\)",
        ),
        (
            [(jnp.ones((2, 3)), jnp.ones(3)), (jnp.ones((3, 1)), jnp.ones(1))],
            jnp.ones((0, 2)),
            ValueError,
            r"X must have shape \(batch, 2\) with every size >= 1 .*got shape \(0, 2\)",
        ),
        (
            [(jnp.ones((2, 3)), jnp.ones(3)), (jnp.ones((3, 1)), jnp.ones(1))],
            np.ones((2, 2), dtype=bool),
            TypeError,
            "X must be an array of real numbers, got dtype bool",
        ),
        (
            [(np.array([["a", "b"]]), jnp.ones(2)), (jnp.ones((2, 1)), jnp.ones(1))],
            jnp.ones((1, 1)),
            TypeError,
            r"params\[0\] W must be an array of real numbers, got dtype <U1",
        ),
    ],
)
def test_bad_input(params, X, exc, match):
    with pytest.raises(exc, match=match):
        dead_units(params, X)


def test_bad_activation_and_flag():
    params, X = two_layer_known()
    with pytest.raises(ValueError, match="activation must be one of .* or a callable, got 'rleu'"):
        dead_units(params, X, activation="rleu")
    with pytest.raises(TypeError, match=r"activation must be one of .* or a callable, got int 3"):
        dead_fraction(params, X, activation=3)
    with pytest.raises(TypeError, match="per_layer must be True or False"):
        dead_fraction(params, X, per_layer=1)


def test_shape_errors_are_raised_inside_vmap_too():
    params, _ = two_layer_known()
    stacked = jax.tree.map(lambda a: jnp.stack([a, a]), params)
    with pytest.raises(ValueError, match=r"X must have shape \(batch, 2\)"):
        jax.vmap(lambda p: dead_fraction(p, jnp.ones((3, 5))))(stacked)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "gelu", "softplus"])
def test_dead_judges_the_activations_of_the_nets_forward_pass(activation):
    """relulab.dead has no forward pass of its own: its pre-activations are exactly those of
    nets.mlp_hidden, and a unit is dead exactly where nets' activations are 0 on every input."""
    from relulab import nets

    params = random_params(11, [3, 6, 5, 1], bias_shift=-0.8)
    X = np.random.default_rng(12).normal(size=(7, 3)).astype(np.float32)
    pre, post = nets.mlp_hidden(params, X, activation=activation)
    for mine, theirs in zip(hidden_preactivations(params, X, activation=activation), pre, strict=True):
        np.testing.assert_array_equal(np.asarray(mine), np.asarray(theirs))
    for mask, h in zip(dead_units(params, X, activation=activation), post, strict=True):
        np.testing.assert_array_equal(np.asarray(mask), np.all(np.asarray(h) == 0, axis=0))
