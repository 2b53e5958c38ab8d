"""Tests for relulab.data: digits split, toy sets against their defining formulas, determinism, bad input."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from sklearn.datasets import load_digits

from relulab import data

KEY = jax.random.key(0)


# ---------------------------------------------------------------- digits


@pytest.fixture(scope="module")
def raw():
    return data.digits(normalise=False, flat=True)


def test_digits_shapes_dtypes_and_sizes():
    d = data.digits()
    assert d.X_train.shape == (1347, 8, 8, 1) and d.X_test.shape == (450, 8, 8, 1)
    assert d.y_train.shape == (1347,) and d.y_test.shape == (450,)
    assert d.X_train.dtype == jnp.float32 and d.y_train.dtype == jnp.int32
    f = data.digits(flat=True)
    np.testing.assert_array_equal(np.asarray(f.X_train), np.asarray(d.X_train).reshape(-1, 64))


def test_digits_is_a_partition_of_sklearn_digits(raw):
    bunch = load_digits()
    ours = np.concatenate([np.asarray(raw.X_train), np.asarray(raw.X_test)]) * 16.0
    labels = np.concatenate([np.asarray(raw.y_train), np.asarray(raw.y_test)])

    # same multiset of (image, label) rows as sklearn's data
    def rows(X, y):
        return sorted(map(tuple, np.column_stack([np.round(X), y]).astype(int).tolist()))

    assert rows(ours, labels) == rows(bunch.data, bunch.target)
    assert raw.X_train.min() >= 0 and raw.X_train.max() <= 1


def test_digits_split_is_stratified_fixed_and_disjoint(raw):
    counts_test = np.bincount(np.asarray(raw.y_test), minlength=10)
    counts_all = counts_test + np.bincount(np.asarray(raw.y_train), minlength=10)
    np.testing.assert_array_equal(counts_test, np.round(0.25 * counts_all).astype(int))
    again = data.digits(normalise=False, flat=True)
    for a, b in zip(raw, again, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    # (train + test is exactly sklearn's dataset, see the partition test, so they are disjoint by index)
    small = data.digits(normalise=False, flat=True, test_fraction=0.1)
    assert small.X_test.shape[0] == int(np.sum(np.round(0.1 * counts_all)))


def test_digits_normalised_with_training_statistics(raw):
    d = data.digits(flat=True)
    Xtr = np.asarray(d.X_train, dtype=np.float64)
    np.testing.assert_allclose(Xtr.mean(), 0.0, atol=1e-5)
    np.testing.assert_allclose(Xtr.std(), 1.0, rtol=1e-5)
    mu, s = np.asarray(raw.X_train, np.float64).mean(), np.asarray(raw.X_train, np.float64).std()
    np.testing.assert_allclose(np.asarray(d.X_test), (np.asarray(raw.X_test) - mu) / s, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(test_fraction=0.0), ValueError, "test_fraction must be a number strictly between 0 and 1, got 0.0"),
        (dict(test_fraction=1.5), ValueError, "test_fraction"),
        (dict(test_fraction="a"), TypeError, "test_fraction must be a number strictly between 0 and 1, got str 'a'"),
        (dict(flat=1), TypeError, "flat must be True or False"),
        (dict(normalise="yes"), TypeError, "normalise must be True or False"),
    ],
)
def test_digits_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        data.digits(**kwargs)


# ---------------------------------------------------------------- two moons


def test_two_moons_noiseless_points_lie_on_the_half_circles():
    X, y = data.two_moons(KEY, 101, noise=0.0)
    X, y = np.asarray(X, np.float64), np.asarray(y)
    assert X.shape == (101, 2) and y.dtype == np.int32
    assert (y == 0).sum() == 50 and (y == 1).sum() == 51
    up, lo = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(up[:, 0], up[:, 1]), 1.0, atol=1e-5)
    assert np.all(up[:, 1] >= -1e-6)
    np.testing.assert_allclose(np.hypot(lo[:, 0] - 1.0, lo[:, 1] - 0.5), 1.0, atol=1e-5)
    assert np.all(lo[:, 1] <= 0.5 + 1e-6)


def test_two_moons_deterministic_and_noise_scale():
    a, ya = data.two_moons(jax.random.key(1), 400, noise=0.2)
    b, yb = data.two_moons(jax.random.key(1), 400, noise=0.2)
    c, _ = data.two_moons(jax.random.key(2), 400, noise=0.2)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    np.testing.assert_array_equal(np.asarray(ya), np.asarray(yb))
    assert not np.allclose(np.asarray(a), np.asarray(c))
    clean, yc = data.two_moons(jax.random.key(1), 400, noise=0.0)
    resid = np.asarray(a) - np.asarray(clean)  # same key -> same t, permutation; only noise differs
    np.testing.assert_allclose(resid.std(), 0.2, rtol=0.1)


# ---------------------------------------------------------------- xor


def test_xor_labels_margin_and_balance():
    X, y = data.xor(KEY, 2000, margin=0.2)
    X, y = np.asarray(X), np.asarray(y)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(np.int32))
    assert np.all(np.abs(X) >= 0.2 - 1e-6) and np.all(np.abs(X) <= 1 + 1e-6)
    assert abs(y.mean() - 0.5) < 0.05
    # no straight line separates XOR: the best least-squares linear classifier is near chance
    A = np.column_stack([X, np.ones(len(X))])
    w = np.linalg.lstsq(A, 2.0 * y - 1.0, rcond=None)[0]
    assert ((A @ w > 0) == (y == 1)).mean() < 0.6


def test_xor_deterministic_from_key():
    a = data.xor(jax.random.key(5), 50, noise=0.1)
    b = data.xor(jax.random.key(5), 50, noise=0.1)
    np.testing.assert_array_equal(np.asarray(a[0]), np.asarray(b[0]))


# ---------------------------------------------------------------- curves


@pytest.mark.parametrize(
    "kind, fn",
    [
        ("sin", lambda x: np.sin(np.pi * x)),
        ("square", lambda x: x**2),
        ("abs", np.abs),
        ("step", lambda x: (x > 0).astype(float)),
        ("cubic", lambda x: x**3 - x / 2),
    ],
)
def test_curve_grid_matches_formula(kind, fn):
    x, y = data.curve(KEY, 33, kind=kind, grid=True, interval=(-2.0, 1.5))
    assert x.shape == (33, 1) and y.shape == (33, 1) and x.dtype == jnp.float32
    xs = np.linspace(-2.0, 1.5, 33)
    np.testing.assert_allclose(np.asarray(x[:, 0]), xs, atol=1e-6)
    np.testing.assert_allclose(np.asarray(y[:, 0]), fn(np.asarray(x[:, 0], np.float64)), atol=1e-5)


def test_curve_random_inputs_sorted_in_interval_and_noise():
    x, y = data.curve(KEY, 2000, kind="square", noise=0.1, interval=(0.0, 1.0))
    x, y = np.asarray(x[:, 0], np.float64), np.asarray(y[:, 0], np.float64)
    assert np.all(np.diff(x) >= 0) and x.min() >= 0 and x.max() <= 1
    np.testing.assert_allclose((y - x**2).std(), 0.1, rtol=0.1)


@pytest.mark.parametrize(
    "fn, kwargs, exc, match",
    [
        (data.two_moons, dict(key=1, n=10), TypeError, "key must be a JAX PRNG key"),
        (data.two_moons, dict(key=KEY, n=0), ValueError, r"n must be a positive integer \(>= 1\), got 0"),
        (data.two_moons, dict(key=KEY, n=2.5), TypeError, "n must be a positive integer"),
        (data.two_moons, dict(key=KEY, n=10, noise=-0.1), ValueError, "noise must be a non-negative number, got -0.1"),
        (data.xor, dict(key=KEY, n=10, margin=1.0), ValueError, r"margin must be a number in \[0, 1\), got 1.0"),
        (data.xor, dict(key=KEY, n=-3), ValueError, "n must be a positive integer"),
        (
            data.curve,
            dict(key=KEY, n=10, kind="cos"),
            ValueError,
            "kind must be one of sin, square, abs, step, cubic, got 'cos'",
        ),
        (
            data.curve,
            dict(key=KEY, n=10, interval=(1.0, 0.0)),
            ValueError,
            r"interval must have low < high, got \(1.0, 0.0\)",
        ),
        (
            data.curve,
            dict(key=KEY, n=10, interval=3),
            TypeError,
            r"interval must be a pair \(low, high\) of numbers, got int 3",
        ),
        (
            data.curve,
            dict(key=KEY, n=10, interval=(0.0, "1")),
            TypeError,
            r"interval\[1\] must be a finite real number, got str '1'",
        ),
        (data.curve, dict(key=KEY, n=10, grid="yes"), TypeError, "grid must be True or False"),
    ],
)
def test_toy_bad_input(fn, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        fn(kwargs.pop("key"), kwargs.pop("n"), **kwargs)
