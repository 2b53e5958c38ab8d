r"""Small datasets: scikit-learn's bundled digits and generated toy problems.

Nothing is downloaded: :func:`digits` reads the 1,797 8x8 images that ship
with scikit-learn, and the toy sets are generated from an explicit JAX PRNG
key, so the same key always gives the same data.

Every loader returns :class:`Split` (train/test) or a pair ``(X, y)`` of JAX
arrays: inputs are floating point, class labels are ``int32``, regression
targets are floating point of shape ``(n, 1)``.

>>> import jax
>>> from relulab.data import two_moons
>>> X, y = two_moons(jax.random.key(0), 100)
>>> X.shape, y.shape, str(y.dtype)
((100, 2), (100,), 'int32')
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from . import _validate

__all__ = ["CURVES", "Split", "curve", "digits", "two_moons", "xor"]


class Split(NamedTuple):
    """A train/test split: ``X_train, y_train, X_test, y_test`` (JAX arrays)."""

    X_train: jax.Array
    y_train: jax.Array
    X_test: jax.Array
    y_test: jax.Array


def _check_nonneg(value: object, name: str) -> float:
    return _validate.number(value, name, low=0.0, expected="a non-negative number")


@functools.lru_cache(maxsize=4)
def _digits_numpy(test_fraction: float) -> tuple[np.ndarray, ...]:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = bunch.images.astype(np.float32) / 16.0  # pixel intensities 0..16 -> [0, 1]
    labels = bunch.target.astype(np.int32)
    # Fixed, stratified split: shuffle each class with a fixed seed and put the
    # first round(test_fraction * class size) of each class in the test set.
    rng = np.random.default_rng(20100621)  # a fixed seed: the split never changes
    test_idx = []
    for c in range(10):
        idx = np.flatnonzero(labels == c)
        idx = rng.permutation(idx)
        test_idx.append(idx[: int(round(test_fraction * idx.size))])
    test_mask = np.zeros(labels.size, dtype=bool)
    test_mask[np.concatenate(test_idx)] = True
    train_idx = np.flatnonzero(~test_mask)
    test_idx_all = np.flatnonzero(test_mask)
    # shuffle the training order once (fixed) so that minibatches are not sorted
    train_idx = rng.permutation(train_idx)
    return images[train_idx], labels[train_idx], images[test_idx_all], labels[test_idx_all]


def digits(*, flat: bool = False, normalise: bool = True, test_fraction: float = 0.25) -> Split:
    r"""scikit-learn's handwritten digits, split into a fixed training and test set.

    1,797 grey-scale images of 8x8 pixels (intensities 0 to 16), labels 0-9.
    Pixels are first scaled to :math:`[0, 1]`; with ``normalise=True`` they
    are then standardised with the *training* set's mean :math:`\mu` and
    standard deviation :math:`s` over all pixels, :math:`x \mapsto (x - \mu)/s`
    (the same two numbers for the test set, so no test information leaks).

    The split is stratified (each digit has ``test_fraction`` of its images in
    the test set) and fixed: it never depends on a key or on global state.

    Args:
        flat: if ``False`` (default), images of shape ``(n, 8, 8, 1)`` (NHWC,
            for :func:`relulab.nets.cnn_apply`); if ``True``, vectors of shape
            ``(n, 64)`` (for :func:`relulab.nets.mlp_apply`).
        normalise: standardise with training-set statistics (default) or keep
            pixels in :math:`[0, 1]`.
        test_fraction: fraction of each class held out, strictly between 0 and 1.

    Returns:
        :class:`Split` with float32 inputs and int32 labels; with the default
        ``test_fraction`` 1,347 training and 450 test images.

    >>> d = digits()
    >>> d.X_train.shape, d.X_test.shape, str(d.y_train.dtype)
    ((1347, 8, 8, 1), (450, 8, 8, 1), 'int32')
    >>> digits(flat=True).X_train.shape
    (1347, 64)
    """
    flat = _validate.boolean(flat, "flat")
    normalise = _validate.boolean(normalise, "normalise")
    test_fraction = _validate.number(
        test_fraction,
        "test_fraction",
        low=0.0,
        high=1.0,
        low_open=True,
        high_open=True,
        expected="a number strictly between 0 and 1",
    )
    Xtr, ytr, Xte, yte = _digits_numpy(test_fraction)
    if normalise:
        mu, s = Xtr.mean(), Xtr.std()
        Xtr, Xte = (Xtr - mu) / s, (Xte - mu) / s
    shape = (-1, 64) if flat else (-1, 8, 8, 1)
    return Split(
        jnp.asarray(Xtr.reshape(shape), dtype=jnp.float32),
        jnp.asarray(ytr),
        jnp.asarray(Xte.reshape(shape), dtype=jnp.float32),
        jnp.asarray(yte),
    )


def two_moons(key: jax.Array, n: int, *, noise: float = 0.1) -> tuple[jax.Array, jax.Array]:
    r"""Two interleaving half circles in the plane, a classic non-linearly-separable problem.

    Class 0 lies on :math:`(\cos t, \sin t)` and class 1 on
    :math:`(1 - \cos t, \tfrac12 - \sin t)` for :math:`t` uniform in
    :math:`[0, \pi]`, plus Gaussian noise of standard deviation ``noise``
    (the same construction as ``sklearn.datasets.make_moons``).

    Args:
        key: a JAX PRNG key.
        n: number of points, >= 1; ``n // 2`` are in class 0, the rest in class 1.
        noise: standard deviation of the isotropic Gaussian noise, >= 0.

    Returns:
        ``(X, y)`` with ``X`` of shape ``(n, 2)`` (float32) and labels ``y`` of
        shape ``(n,)`` (int32, 0 or 1), in random order.

    >>> import jax
    >>> X, y = two_moons(jax.random.key(0), 6, noise=0.0)
    >>> sorted(y.tolist())
    [0, 0, 0, 1, 1, 1]
    """
    key = _validate.key(key)
    n = _validate.integer(n, "n", minimum=1)
    noise = _check_nonneg(noise, "noise")
    return _two_moons(key, n, noise)


@functools.partial(jax.jit, static_argnums=(1,))
def _two_moons(key: jax.Array, n: int, noise: float) -> tuple[jax.Array, jax.Array]:
    k_t, k_noise, k_perm = jax.random.split(key, 3)
    y = (jnp.arange(n) >= n // 2).astype(jnp.int32)
    t = jax.random.uniform(k_t, (n,), minval=0.0, maxval=jnp.pi)
    upper = jnp.stack([jnp.cos(t), jnp.sin(t)], axis=1)
    lower = jnp.stack([1.0 - jnp.cos(t), 0.5 - jnp.sin(t)], axis=1)
    X = jnp.where(y[:, None] == 0, upper, lower)
    X = X + noise * jax.random.normal(k_noise, (2 * n,)).reshape(n, 2)
    perm = jax.random.permutation(k_perm, n)
    return X[perm], y[perm]


def xor(key: jax.Array, n: int, *, noise: float = 0.0, margin: float = 0.1) -> tuple[jax.Array, jax.Array]:
    r"""The XOR problem: points in :math:`[-1, 1]^2` labelled by the sign of :math:`x_1 x_2`.

    Points are drawn uniformly from the square, keeping only those at least
    ``margin`` away from both axes (so the classes are separated by a gap),
    then Gaussian noise of standard deviation ``noise`` is added. The label is
    1 when :math:`x_1 x_2 > 0` before noise (first and third quadrants), else 0.
    No straight line separates the two classes.

    Args:
        key: a JAX PRNG key.
        n: number of points, >= 1.
        noise: standard deviation of Gaussian noise added after labelling, >= 0.
        margin: half-width of the empty band along each axis, in ``[0, 1)``.

    Returns:
        ``(X, y)`` with ``X`` of shape ``(n, 2)`` (float32) and ``y`` of shape
        ``(n,)`` (int32, 0 or 1).

    >>> import jax, jax.numpy as jnp
    >>> X, y = xor(jax.random.key(0), 200)
    >>> bool(jnp.all((X[:, 0] * X[:, 1] > 0) == (y == 1)))
    True
    """
    key = _validate.key(key)
    n = _validate.integer(n, "n", minimum=1)
    noise = _check_nonneg(noise, "noise")
    margin = _validate.number(margin, "margin", low=0.0, high=1.0, high_open=True)
    return _xor(key, n, noise, margin)


@functools.partial(jax.jit, static_argnums=(1,))
def _xor(key: jax.Array, n: int, noise: float, margin: float) -> tuple[jax.Array, jax.Array]:
    k_mag, k_sign, k_noise = jax.random.split(key, 3)
    # |x_i| uniform on [margin, 1] with a random sign: uniform on the square minus the bands.
    mag = margin + (1.0 - margin) * jax.random.uniform(k_mag, (2 * n,)).reshape(n, 2)
    sign = jnp.where(jax.random.bernoulli(k_sign, 0.5, (2 * n,)).reshape(n, 2), 1.0, -1.0)
    X = mag * sign
    y = (X[:, 0] * X[:, 1] > 0).astype(jnp.int32)
    X = X + noise * jax.random.normal(k_noise, (2 * n,)).reshape(n, 2)
    return X, y


CURVES: dict[str, str] = {
    "sin": "sin(pi x)",
    "square": "x^2",
    "abs": "|x|",
    "step": "1 if x > 0 else 0",
    "cubic": "x^3 - x / 2",
}
"""The 1D target functions of :func:`curve`, by name, with their formulas."""


def _curve_fn(kind: str, x: jax.Array) -> jax.Array:
    if kind == "sin":
        return jnp.sin(jnp.pi * x)
    if kind == "square":
        return x**2
    if kind == "abs":
        return jnp.abs(x)
    if kind == "step":
        return (x > 0).astype(x.dtype)
    return x**3 - 0.5 * x


def curve(
    key: jax.Array,
    n: int,
    *,
    kind: str = "sin",
    noise: float = 0.0,
    interval: tuple[float, float] = (-1.0, 1.0),
    grid: bool = False,
) -> tuple[jax.Array, jax.Array]:
    r"""A 1D regression problem: samples of a curve :math:`y = f(x) + \varepsilon`.

    Args:
        key: a JAX PRNG key (used for the inputs unless ``grid=True``, and for the noise).
        n: number of samples, >= 1.
        kind: one of :data:`CURVES`: ``"sin"`` (:math:`\sin \pi x`), ``"square"``
            (:math:`x^2`), ``"abs"`` (:math:`|x|`), ``"step"`` (:math:`[x > 0]`),
            ``"cubic"`` (:math:`x^3 - x/2`).
        noise: standard deviation of Gaussian noise :math:`\varepsilon` on ``y``, >= 0.
        interval: ``(low, high)`` with ``low < high``; inputs lie in it.
        grid: if ``True``, ``x`` is ``n`` evenly spaced points (sorted);
            otherwise uniform random draws, sorted.

    Returns:
        ``(x, y)``, both float32 of shape ``(n, 1)`` (ready for an MLP with one
        input and one output and the ``"mse"`` loss).

    >>> import jax
    >>> x, y = curve(jax.random.key(0), 5, kind="square", grid=True, interval=(0.0, 1.0))
    >>> y[:, 0].tolist()
    [0.0, 0.0625, 0.25, 0.5625, 1.0]
    """
    key = _validate.key(key)
    n = _validate.integer(n, "n", minimum=1)
    kind = _validate.choice(kind, "kind", tuple(CURVES))
    noise = _check_nonneg(noise, "noise")
    lo, hi = _validate.interval(interval, "interval")
    grid = _validate.boolean(grid, "grid")
    return _curve(key, n, kind, noise, lo, hi, grid)


@functools.partial(jax.jit, static_argnums=(1, 2, 6))
def _curve(key, n, kind, noise, lo, hi, grid):
    k_x, k_noise = jax.random.split(key)
    if grid:
        x = jnp.linspace(lo, hi, n, dtype=jnp.float32)
    else:
        x = jnp.sort(jax.random.uniform(k_x, (n,), minval=lo, maxval=hi))
    y = _curve_fn(kind, x) + noise * jax.random.normal(k_noise, (n,))
    return x[:, None], y[:, None]
