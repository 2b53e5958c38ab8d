"""relulab.activations against closed forms, properties that hold for all inputs, and bad input."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from relulab import activations as A

GRID = np.linspace(-8.0, 8.0, 1601)
ERF = np.vectorize(math.erf)

CLOSED_FORMS = {
    "relu": lambda x: np.maximum(x, 0.0),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.01 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "gelu": lambda x: 0.5 * x * (1.0 + ERF(x / math.sqrt(2.0))),
    "silu": lambda x: x / (1.0 + np.exp(-x)),
    "softplus": lambda x: np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0.0),
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "tanh": np.tanh,
}

CLOSED_DERIVATIVES = {
    "relu": lambda x: (x > 0).astype(float),
    "leaky_relu": lambda x: np.where(x >= 0, 1.0, 0.01),
    "elu": lambda x: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0))),
    "gelu": lambda x: 0.5 * (1.0 + ERF(x / math.sqrt(2.0))) + x * np.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi),
    "silu": lambda x: (1.0 + np.exp(-x) * (1.0 + x)) / (1.0 + np.exp(-x)) ** 2,
    "softplus": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "sigmoid": lambda x: np.exp(-x) / (1.0 + np.exp(-x)) ** 2,
    "tanh": lambda x: 1.0 / np.cosh(x) ** 2,
}

# Subnormal floats are excluded: XLA's CPU backend flushes them to zero (relu(1e-45) == 0.0),
# so the exact identities below hold for normal floats only.
finite_floats = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, allow_subnormal=False, width=32)
float_arrays = arrays(np.float32, st.integers(1, 32), elements=finite_floats)


def test_registry_lists_the_eight_functions():
    assert set(A.ACTIVATIONS) == set(CLOSED_FORMS)
    for name, fn in A.ACTIVATIONS.items():
        assert fn.__name__ == name


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_matches_closed_form(name):
    got = np.asarray(A.ACTIVATIONS[name](GRID))
    np.testing.assert_allclose(got, CLOSED_FORMS[name](GRID), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_derivative_matches_closed_form(name):
    grid = GRID[GRID != 0.0]  # the kink of relu / leaky_relu is tested separately
    got = np.asarray(A.derivative(name)(grid))
    np.testing.assert_allclose(got, CLOSED_DERIVATIVES[name](grid), rtol=1e-4, atol=1e-6)


def test_derivative_at_zero_follows_jax_conventions():
    assert float(A.derivative("relu")(0.0)) == 0.0
    assert float(A.derivative(lambda x: jnp.maximum(x, 0.0))(0.0)) == 0.5
    assert float(A.derivative("leaky_relu")(0.0)) == 1.0


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_shape_is_preserved_and_jittable(name):
    x = jnp.linspace(-2.0, 2.0, 24).reshape(2, 3, 4)
    fn = A.ACTIVATIONS[name]
    assert fn(x).shape == x.shape
    np.testing.assert_allclose(jax.jit(fn)(x), fn(x), rtol=1e-6, atol=1e-7)
    d = A.derivative(name)
    assert d(x).shape == x.shape
    np.testing.assert_allclose(jax.jit(d)(x), d(x), rtol=1e-6, atol=1e-7)


def test_integers_are_promoted_to_float():
    out = A.relu(jnp.array([-2, 3]))
    assert jnp.issubdtype(out.dtype, jnp.floating)
    assert out.tolist() == [0.0, 3.0]


def test_leaky_relu_slope_endpoints():
    x = jnp.linspace(-3.0, 3.0, 13)
    np.testing.assert_array_equal(A.leaky_relu(x, negative_slope=0.0), A.relu(x))
    np.testing.assert_array_equal(A.leaky_relu(x, negative_slope=1.0), x)


def test_silu_dip_and_overshoot():
    """SiLU's minimum (about -0.278 near -1.278) and its derivative's maximum (about 1.0998 near 2.40)."""
    x = jnp.linspace(-4.0, 4.0, 80001)
    f, df = np.asarray(A.silu(x)), np.asarray(A.derivative("silu")(x))
    assert f.min() == pytest.approx(-0.27846, abs=1e-4) and float(x[f.argmin()]) == pytest.approx(-1.2785, abs=1e-3)
    assert df.max() == pytest.approx(1.0998, abs=1e-4)
    assert float(x[df.argmax()]) == pytest.approx(2.3994, abs=5e-3)  # a flat top in float32


def test_prelu_is_leaky_relu_with_a_slope_per_channel():
    x = jnp.linspace(-3.0, 3.0, 12).reshape(4, 3)
    np.testing.assert_array_equal(A.prelu(x, 0.25), A.leaky_relu(x, negative_slope=0.25))
    slopes = jnp.array([0.0, 0.25, 1.0])
    got = np.asarray(A.prelu(x, slopes))
    for c, a in enumerate([0.0, 0.25, 1.0]):
        np.testing.assert_array_equal(got[:, c], np.asarray(A.leaky_relu(x[:, c], negative_slope=a)))
    np.testing.assert_array_equal(A.prelu(x, 1.0), x)  # slope 1: the identity


def test_prelu_slope_is_learnable():
    """The gradient with respect to the slope is the sum of the negative inputs (per channel)."""
    x = jnp.array([[-2.0, 1.0], [-1.0, -3.0]])
    g = jax.grad(lambda a: A.prelu(x, a).sum())(jnp.array([0.25, 0.25]))
    np.testing.assert_allclose(np.asarray(g), [-3.0, -3.0])


def test_prelu_bad_input():
    with pytest.raises(ValueError, match=r"slope must broadcast to the shape of x, \(2, 3\), got shape \(2,\)"):
        A.prelu(jnp.ones((2, 3)), jnp.ones(2))
    with pytest.raises(ValueError, match=r"slope must broadcast to the shape of x"):
        A.prelu(jnp.ones(3), jnp.ones((2, 3)))
    with pytest.raises(TypeError, match=r"\bslope must be"):
        A.prelu(jnp.ones(3), "0.25")
    with pytest.raises(TypeError, match=r"\bx must be"):
        A.prelu("1.0", 0.25)


@settings(max_examples=60, deadline=None)
@given(float_arrays)
def test_relu_is_idempotent(x):
    np.testing.assert_array_equal(A.relu(A.relu(x)), A.relu(x))


@settings(max_examples=60, deadline=None)
@given(float_arrays, st.floats(0.0, 100.0, allow_nan=False, width=32))
def test_relu_is_positively_homogeneous(x, c):
    c = np.float32(c)
    np.testing.assert_allclose(A.relu(c * x), c * A.relu(x), rtol=1e-6, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(float_arrays, float_arrays)
def test_relu_is_1_lipschitz(x, y):
    n = min(x.size, y.size)
    x, y = x[:n], y[:n]
    lhs = np.abs(np.asarray(A.relu(x)) - np.asarray(A.relu(y)))
    assert np.all(lhs <= np.abs(x - y) + 1e-6)


@settings(max_examples=60, deadline=None)
@given(float_arrays)
def test_relu_difference_recovers_identity(x):
    np.testing.assert_array_equal(A.relu(x) - A.relu(-x), x)


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
@pytest.mark.parametrize("bad", ["1.0", None, [1.0, "a"], True, {"x": 1}])
def test_non_numeric_input_raises_type_error_naming_x(name, bad):
    with pytest.raises(TypeError, match=r"\bx must be"):
        A.ACTIVATIONS[name](bad)


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"activation must be one of elu, gelu, leaky_relu, relu.* got 'swish'"):
        A.derivative("swish")
    with pytest.raises(ValueError, match=r"must be one of .*sigmoid, silu, softplus, tanh or a callable, got 'ReLU'"):
        A.resolve("ReLU")


def test_resolve_rejects_non_callables():
    with pytest.raises(TypeError, match=r"activation must be one of .* or a callable, got int 3"):
        A.resolve(3)


def test_switch_picks_the_activation_by_traced_index():
    """One jitted program, vmapped over the index, equals calling each activation directly."""
    names = ["relu", "tanh", "softplus", "leaky_relu"]
    z = jnp.linspace(-3.0, 3.0, 13)
    run = jax.jit(jax.vmap(lambda k: A.switch(k, names)(z)))
    got = run(jnp.arange(len(names)))
    for k, name in enumerate(names):
        np.testing.assert_allclose(np.asarray(got[k]), np.asarray(A.ACTIVATIONS[name](z)), rtol=1e-6, atol=1e-7)
    # a callable works too, and a Python int index
    np.testing.assert_array_equal(np.asarray(A.switch(1, ["relu", jnp.abs])(z)), np.abs(np.asarray(z)))


def test_switch_bad_input():
    with pytest.raises(
        ValueError, match=r"acts must be a sequence of activation names or callables with at least 1 entry"
    ):
        A.switch(0, [])
    with pytest.raises(TypeError, match=r"acts must be a sequence of activation names or callables, got str"):
        A.switch(0, "relu")
    with pytest.raises(ValueError, match=r"acts\[1\] must be one of .*, got 'swish'"):
        A.switch(0, ["relu", "swish"])


def test_leaky_relu_rejects_non_numeric_slope():
    with pytest.raises(TypeError, match="negative_slope"):
        A.leaky_relu(1.0, negative_slope="0.1")
