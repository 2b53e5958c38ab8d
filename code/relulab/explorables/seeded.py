r"""The seeded draws of the training explorables, in Python, draw for draw the same as in the browser.

The explorables' JavaScript core (``train.mjs``, next to this module) draws initial weights and
minibatch orders from a small integer generator, so that every browser and Node give the same
numbers. This module repeats those draws with Python integers and floats, so that a chapter can
train, in JAX, exactly the network a reader's browser starts from (see
:func:`relulab.explorables.training.replay`), and the tests can check both sides agree.

The generator
    xoshiro128** (32-bit words), its four words of state taken from two outputs of SplitMix64
    started at :math:`2^{32}\,\text{seed} + \text{stream}`. Stream :math:`\ell + 1` draws the
    weights of layer :math:`\ell` (so adding a layer leaves the others' weights unchanged),
    stream :data:`BATCH_STREAM` the minibatch order.

The distribution of a weight
    A 32-bit output :math:`k` gives :math:`u = (k + \tfrac12) / 2^{32} \in (0, 1)`, and the
    standard normal draw is :math:`z = \tilde Q(u)`, where :math:`\tilde Q` is Acklam's rational
    approximation of the normal quantile :math:`\Phi^{-1}` (relative error below
    :math:`1.15 \times 10^{-9}`). Its tails need :math:`\sqrt{-2 \log u}`; the logarithm is a
    fixed series in ``+ - * /`` (:func:`log_arithmetic`), because ``Math.log`` may differ between
    JavaScript engines while the basic operations and the square root are correctly rounded in
    all of them (IEEE 754), and so in Python too. The draws are therefore normal up to that
    approximation, on a grid of :math:`2^{32}` probabilities, and bounded by
    :math:`|z| \le \tilde Q(1 - 2^{-33}) \approx 6.23`. A weight of a layer with fan-in
    :math:`n_\text{in}` and fan-out :math:`n_\text{out}` is :math:`(z \cdot \text{scale}) \cdot s`
    with :math:`s` = :func:`relulab.nets.init_std` (He, Glorot or LeCun), biases are zero: the
    distribution of :func:`relulab.nets.mlp_init`.

>>> params = init_params([1, 4, 1], init="he", seed=0)
>>> [W.shape for W, b in params], bool(np.all(params[0][1] == 0))
([(1, 4), (4, 1)], True)
>>> batch_order(1347, 32, 2, seed=0).shape
(2, 32)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .. import _validate
from ..nets import INITS, init_std

__all__ = ["BATCH_STREAM", "Generator", "batch_order", "init_params", "log_arithmetic", "normal_quantile"]

BATCH_STREAM = 1000
"""The stream of a seed that orders the minibatches (streams 1, 2, ... draw the layers' weights)."""

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF
_QA = (
    -3.969683028665376e1,
    2.209460984245205e2,
    -2.759285104469687e2,
    1.38357751867269e2,
    -3.066479806614716e1,
    2.506628277459239,
)
_QB = (-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1)
_QC = (
    -7.784894002430293e-3,
    -3.223964580411365e-1,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
)
_QD = (7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416)
_P_LOW = 0.02425
_LN2 = 0.6931471805599453


def _splitmix64(state: int) -> tuple[int, int]:
    state = (state + 0x9E3779B97F4A7C15) & _M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return state, z ^ (z >> 31)


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & _M32


def log_arithmetic(x: float) -> float:
    r"""The natural logarithm of ``x`` in :math:`(0, 1]` with ``+ - * /`` only.

    :math:`x = m\,2^e` with :math:`m \in [1/\sqrt2, \sqrt2)` (exact halvings), then
    :math:`\ln m = 2\,\mathrm{atanh}\,s = 2(s + s^3/3 + \dots + s^{41}/41)` with
    :math:`s = (m - 1)/(m + 1)`, :math:`|s| < 0.172`: relative error about :math:`10^{-15}`.

    >>> abs(log_arithmetic(0.25) - math.log(0.25)) < 1e-15
    True
    """
    e = 0
    while x < 0.7071067811865476:
        x *= 2.0
        e -= 1
    s = (x - 1.0) / (x + 1.0)
    s2 = s * s
    term = s
    total = s
    for k in range(3, 42, 2):
        term *= s2
        total += term / k
    return 2.0 * total + e * _LN2


def _tail(q: float) -> float:
    c, d = _QC, _QD
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
        (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0
    )


def normal_quantile(u: float) -> float:
    r"""Acklam's approximation of the standard normal quantile :math:`\Phi^{-1}(u)`, :math:`0 < u < 1`.

    >>> round(normal_quantile(0.975), 6)
    1.959964
    """
    if u < _P_LOW:
        return _tail(math.sqrt(-2.0 * log_arithmetic(u)))
    if u > 1.0 - _P_LOW:
        return -_tail(math.sqrt(-2.0 * log_arithmetic(1.0 - u)))
    a, b = _QA, _QB
    q = u - 0.5
    r = q * q
    return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (
        ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0
    )


class Generator:
    """The explorables' generator (xoshiro128**), stream ``stream`` of seed ``seed``.

    Args:
        seed: an integer from 0 to 2**32 - 1.
        stream: an integer from 0 to 2**32 - 1.

    >>> g, h = Generator(7, 2), Generator(7, 2)
    >>> [g.uint32() for _ in range(3)] == [h.uint32() for _ in range(3)]
    True
    >>> 0 < Generator(0).uniform() < 1
    True
    """

    def __init__(self, seed: int, stream: int = 0):
        seed = _validate.integer(seed, "seed", minimum=0)
        stream = _validate.integer(stream, "stream", minimum=0)
        for name, value in (("seed", seed), ("stream", stream)):
            _validate.check(value <= _M32, name, "be an integer from 0 to 2**32 - 1", str(value))
        state = (seed << 32) | stream
        words = []
        for _ in range(2):
            state, out = _splitmix64(state)
            words += [out & _M32, out >> 32]
        if not any(words):
            words[0] = 1
        self._s = words

    def uint32(self) -> int:
        """The next 32-bit output, an int in [0, 2**32)."""
        s0, s1, s2, s3 = self._s
        result = (_rotl((s1 * 5) & _M32, 7) * 9) & _M32
        t = (s1 << 9) & _M32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 11)
        self._s = [s0, s1, s2, s3]
        return result

    def uniform(self) -> float:
        """(k + 1/2) / 2**32 for the next output k: a float in (0, 1)."""
        return (self.uint32() + 0.5) / 4294967296.0

    def normal(self) -> float:
        """A standard normal draw, :func:`normal_quantile` of :meth:`uniform`."""
        return normal_quantile(self.uniform())

    def below(self, n: int) -> int:
        """An integer in [0, n) without modulo bias (outputs in the top remainder are redrawn)."""
        limit = 4294967296 - (4294967296 % n)
        while True:
            k = self.uint32()
            if k < limit:
                return k % n


def init_params(
    sizes: Sequence[int], *, init: str = "he", seed: int = 0, scale: float = 1.0
) -> list[tuple[np.ndarray, np.ndarray]]:
    r"""The explorables' initial network: float64 ``(W, b)`` pairs, as ``initParams`` in the browser.

    ``W[i, j] = (z * scale) * init_std(n_in, n_out, init)``, with :math:`z` the normal draws of
    stream :math:`\ell + 1` of ``seed`` row after row, and zero biases.

    Args:
        sizes: widths ``[n_0, ..., n_L]``, at least two, each >= 1.
        init: ``"he"``, ``"glorot"`` or ``"lecun"``.
        seed: an integer from 0 to 2**32 - 1.
        scale: a positive factor on every weight (the race's "4 x Glorot" sigmoid uses 4).

    Returns:
        A list of ``(W, b)`` with ``W`` of shape ``(n_in, n_out)``, float64.

    >>> [(W.shape, b.shape) for W, b in init_params([2, 3, 1], seed=5)]
    [((2, 3), (3,)), ((3, 1), (1,))]
    """
    sizes = _validate.integers(sizes, "sizes", min_len=2)
    init = _validate.choice(init, "init", INITS)
    scale = _validate.number(scale, "scale", low=0.0, low_open=True, expected="a positive finite number")
    params = []
    for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=False)):
        g = Generator(seed, layer + 1)
        std = init_std(n_in, n_out, init)
        W = np.array([[g.normal() * scale * std for _ in range(n_out)] for _ in range(n_in)], dtype=np.float64)
        params.append((W, np.zeros(n_out, dtype=np.float64)))
    return params


def batch_order(n: int, batch_size: int, steps: int, *, seed: int = 0, replace: bool = False) -> np.ndarray:
    """The example indices of ``steps`` minibatches, as ``batchOrder`` in the browser.

    With ``replace``, every index is drawn uniformly and independently; otherwise each pass over
    the data is a Fisher-Yates permutation, and the passes are cut into batches in a row.

    Returns:
        An int array of shape ``(steps, batch_size)``.

    >>> sorted(batch_order(6, 3, 2, seed=1).ravel().tolist())
    [0, 1, 2, 3, 4, 5]
    """
    n = _validate.integer(n, "n", minimum=1)
    batch_size = _validate.integer(batch_size, "batch_size", minimum=1)
    _validate.check(batch_size <= n, "batch_size", f"be at most n = {n}", str(batch_size))
    steps = _validate.integer(steps, "steps", minimum=0)
    replace = _validate.boolean(replace, "replace")
    g = Generator(seed, BATCH_STREAM)
    total = steps * batch_size
    if replace:
        out = [g.below(n) for _ in range(total)]
    else:
        out = []
        while len(out) < total:
            perm = list(range(n))
            for i in range(n - 1, 0, -1):
                j = g.below(i + 1)
                perm[i], perm[j] = perm[j], perm[i]
            out += perm[: total - len(out)]
    return np.asarray(out, dtype=np.int64).reshape(steps, batch_size)
