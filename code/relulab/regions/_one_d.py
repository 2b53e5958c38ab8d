"""Exact linear pieces of a ReLU network of one input: :func:`count_pieces_1d` and friends.

Private module: the public names are importable from :mod:`relulab.regions`.

The 1D part works in float64 NumPy rather than JAX: JAX computes in float32 unless x64 is
switched on globally, and switch points are found here in closed form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from jax.typing import ArrayLike

from .. import _validate
from ._rtol import DEFAULT_RTOL, check_rtol

__all__ = [
    "Pieces1D",
    "Switch1D",
    "breakpoints_1d",
    "count_pieces_1d",
    "pieces_1d",
    "unit_switches_1d",
]


class Switch1D(NamedTuple):
    """One hidden unit switching on or off at an input value ``x`` (see :func:`unit_switches_1d`)."""

    x: float
    """The input value where the unit's pre-activation changes sign."""
    layer: int
    """Index of the hidden layer (0 = first hidden layer)."""
    unit: int
    """Index of the unit inside that layer."""
    turns_on: bool
    """``True`` if the unit is off just left of ``x`` and on just right of it."""


class Pieces1D(NamedTuple):
    """The affine pieces of a scalar function of one variable on ``[lo, hi]`` (see :func:`pieces_1d`).

    On ``[knots[i], knots[i+1]]`` the function is ``slopes[i] * x + intercepts[i]``.
    """

    knots: np.ndarray
    """Shape ``(m + 1,)``, increasing, ``knots[0] = lo`` and ``knots[-1] = hi``."""
    slopes: np.ndarray
    """Shape ``(m,)``, the slope on each piece."""
    intercepts: np.ndarray
    """Shape ``(m,)``, the intercept on each piece."""


def _validate_params_1d(params: Sequence) -> list[tuple[np.ndarray, np.ndarray]]:
    """Check MLP params for a network from R to R; return float64 copies."""
    return _validate.finite_params(params, n_in=1, n_out=1)


def _validate_interval_1d(lo: float, hi: float) -> tuple[float, float]:
    return _validate.bounds(lo, hi, ("lo", "hi"))


def _sample_points_1d(knots: np.ndarray) -> np.ndarray:
    """One point strictly inside each interval ``(knots[i], knots[i+1])``; ends may be inf."""
    a, b = knots[:-1], knots[1:]
    with np.errstate(invalid="ignore"):
        mid = 0.5 * a + 0.5 * b
        left = b - np.maximum(1.0, np.abs(b))
        right = a + np.maximum(1.0, np.abs(a))
    left_open = ~np.isfinite(a)
    right_open = ~np.isfinite(b)
    both = left_open & right_open
    mid = np.where(left_open & ~both, left, mid)
    mid = np.where(right_open & ~both, right, mid)
    return np.where(both, 0.0, mid)


def _trace_1d(
    layers: list[tuple[np.ndarray, np.ndarray]], scale: float, rtol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[Switch1D]]:
    """Follow the affine pieces of every layer over the whole real line.

    On each interval between consecutive knots, the activations ``h`` of the current
    layer are affine, ``h = x * S[i] + C[i]``. A hidden layer's pre-activation
    ``z = h @ W + b`` is then affine too, so its zero ``-c / s`` is solved exactly and
    the interval is split there. ``MS``/``MC`` carry the same sums taken with absolute
    values: the size of the terms that were added, against which "zero" is judged.

    Returns ``(knots, S, C, MS, MC, switches)`` for the output layer, ``knots`` running
    from ``-inf`` to ``inf``.
    """
    knots = np.array([-np.inf, np.inf])
    S = np.ones((1, 1))
    C = np.zeros((1, 1))
    MS, MC = S.copy(), C.copy()
    switches: list[Switch1D] = []

    def xtol(x: np.ndarray) -> np.ndarray:
        return rtol * np.maximum(scale, np.abs(x))

    for layer, (W, b) in enumerate(layers[:-1]):
        ZS, ZC = S @ W, C @ W + b
        MZS, MZC = MS @ np.abs(W), MC @ np.abs(W) + np.abs(b)
        # 1. zeros of each unit's pre-activation strictly inside each interval
        nonflat = np.abs(ZS) > rtol * MZS
        # a zero beyond the largest float (a subnormal slope) overflows to +-inf: outside every interval
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            roots = np.where(nonflat, 0.0 - ZC / np.where(nonflat, ZS, 1.0), np.nan)
        a, bb = knots[:-1, None], knots[1:, None]
        with np.errstate(invalid="ignore"):
            lower = np.where(np.isfinite(a), a + xtol(a), -np.inf)
            upper = np.where(np.isfinite(bb), bb - xtol(bb), np.inf)
            inside = nonflat & (roots > lower) & (roots < upper)
        new = np.sort(roots[inside])
        if new.size:
            # zeros of different units closer than xtol are one point
            keep = np.concatenate([[True], np.diff(new) > xtol(new[1:])])
            new = new[keep]
            knots_new = np.sort(np.concatenate([knots, new]))
        else:
            knots_new = knots
        # 2. which units are on, on each new interval
        p = _sample_points_1d(knots_new)
        parent = np.searchsorted(knots, p, side="right") - 1
        zs, zc, mzs, mzc = ZS[parent], ZC[parent], MZS[parent], MZC[parent]
        z = zs * p[:, None] + zc
        on = z > rtol * (mzs * np.abs(p[:, None]) + mzc)
        # 3. a unit switches at a finite knot where its state differs on the two sides
        change = on[:-1] != on[1:]
        for k, j in zip(*np.nonzero(change), strict=True):
            switches.append(Switch1D(float(knots_new[k + 1]), layer, int(j), bool(on[k + 1, j])))
        knots = knots_new
        S, C = zs * on, zc * on
        MS, MC = mzs * on, mzc * on
    W, b = layers[-1]
    S, C = S @ W, C @ W + b
    MS, MC = MS @ np.abs(W), MC @ np.abs(W) + np.abs(b)
    switches.sort(key=lambda s: (s.x, s.layer, s.unit))
    return knots, S[:, 0], C[:, 0], MS[:, 0], MC[:, 0], switches


def unit_switches_1d(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    lo: float,
    hi: float,
    *,
    rtol: float = DEFAULT_RTOL,
) -> list[Switch1D]:
    """Every (input value, hidden unit) pair where that unit switches, in ``[lo, hi]``.

    A unit *switches* at ``x`` when it is off (pre-activation ``<= 0``) on one side of
    ``x`` and on (``> 0``) on the other. A pre-activation that only touches zero at
    ``x``, or is identically zero, does not switch there. Several units may switch at
    the same ``x`` (a second-layer unit often switches exactly at a first-layer kink).

    Args:
        params: MLP parameters, a list of ``(W, b)`` with ``W`` of shape
            ``(n_in, n_out)``, ReLU after every layer except the last; the network
            has one input (``n_in = 1`` in the first layer) and one output.
        lo: left end of the interval (finite).
        hi: right end (finite, ``hi > lo``).
        rtol: relative tolerance, see :func:`pieces_1d`.

    Returns:
        A list of :class:`Switch1D` ``(x, layer, unit, turns_on)``, sorted by ``x``,
        then layer, then unit (all indices 0-based, ``layer`` counts hidden layers).

    >>> params = [(np.array([[1.0, -1.0]]), np.array([0.0, 1.0])),
    ...           (np.array([[1.0], [1.0]]), np.array([0.0]))]
    >>> unit_switches_1d(params, -2.0, 2.0)
    [Switch1D(x=0.0, layer=0, unit=0, turns_on=True), Switch1D(x=1.0, layer=0, unit=1, turns_on=False)]
    """
    layers = _validate_params_1d(params)
    lo, hi = _validate_interval_1d(lo, hi)
    rtol = check_rtol(rtol)
    scale = max(abs(lo), abs(hi), hi - lo)
    switches = _trace_1d(layers, scale, rtol)[-1]
    atol = rtol * scale
    out = []
    for s in switches:
        if lo - atol <= s.x <= hi + atol:
            out.append(s._replace(x=min(max(s.x, lo), hi)))
    return out


def breakpoints_1d(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    lo: float,
    hi: float,
    *,
    rtol: float = DEFAULT_RTOL,
) -> np.ndarray:
    r"""The input values in ``[lo, hi]`` where some hidden unit switches on or off.

    Computed from the weights, not by sampling: on every interval between known
    switch points each pre-activation is an affine function ``s x + c`` of the input,
    so its zero ``x = -c/s`` is solved in closed form, layer after layer (all hidden
    layers, in float64). The network's output can only bend at these points, but it
    need not bend at each of them (a switch can cancel out downstream): use
    :func:`count_pieces_1d` for the pieces of the output itself.

    A switch is judged on the whole real line, so ``lo`` or ``hi`` is included when a
    unit switches exactly there.

    Args:
        params: MLP parameters (one input, one output, ReLU hidden layers, linear last
            layer), as for :func:`unit_switches_1d`.
        lo: left end of the interval (finite).
        hi: right end (finite, ``hi > lo``).
        rtol: relative tolerance, see :func:`pieces_1d`.

    Returns:
        float64 NumPy array of shape ``(k,)``, sorted, without repeats.

    >>> params = [(np.array([[1.0, -1.0]]), np.array([0.0, 0.0])),   # relu(x), relu(-x)
    ...           (np.array([[1.0], [1.0]]), np.array([0.0]))]       # |x|
    >>> breakpoints_1d(params, -1.0, 1.0)
    array([0.])
    """
    xs = [s.x for s in unit_switches_1d(params, lo, hi, rtol=rtol)]
    return np.unique(np.asarray(xs, dtype=np.float64))


def pieces_1d(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    lo: float,
    hi: float,
    *,
    merge: bool = True,
    rtol: float = DEFAULT_RTOL,
) -> Pieces1D:
    r"""The affine pieces of the network's output on ``[lo, hi]``, from the weights.

    The interval is cut at :func:`breakpoints_1d`; on each sub-interval the output is
    exactly ``slope * x + intercept``. With ``merge=True`` neighbouring sub-intervals
    whose slopes and intercepts agree are joined, so the pieces are the *maximal*
    intervals on which the output is affine.

    Tolerance. The arithmetic is float64, so "zero" and "equal" need one. Every
    quantity the algorithm compares with zero (a pre-activation's slope or value on an
    interval) is a sum of terms, and counts as zero when its absolute value is at most
    ``rtol`` times the sum of the terms' absolute values (the same sum computed with
    ``|W|``, ``|b|`` and absolute activations). Two neighbouring pieces merge when
    their slopes differ by at most ``rtol`` times that scale of the slopes, and their
    intercepts by at most ``rtol`` times the scale of the intercepts plus the slope
    scale times ``|x|`` at the shared knot. Zeros closer than
    ``rtol * max(|lo|, |hi|, hi - lo, |x|)`` to each other or to an existing knot count
    as one point. The default ``rtol = 1e-9`` is far above float64 rounding (about
    ``1e-16`` per operation) and far below the slope changes of any network one would
    plot.

    Args:
        params: MLP parameters as for :func:`unit_switches_1d`.
        lo: left end of the interval (finite).
        hi: right end (finite, ``hi > lo``).
        merge: join neighbouring pieces on which the output is the same affine
            function (``False`` keeps one piece per interval between breakpoints).
        rtol: the relative tolerance described above, in ``[0, 1e-3)``.

    Returns:
        :class:`Pieces1D` ``(knots, slopes, intercepts)`` of float64 arrays with
        shapes ``(m + 1,)``, ``(m,)``, ``(m,)``.

    >>> params = [(np.array([[1.0, -1.0]]), np.array([0.0, 0.0])),
    ...           (np.array([[1.0], [-1.0]]), np.array([0.0]))]   # relu(x) - relu(-x) = x
    >>> pieces_1d(params, -1.0, 1.0, merge=False).slopes
    array([1., 1.])
    >>> pieces_1d(params, -1.0, 1.0)
    Pieces1D(knots=array([-1.,  1.]), slopes=array([1.]), intercepts=array([0.]))
    """
    merge = _validate.boolean(merge, "merge")
    layers = _validate_params_1d(params)
    lo, hi = _validate_interval_1d(lo, hi)
    rtol = check_rtol(rtol)
    scale = max(abs(lo), abs(hi), hi - lo)
    knots, S, C, MS, MC, _ = _trace_1d(layers, scale, rtol)
    atol = rtol * scale
    inner = knots[1:-1]
    keep = (inner > lo + atol) & (inner < hi - atol)
    cuts = inner[keep]
    piece = np.searchsorted(knots, _sample_points_1d(np.concatenate([[lo], cuts, [hi]])), side="right") - 1
    s, c, ms, mc = S[piece], C[piece], MS[piece], MC[piece]
    if merge and cuts.size:
        same_s = np.abs(s[1:] - s[:-1]) <= rtol * np.maximum(ms[1:], ms[:-1])
        cscale = np.maximum(mc[1:], mc[:-1]) + np.maximum(ms[1:], ms[:-1]) * np.abs(cuts)
        same_c = np.abs(c[1:] - c[:-1]) <= rtol * cscale
        bend = ~(same_s & same_c)
        start = np.concatenate([[True], bend])  # piece i starts a new maximal piece
        cuts = cuts[bend]
        s, c = s[start], c[start]
    return Pieces1D(np.concatenate([[lo], cuts, [hi]]), s.copy(), c.copy())


def count_pieces_1d(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    lo: float,
    hi: float,
    *,
    rtol: float = DEFAULT_RTOL,
) -> int:
    r"""The exact number of maximal intervals of ``[lo, hi]`` on which the output is affine.

    Equal to ``len(pieces_1d(params, lo, hi).slopes)``: the output is cut at every
    switch point of a hidden unit (:func:`breakpoints_1d`), then neighbouring pieces
    with the same slope and intercept (up to the tolerance ``rtol`` documented in
    :func:`pieces_1d`) are merged. It is at most ``len(breakpoints_1d(...)) + 1``.

    Args:
        params: MLP parameters (one input, one output, ReLU hidden layers, linear
            last layer).
        lo: left end of the interval (finite).
        hi: right end (finite, ``hi > lo``).
        rtol: relative tolerance, see :func:`pieces_1d`.

    Returns:
        The number of pieces, an ``int >= 1``.

    >>> params = [(np.array([[1.0, -1.0]]), np.array([0.0, 0.0])),
    ...           (np.array([[1.0], [1.0]]), np.array([0.0]))]       # |x|
    >>> count_pieces_1d(params, -1.0, 1.0), count_pieces_1d(params, 0.0, 1.0)
    (2, 1)
    """
    return int(pieces_1d(params, lo, hi, merge=True, rtol=rtol).slopes.shape[0])
