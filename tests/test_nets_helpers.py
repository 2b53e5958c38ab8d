"""Tests for the NumPy helpers of relulab.nets: random_mlp and mlp_with_patterns."""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np
import pytest

from relulab import nets, regions


def test_random_mlp_draws_weights_then_biases_layer_by_layer():
    """The same draws, in the same order, as writing the loop out with NumPy."""
    rng = np.random.default_rng(5)
    expected = []
    for n_in, n_out in [(2, 7), (7, 3), (3, 1)]:
        expected.append((rng.normal(0.0, math.sqrt(2.0 / n_in), (n_in, n_out)), rng.normal(-0.2, 0.4, n_out)))
    got = nets.random_mlp(np.random.default_rng(5), [2, 7, 3, 1], bias_mean=-0.2, bias_std=0.4)
    for (W, b), (We, be) in zip(got, expected, strict=True):
        np.testing.assert_array_equal(W, We)
        np.testing.assert_array_equal(b, be)
        assert W.dtype == np.float64
    # an int seed is np.random.default_rng(seed); dtype and init are honoured
    a = nets.random_mlp(5, [2, 7, 3, 1], bias_mean=-0.2, bias_std=0.4)
    np.testing.assert_array_equal(a[1][0], got[1][0])
    f32 = nets.random_mlp(0, [3, 4, 1], init="lecun", dtype=np.float32)
    assert f32[0][0].dtype == np.float32 and f32[0][1].dtype == np.float32


def test_random_mlp_statistics():
    ((W, b),) = nets.random_mlp(1, [400, 300], init="glorot", bias_std=0.3, bias_mean=1.0)
    np.testing.assert_allclose(W.var(), 2 / 700, rtol=0.03)
    np.testing.assert_allclose(b.mean(), 1.0, atol=4 * 0.3 / math.sqrt(300))
    np.testing.assert_allclose(b.std(), 0.3, rtol=0.15)
    ((W, b),) = nets.random_mlp(1, [5, 5], bias_std=0.0)
    assert np.all(b == 0)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(rng="a"), TypeError, "rng must be a numpy.random.Generator or a non-negative int seed, got str"),
        (dict(rng=-1), ValueError, "rng must be a numpy.random.Generator or a non-negative int seed, got -1"),
        (dict(sizes=[3]), ValueError, "sizes must have at least 2 entries"),
        (dict(bias_std=-1.0), ValueError, "bias_std must be a non-negative number, got -1.0"),
        (dict(init="xavier"), ValueError, "init must be one of he, glorot, lecun, got 'xavier'"),
        (dict(dtype=np.int32), TypeError, "dtype must be a floating dtype such as numpy.float32, got int32"),
        (dict(dtype="no such type"), TypeError, "dtype must be a floating dtype such as numpy.float32, got str"),
    ],
)
def test_random_mlp_bad_input(kwargs, exc, match):
    args = dict(rng=0, sizes=[2, 3, 1])
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        nets.random_mlp(args.pop("rng"), args.pop("sizes"), **args)


def test_mlp_with_patterns_matches_mlp_apply_and_mlp_hidden():
    params = nets.random_mlp(3, [2, 6, 5, 2], dtype=np.float32)
    x = np.random.default_rng(4).normal(size=(50, 2)).astype(np.float32)
    out, pattern = nets.mlp_with_patterns(params, x)
    assert out.dtype == np.float32 and isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, np.asarray(nets.mlp_apply(params, x)), rtol=1e-5, atol=1e-5)
    pre, _ = nets.mlp_hidden(params, x)
    z = np.concatenate([np.asarray(p) for p in pre], axis=1)
    clear = np.abs(z) > 1e-5  # float32 sums in another order may differ in the last bit near 0
    np.testing.assert_array_equal(pattern[clear], (z > 0)[clear])
    assert pattern.shape == (50, 11) and pattern.dtype == bool
    # one input: no batch axis; tanh by name, and a NumPy callable
    o1, p1 = nets.mlp_with_patterns(params, x[0])
    assert o1.shape == (2,) and p1.shape == (11,)
    ot, _ = nets.mlp_with_patterns(params, x, activation="tanh")
    np.testing.assert_allclose(ot, np.asarray(nets.mlp_apply(params, x, activation="tanh")), rtol=1e-5, atol=1e-5)
    oc, _ = nets.mlp_with_patterns(params, x, activation=np.tanh)
    np.testing.assert_allclose(oc, ot, rtol=1e-5, atol=1e-6)


def test_patterns_agree_with_the_exact_regions():
    """Every region of region_polygons carries the pattern mlp_with_patterns finds at its centroid."""
    params = nets.random_mlp(0, [2, 5, 4, 1])
    polys = regions.region_polygons(params, (-2.0, 2.0, -2.0, 2.0))
    centroids = np.array([v.mean(axis=0) for v, _ in polys])
    _, pattern = nets.mlp_with_patterns(params, centroids)
    np.testing.assert_array_equal(pattern, np.array([p for _, p in polys]))


def test_mlp_with_patterns_no_hidden_layer_and_bad_input():
    out, pattern = nets.mlp_with_patterns([(np.eye(2), np.ones(2))], np.array([[1, 2]]))
    assert out.tolist() == [[2.0, 3.0]] and pattern.shape == (1, 0)
    params = nets.random_mlp(0, [3, 4, 1])
    with pytest.raises(ValueError, match=r"x must have shape \(3,\) or \(batch, 3\), got shape \(2, 2\)"):
        nets.mlp_with_patterns(params, np.ones((2, 2)))
    with pytest.raises(TypeError, match="x must be an array of real numbers, got dtype bool"):
        nets.mlp_with_patterns(params, np.ones((2, 3), bool))
    with pytest.raises(ValueError, match=r"params\[1\] W must have n_in = previous n_out"):
        nets.mlp_with_patterns([params[0], (jnp.ones((5, 1)), jnp.zeros(1))], np.ones(3))
