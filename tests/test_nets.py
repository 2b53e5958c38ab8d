"""Tests for relulab.nets: shapes, initialisation statistics, numpy references, bad input."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relulab import nets
from relulab.nets import (
    cnn_apply,
    cnn_hidden,
    cnn_init,
    conv_layer,
    init_std,
    mlp_apply,
    mlp_hidden,
    mlp_init,
    n_params,
)

KEY = jax.random.key(0)


# ---------------------------------------------------------------- numpy references


def np_mlp(params, x, act):
    h = np.asarray(x, dtype=np.float64)
    for W, b in params[:-1]:
        h = act(h @ np.asarray(W, np.float64) + np.asarray(b, np.float64))
    W, b = params[-1]
    return h @ np.asarray(W, np.float64) + np.asarray(b, np.float64)


def np_conv_same(x, W, b):
    """Direct loops: cross-correlation with zero 'SAME' padding, NHWC / HWIO."""
    x, W, b = (np.asarray(a, np.float64) for a in (x, W, b))
    n, h, w, _ = x.shape
    kh, kw, _, co = W.shape
    ph, pw = (kh - 1) // 2, (kw - 1) // 2
    xp = np.pad(x, ((0, 0), (ph, kh - 1 - ph), (pw, kw - 1 - pw), (0, 0)))
    y = np.zeros((n, h, w, co))
    for i in range(h):
        for j in range(w):
            patch = xp[:, i : i + kh, j : j + kw, :]
            y[:, i, j, :] = np.einsum("nuvc,uvco->no", patch, W)
    return y + b


def np_maxpool2(x):
    n, h, w, c = x.shape
    x = x[:, : h // 2 * 2, : w // 2 * 2, :]
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def np_relu(z):
    return np.maximum(z, 0.0)


# ---------------------------------------------------------------- mlp_init


def test_mlp_init_shapes_dtype_and_zero_biases():
    params = mlp_init(KEY, [3, 5, 4, 2])
    assert [(W.shape, b.shape) for W, b in params] == [((3, 5), (5,)), ((5, 4), (4,)), ((4, 2), (2,))]
    assert all(W.dtype == jnp.float32 and b.dtype == jnp.float32 for W, b in params)
    assert all(np.all(np.asarray(b) == 0) for _, b in params)
    assert n_params(params) == 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2


@pytest.mark.parametrize(
    "init, var",
    [("he", 2 / 400), ("glorot", 2 / (400 + 300)), ("lecun", 1 / 400)],
)
def test_mlp_init_variance_matches_scheme(init, var):
    ((W, _),) = mlp_init(KEY, [400, 300], init=init)
    w = np.asarray(W, dtype=np.float64)
    # 120,000 samples: the sample variance is within ~0.5% of var; allow 3%.
    np.testing.assert_allclose(w.var(), var, rtol=0.03)
    assert abs(w.mean()) < 4 * math.sqrt(var / w.size)


def test_init_std_closed_form():
    assert init_std(8, 4, "he") == pytest.approx(0.5)
    assert init_std(8, 4, "glorot") == pytest.approx(math.sqrt(2 / 12))
    assert init_std(9, 4, "lecun") == pytest.approx(1 / 3)


def test_mlp_init_deterministic_and_key_dependent():
    a = mlp_init(jax.random.key(3), [4, 6, 2])
    b = mlp_init(jax.random.key(3), [4, 6, 2])
    c = mlp_init(jax.random.key(4), [4, 6, 2])
    for (Wa, _), (Wb, _), (Wc, _) in zip(a, b, c, strict=True):
        np.testing.assert_array_equal(np.asarray(Wa), np.asarray(Wb))
        assert not np.allclose(np.asarray(Wa), np.asarray(Wc))


def test_mlp_init_accepts_legacy_key_and_vmaps_over_keys():
    p = mlp_init(jax.random.PRNGKey(0), [2, 3, 1])
    assert p[0][0].shape == (2, 3)
    stacked = jax.vmap(lambda k: mlp_init(k, [2, 3, 1]))(jax.random.split(KEY, 4))
    assert stacked[0][0].shape == (4, 2, 3)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(key=0, sizes=[2, 3]), TypeError, "key must be a JAX PRNG key"),
        (dict(key=jnp.zeros(3), sizes=[2, 3]), TypeError, "key must be a JAX PRNG key"),
        (dict(key=jax.random.split(KEY, 2), sizes=[2, 3]), ValueError, "single PRNG key"),
        (dict(key=KEY, sizes=[3]), ValueError, "at least 2 entries"),
        (dict(key=KEY, sizes=[3, 0, 1]), ValueError, r"sizes\[1\] must be a positive integer \(>= 1\), got 0"),
        (dict(key=KEY, sizes=[3, -2]), ValueError, r"sizes\[1\]"),
        (dict(key=KEY, sizes=[3, 2.5]), TypeError, r"sizes\[1\] must be a positive integer"),
        (dict(key=KEY, sizes=[3, True]), TypeError, r"sizes\[1\]"),
        (
            dict(key=KEY, sizes="23"),
            TypeError,
            r"sizes must be a sequence of positive integers such as \[2, 16, 1\], got str",
        ),
        (dict(key=KEY, sizes=[2, 3], init="xavier"), ValueError, "init must be one of he, glorot, lecun, got 'xavier'"),
        (dict(key=KEY, sizes=[2, 3], init=None), TypeError, "init must be one of he, glorot, lecun, got None"),
    ],
)
def test_mlp_init_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        mlp_init(kwargs.pop("key"), kwargs.pop("sizes"), **kwargs)


# ---------------------------------------------------------------- mlp_apply / mlp_hidden


@pytest.mark.parametrize(
    "activation, np_act",
    [("relu", np_relu), ("tanh", np.tanh), (jnp.sin, np.sin), ("sigmoid", lambda z: 1 / (1 + np.exp(-z)))],
)
def test_mlp_apply_matches_numpy(activation, np_act):
    params = mlp_init(jax.random.key(1), [3, 7, 5, 2])
    params = [(W, b + 0.1 * jnp.arange(b.shape[0], dtype=b.dtype)) for W, b in params]  # nonzero biases
    x = np.random.default_rng(0).normal(size=(11, 3)).astype(np.float32)
    out = mlp_apply(params, x, activation=activation)
    assert out.shape == (11, 2)
    np.testing.assert_allclose(np.asarray(out), np_mlp(params, x, np_act), rtol=1e-5, atol=1e-5)


def test_mlp_apply_single_input_and_integer_input():
    params = mlp_init(KEY, [3, 4, 2])
    x = jnp.array([1, -2, 3])  # int32
    out = mlp_apply(params, x)
    assert out.shape == (2,)
    np.testing.assert_allclose(
        np.asarray(out), np_mlp(params, np.array([1.0, -2.0, 3.0]), np_relu)[:], rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(np.asarray(mlp_apply(params, x[None]))[0], np.asarray(out), rtol=1e-6)


def test_mlp_apply_no_hidden_layer_is_affine():
    params = [(jnp.array([[2.0], [3.0]]), jnp.array([1.0]))]
    assert mlp_apply(params, jnp.array([1.0, 1.0])).tolist() == [6.0]
    pre, post = mlp_hidden(params, jnp.ones(2))
    assert pre == [] and post == []


def test_mlp_apply_jit_and_vmap_agree():
    params = mlp_init(KEY, [2, 8, 1])
    x = jax.random.normal(jax.random.key(5), (6, 2))
    direct = mlp_apply(params, x)
    jitted = jax.jit(mlp_apply, static_argnames="activation")(params, x, activation="relu")
    mapped = jax.vmap(lambda xi: mlp_apply(params, xi))(x)
    np.testing.assert_allclose(np.asarray(jitted), np.asarray(direct), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(np.asarray(mapped), np.asarray(direct), rtol=1e-6, atol=1e-6)


def test_mlp_hidden_consistent_with_apply():
    params = mlp_init(jax.random.key(2), [3, 6, 4, 2])
    x = jax.random.normal(jax.random.key(6), (9, 3))
    pre, post = mlp_hidden(params, x)
    assert [z.shape for z in pre] == [(9, 6), (9, 4)] and [h.shape for h in post] == [(9, 6), (9, 4)]
    for z, h in zip(pre, post, strict=True):
        np.testing.assert_array_equal(np.asarray(h), np.maximum(np.asarray(z), 0))
    W, b = params[-1]
    np.testing.assert_allclose(np.asarray(post[-1] @ W + b), np.asarray(mlp_apply(params, x)), rtol=1e-6, atol=1e-6)
    # pre-activation of layer 2 is post of layer 1 times W2 plus b2
    np.testing.assert_allclose(
        np.asarray(pre[1]),
        np.asarray(post[0]) @ np.asarray(params[1][0]) + np.asarray(params[1][1]),
        rtol=1e-5,
        atol=1e-5,
    )


@settings(max_examples=25, deadline=None)
@given(scale=st.floats(0.01, 100.0), seed=st.integers(0, 2**16))
def test_relu_mlp_without_biases_is_positively_homogeneous(scale, seed):
    """With zero biases, relu(a z) = a relu(z) for a > 0, so f(a x) = a f(x)."""
    params = mlp_init(jax.random.key(7), [3, 5, 5, 2])
    x = np.random.default_rng(seed).normal(size=(4, 3)).astype(np.float32)
    lhs = np.asarray(mlp_apply(params, scale * x))
    rhs = scale * np.asarray(mlp_apply(params, x))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-4, atol=1e-4 * scale)


@pytest.mark.parametrize(
    "params, x, exc, match",
    [
        ("mlp", jnp.ones((4, 3)), ValueError, r"x must have shape \(2,\) or \(batch, 2\).*got shape \(4, 3\)"),
        ("mlp", jnp.ones((2, 2, 2)), ValueError, r"x must have shape \(2,\) or \(batch, 2\)"),
        ("mlp", jnp.ones((4, 2), dtype=bool), TypeError, "x must be an array of real numbers, got dtype bool"),
        ("mlp", "ab", TypeError, "x must be an array of real numbers"),
        ([], jnp.ones(2), ValueError, r"params must be a non-empty list of \(W, b\) pairs .*got an empty list"),
        ({"W": 1}, jnp.ones(2), TypeError, r"params must be a non-empty list of \(W, b\) pairs .*got dict"),
        (
            [(jnp.ones((2, 3)), jnp.zeros(3)), (jnp.ones((4, 1)), jnp.zeros(1))],
            jnp.ones(2),
            ValueError,
            r"params\[1\] W must have n_in = previous n_out, i\.e\. shape \(3, n_out\) since the previous layer has 3 "
            r"outputs, got shape \(4, 1\)",
        ),
        (
            [(jnp.ones((2, 3)), jnp.zeros(2))],
            jnp.ones(2),
            ValueError,
            r"params\[0\] b must have shape \(3,\) to match W of shape \(2, 3\), got shape \(2,\)",
        ),
        (
            [(jnp.ones(3), jnp.zeros(3))],
            jnp.ones(2),
            ValueError,
            r"params\[0\] W must have shape \(n_in, n_out\), got shape \(3,\)",
        ),
        ([jnp.ones((2, 3))], jnp.ones(2), TypeError, r"params\[0\] must be a \(W, b\) pair"),
    ],
)
def test_mlp_apply_bad_input(params, x, exc, match):
    if isinstance(params, str):
        params = mlp_init(KEY, [2, 3, 1])
    with pytest.raises(exc, match=match):
        mlp_apply(params, x)


def test_mlp_apply_unknown_activation():
    params = mlp_init(KEY, [2, 3, 1])
    with pytest.raises(ValueError, match="activation must be one of .* or a callable, got 'rellu'"):
        mlp_apply(params, jnp.ones(2), activation="rellu")
    with pytest.raises(ValueError, match="activation must be one of .*got 'rellu'"):
        mlp_hidden(params, jnp.ones(2), activation="rellu")


# ---------------------------------------------------------------- CNN


def test_conv_layer_matches_loops():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 6, 5, 3)).astype(np.float32)
    W = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)
    b = rng.normal(size=(4,)).astype(np.float32)
    np.testing.assert_allclose(
        np.asarray(conv_layer(jnp.asarray(x), jnp.asarray(W), jnp.asarray(b))),
        np_conv_same(x, W, b),
        rtol=1e-4,
        atol=1e-4,
    )


def test_conv_layer_is_conv2d_batch_same_plus_bias():
    from relulab import conv

    rng = np.random.default_rng(4)
    x, W, b = rng.normal(size=(2, 5, 4, 2)), rng.normal(size=(3, 3, 2, 3)), rng.normal(size=3)
    np.testing.assert_allclose(
        np.asarray(nets.conv_layer(x, W, b)),
        np.asarray(conv.conv2d_batch(x, W, padding="SAME")) + b.astype(np.float32),
        rtol=1e-6,
        atol=1e-6,
    )
    with pytest.raises(
        ValueError, match=r"b must have shape \(3,\) to match W of shape \(3, 3, 2, 3\), got shape \(2,\)"
    ):
        nets.conv_layer(x, W, b[:2])


def test_cnn_init_shapes_and_variance():
    params = cnn_init(KEY, (8, 8, 1), channels=(4, 6), hidden=(5,), n_out=3)
    assert [W.shape for W, _ in params] == [(3, 3, 1, 4), (3, 3, 4, 6), (24, 5), (5, 3)]
    assert [b.shape for _, b in params] == [(4,), (6,), (5,), (3,)]
    ((W, _),) = cnn_init(KEY, (4, 4, 32), channels=(64,), n_out=1)[:1]
    np.testing.assert_allclose(np.asarray(W, np.float64).var(), 2 / (9 * 32), rtol=0.05)
    assert [W.shape for W, _ in cnn_init(KEY, (5, 5, 2), channels=(3,), pool="none", n_out=2)] == [
        (3, 3, 2, 3),
        (75, 2),
    ]


@pytest.mark.slow
def test_cnn_apply_matches_numpy_reference():
    params = cnn_init(jax.random.key(3), (8, 8, 1), channels=(3, 4), hidden=(6,), n_out=5)
    params = [(W, b + 0.05) for W, b in params]
    x = np.random.default_rng(2).normal(size=(3, 8, 8, 1)).astype(np.float32)
    h = x.astype(np.float64)
    for W, b in params[:2]:
        h = np_maxpool2(np_relu(np_conv_same(h, W, b)))
    h = h.reshape(3, -1)
    ref = np_mlp(params[2:], h, np_relu)
    out = cnn_apply(params, x)
    assert out.shape == (3, 5)
    np.testing.assert_allclose(np.asarray(out), ref, rtol=1e-4, atol=1e-4)
    single = cnn_apply(params, x[0])
    assert single.shape == (5,)
    np.testing.assert_allclose(np.asarray(single), ref[0], rtol=1e-4, atol=1e-4)


def test_cnn_avg_pool_and_hidden():
    params = cnn_init(jax.random.key(4), (4, 4, 1), channels=(2,), n_out=2, pool="avg")
    x = np.random.default_rng(3).normal(size=(2, 4, 4, 1)).astype(np.float32)
    h = np_relu(np_conv_same(x, params[0][0], params[0][1]))
    pooled = h.reshape(2, 2, 2, 2, 2, 2).mean(axis=(2, 4))
    ref = pooled.reshape(2, -1) @ np.asarray(params[1][0]) + np.asarray(params[1][1])
    np.testing.assert_allclose(np.asarray(cnn_apply(params, x, pool="avg")), ref, rtol=1e-4, atol=1e-4)
    pre, post = cnn_hidden(params, x, pool="avg")
    assert len(pre) == 1 and post[0].shape == (2, 4, 4, 2)
    np.testing.assert_allclose(np.asarray(post[0]), h, rtol=1e-4, atol=1e-4)


def test_cnn_apply_tanh_and_jit():
    params = cnn_init(KEY, (8, 8, 1), channels=(2,), n_out=3)
    x = jnp.ones((2, 8, 8, 1))
    f = jax.jit(lambda p, x: cnn_apply(p, x, activation="tanh"))
    np.testing.assert_allclose(np.asarray(f(params, x)), np.asarray(cnn_apply(params, x, activation="tanh")), rtol=1e-5)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(in_shape=(8, 8)), ValueError, r"in_shape must be \(height, width, channels\)"),
        (dict(in_shape=(8, 0, 1)), ValueError, r"in_shape\[1\] must be a positive integer"),
        (
            dict(in_shape=(2, 2, 1), channels=(4, 4)),
            ValueError,
            r"in_shape must be large enough for 2 pooling steps .*got \(2, 2, 1\)",
        ),
        (dict(channels=()), ValueError, "channels must have at least 1"),
        (dict(channels=(4, 0)), ValueError, r"channels\[1\]"),
        (dict(n_out=0), ValueError, "n_out must be a positive integer"),
        (dict(kernel_size=0), ValueError, "kernel_size must be a positive integer"),
        (dict(pool="min"), ValueError, "pool must be one of max, avg, none, got 'min'"),
        (dict(init="orthogonal"), ValueError, "init must be one of he, glorot, lecun, got 'orthogonal'"),
    ],
)
def test_cnn_init_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        cnn_init(KEY, **kwargs)


def test_cnn_apply_bad_input():
    params = cnn_init(KEY, (8, 8, 1), channels=(2,), n_out=3)
    with pytest.raises(
        ValueError,
        match=r"x must have shape \(batch, height, width, 1\) or \(height, width, 1\) \(NHWC.*got shape \(2, 64\)",
    ):
        cnn_apply(params, jnp.ones((2, 64)))
    with pytest.raises(ValueError, match=r"got shape \(2, 8, 8, 3\)"):
        cnn_apply(params, jnp.ones((2, 8, 8, 3)))
    with pytest.raises(ValueError, match="the convolutions produce 18 features"):
        cnn_apply(params, jnp.ones((2, 6, 6, 1)))
    with pytest.raises(ValueError, match="activation must be one of .*got 'nope'"):
        cnn_apply(params, jnp.ones((2, 8, 8, 1)), activation="nope")
    with pytest.raises(ValueError, match="for an MLP use mlp_apply"):
        cnn_apply(mlp_init(KEY, [4, 2]), jnp.ones((2, 2, 2, 1)))
    bad = [params[1], params[0]]
    with pytest.raises(ValueError, match="cannot follow a dense layer"):
        cnn_apply(bad, jnp.ones((2, 8, 8, 1)))


def test_module_all_is_public():
    for name in nets.__all__:
        assert hasattr(nets, name)
