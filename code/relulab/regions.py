"""Exact linear pieces and activation regions of ReLU networks.

A ReLU MLP (parameters as in :mod:`relulab.nets`: a list of ``(W, b)`` with
``x @ W + b`` and a linear last layer) computes a continuous piecewise-linear
function. This module counts its pieces exactly, from the weights.
"""

from __future__ import annotations

# ---- 1D: breakpoints_1d, count_pieces_1d (issue 7) --------------------------------
# The 1D part works in float64 NumPy rather than JAX: JAX computes in float32 unless
# x64 is switched on globally, and switch points are found here in closed form.
# Names private to this section end in ``_1d`` (the 2D section lives in the same file).
from collections.abc import Sequence  # noqa: E402
from typing import NamedTuple  # noqa: E402

import numpy as np  # noqa: E402
from jax.typing import ArrayLike  # noqa: E402

from . import _validate  # noqa: E402

DEFAULT_RTOL_1D: float = 1e-9
"""Relative tolerance of the 1D functions (see :func:`pieces_1d`)."""


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
    lo, hi = _validate.number(lo, "lo"), _validate.number(hi, "hi")
    if not lo < hi:
        _validate.fail(ValueError, "lo", "be below hi (lo < hi)", f"lo={lo} and hi={hi}")
    return lo, hi


def _validate_rtol_1d(rtol: float) -> float:
    return _validate.number(rtol, "rtol", low=0.0, high=1e-3, high_open=True)


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
        with np.errstate(divide="ignore", invalid="ignore"):
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
        for k, j in zip(*np.nonzero(change)):
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
    rtol: float = DEFAULT_RTOL_1D,
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
    rtol = _validate_rtol_1d(rtol)
    scale = max(abs(lo), abs(hi), hi - lo)
    switches = _trace_1d(layers, scale, rtol)[-1]
    tol = rtol * scale
    out = []
    for s in switches:
        if lo - tol <= s.x <= hi + tol:
            out.append(s._replace(x=min(max(s.x, lo), hi)))
    return out


def breakpoints_1d(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    lo: float,
    hi: float,
    *,
    rtol: float = DEFAULT_RTOL_1D,
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
    rtol: float = DEFAULT_RTOL_1D,
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
    rtol = _validate_rtol_1d(rtol)
    scale = max(abs(lo), abs(hi), hi - lo)
    knots, S, C, MS, MC, _ = _trace_1d(layers, scale, rtol)
    tol = rtol * scale
    inner = knots[1:-1]
    keep = (inner > lo + tol) & (inner < hi - tol)
    cuts = inner[keep]
    piece = np.searchsorted(knots, _sample_points_1d(np.concatenate([[lo], cuts, [hi]])),
                            side="right") - 1
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
    rtol: float = DEFAULT_RTOL_1D,
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


# ---- 2D: count_regions_2d, region polygons, sawtooth and Yarotsky constructions (issue 8)
# The 2D counter also works in float64 NumPy; the polygon machinery (and the exact meaning
# of its tolerance) lives in the private module ``relulab._polygons``. Names private to
# this section end in ``_2d``.
import math  # noqa: E402
from collections.abc import Sequence  # noqa: E402, F811

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402, F811
from jax.typing import ArrayLike  # noqa: E402, F811

from ._polygons import DEFAULT_TOL as DEFAULT_TOL_2D  # noqa: E402
from ._polygons import split_network as _split_network_2d  # noqa: E402


def _validate_params_2d(params: Sequence) -> list[tuple[np.ndarray, np.ndarray]]:
    """Check MLP params for a network with two inputs; return float64 copies."""
    return _validate.finite_params(params, n_in=2)


def _validate_box_2d(box: Sequence[float]) -> tuple[float, float, float, float]:
    expected = "be four real numbers (xmin, xmax, ymin, ymax)"
    if isinstance(box, (str, bytes)) or not isinstance(box, (Sequence, np.ndarray)):
        _validate.fail(TypeError, "box", expected, repr(box))
    if len(box) != 4:
        _validate.fail(ValueError, "box", expected, repr(box))
    xmin, xmax, ymin, ymax = (_validate.number(v, f"box[{i}]") for i, v in enumerate(box))
    if not (xmin < xmax and ymin < ymax):
        _validate.fail(ValueError, "box", "satisfy xmin < xmax and ymin < ymax", repr(box))
    return xmin, xmax, ymin, ymax


def _validate_tol_2d(tol: float) -> float:
    return _validate.number(tol, "tol", low=0.0, high=1e-3, high_open=True)


def region_polygons(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    box: Sequence[float],
    *,
    tol: float = DEFAULT_TOL_2D,
) -> list[tuple[np.ndarray, np.ndarray]]:
    r"""The activation regions of a two-input ReLU MLP inside a box, as polygons.

    An *activation region* is a connected set of inputs on which every hidden unit
    keeps one state (active: pre-activation :math:`> 0`; inactive: :math:`\le 0`).
    The regions are computed from the weights by exact convex-polygon splitting,
    layer by layer: on a region every unit of the next layer is an affine function
    of the input, so its zero set is a line, and splitting the region by those lines
    gives the next layer's regions. Every region is a convex polygon, and no two
    regions share an activation pattern (the inputs with one pattern form an
    intersection of half-planes, which is convex, hence connected). The output of
    the network is affine on each region; neighbouring regions may carry the same
    affine function, so the number of *linear pieces* can be smaller.

    Arithmetic is float64. A vertex ``x`` lies on a unit's line when the unit's value
    there is within ``tol * (|x| @ |a| + |c|) + 100 * eps * R * sum(|a|)`` of zero,
    where ``|a|``, ``|c|`` are the unit's affine coefficients on the region computed
    with absolute values of every weight and bias (the size of the terms whose sum is
    the value, hence of its rounding error), ``eps`` is float64's machine epsilon and
    ``R`` the box's largest absolute coordinate. So lines that only touch a vertex, run
    along an edge or meet at one point up to rounding do not create zero-area slivers;
    regions thinner than this tolerance merge with a neighbour.

    Args:
        params: MLP parameters, a list of ``(W, b)`` with ``W`` of shape
            ``(n_in, n_out)``, ReLU after every layer except the last; the first
            layer has ``n_in = 2``. The (linear) last layer does not create regions.
        box: ``(xmin, xmax, ymin, ymax)``, finite, ``xmin < xmax``, ``ymin < ymax``.
        tol: the relative tolerance above, in ``[0, 1e-3)``.

    Returns:
        A list of ``(vertices, pattern)``, one per region: ``vertices`` a float64
        array of shape ``(k, 2)``, the corners of the convex polygon in
        counter-clockwise order; ``pattern`` a boolean array of shape ``(N,)``
        (``N`` = number of hidden units), the state of every hidden unit on the
        region, first hidden layer first. The areas add up to the box's area.

    >>> params = [(np.eye(2), np.zeros(2)), (np.ones((2, 1)), np.zeros(1))]
    >>> regions = region_polygons(params, (-1, 1, -1, 1))   # split by x = 0 and y = 0
    >>> sorted(p.tolist() for _, p in regions)
    [[False, False], [False, True], [True, False], [True, True]]
    >>> [v.shape for v, p in regions if p.all()]
    [(4, 2)]
    """
    layers = _validate_params_2d(params)
    box = _validate_box_2d(box)
    tol = _validate_tol_2d(tol)
    v, nv, patterns = _split_network_2d(layers[:-1], box, tol)
    return [(v[i, : nv[i]].copy(), patterns[i].copy()) for i in range(v.shape[0])]


def count_regions_2d(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    box: Sequence[float],
    *,
    tol: float = DEFAULT_TOL_2D,
) -> int:
    r"""The exact number of activation regions of a two-input ReLU MLP inside a box.

    Computed from the weights by convex-polygon splitting (not by sampling), as
    described in :func:`region_polygons`; it equals ``len(region_polygons(params, box))``.
    For one hidden layer of ``n`` units whose lines are in general position and all
    cross inside the box, it is :func:`arrangement_bound` ``(n, 2)``
    :math:`= 1 + n + \binom{n}{2}`.

    Args:
        params: MLP parameters (first layer ``n_in = 2``, ReLU hidden layers, linear
            last layer), as for :func:`region_polygons`.
        box: ``(xmin, xmax, ymin, ymax)``.
        tol: relative tolerance, see :func:`region_polygons`.

    Returns:
        The number of regions, an ``int >= 1``.

    >>> rng = np.random.default_rng(0)
    >>> params = [(rng.normal(size=(2, 5)), rng.normal(size=5)), (np.ones((5, 1)), np.zeros(1))]
    >>> count_regions_2d(params, (-100, 100, -100, 100)), arrangement_bound(5)
    (16, 16)
    """
    layers = _validate_params_2d(params)
    box = _validate_box_2d(box)
    tol = _validate_tol_2d(tol)
    v, _, _ = _split_network_2d(layers[:-1], box, tol)
    return int(v.shape[0])


def arrangement_bound(n_units: int, n_inputs: int = 2) -> int:
    r"""Most regions that ``n_units`` hyperplanes can cut :math:`\mathbb{R}^{n_0}` into.

    .. math::

        \sum_{j=0}^{n_0} \binom{n_1}{j}

    (Zaslavsky 1975), reached exactly when the hyperplanes are in general position.
    It bounds the activation regions of a network with one hidden layer of
    :math:`n_1` ReLUs on :math:`n_0` inputs.

    Args:
        n_units: number of hyperplanes (hidden units) :math:`n_1 \ge 0`.
        n_inputs: input dimension :math:`n_0 \ge 1`.

    Returns:
        The bound, an ``int``.

    >>> arrangement_bound(3), arrangement_bound(64), arrangement_bound(3, n_inputs=1)
    (7, 2081, 4)
    """
    n_units = _validate.integer(n_units, "n_units", minimum=0)
    n_inputs = _validate.integer(n_inputs, "n_inputs", minimum=1)
    return sum(math.comb(n_units, j) for j in range(n_inputs + 1))


def _check_level_2d(value: int, name: str) -> int:
    return _validate.integer(value, name, minimum=0)


def _as_params_2d(layers: list[tuple[list, list]], dtype: jnp.dtype) -> list:
    return [(jnp.asarray(W, dtype=dtype), jnp.asarray(b, dtype=dtype)) for W, b in layers]


def sawtooth_params(k: int, *, dtype: jnp.dtype = jnp.float32) -> list[tuple[jax.Array, jax.Array]]:
    r"""MLP parameters computing Telgarsky's tent map composed ``k`` times on :math:`[0, 1]`.

    The tent map :math:`t(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x - 1/2)` is
    :math:`2x` on :math:`[0, 1/2]` and :math:`2 - 2x` on :math:`[1/2, 1]`; it maps
    :math:`[0, 1]` onto itself, so its ``k``-fold composition :math:`t^{k}` is a
    sawtooth with :math:`2^{k-1}` teeth, i.e. :math:`2^k` linear pieces of slope
    :math:`\pm 2^k` (Telgarsky 2016). Each hidden layer holds the two units
    :math:`\mathrm{relu}(u)` and :math:`\mathrm{relu}(u - 1/2)` of the previous
    composition :math:`u = t^{s-1}(x)` (since :math:`u \ge 0` on :math:`[0, 1]`, the
    outer ReLU of Telgarsky's formula is not needed there), so the network has
    ``k`` hidden layers of width 2 and ``6k - 1`` parameters; the weights are exact
    in any float format. Outside :math:`[0, 1]` it is still piecewise linear but no
    longer a sawtooth.

    Args:
        k: number of compositions, ``k >= 0`` (``k = 0`` gives the identity, one
            linear layer).
        dtype: floating dtype of the arrays.

    Returns:
        A list of ``k + 1`` pairs ``(W, b)``: widths ``[1, 2, ..., 2, 1]``.

    >>> from relulab.nets import mlp_apply
    >>> x = jnp.array([[0.0], [0.125], [0.25], [0.375], [0.5]])
    >>> mlp_apply(sawtooth_params(2), x).ravel().tolist()   # t(t(x)): up, down, up, down
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    k = _check_level_2d(k, "k")
    if k == 0:
        return _as_params_2d([([[1.0]], [0.0])], dtype)
    layers = [([[1.0, 1.0]], [0.0, -0.5])]
    layers += [([[2.0, 2.0], [-4.0, -4.0]], [0.0, -0.5])] * (k - 1)
    layers += [([[2.0], [-4.0]], [0.0])]
    return _as_params_2d(layers, dtype)


def yarotsky_square_params(
    m: int, *, dtype: jnp.dtype = jnp.float32
) -> list[tuple[jax.Array, jax.Array]]:
    r"""MLP parameters of Yarotsky's approximation of :math:`x^2` on :math:`[0, 1]` with ``m`` levels.

    With the hat function :math:`g(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x-1/2)
    + 2\,\mathrm{relu}(x-1)` and :math:`g_s` its ``s``-fold composition (a sawtooth),
    Yarotsky (2017) writes

    .. math::

        f_m(x) = x - \sum_{s=1}^{m} \frac{g_s(x)}{4^s},

    the piecewise-linear interpolant of :math:`x^2` at the :math:`2^m + 1` points
    :math:`i / 2^m`, with :math:`\max_{[0,1]} |f_m(x) - x^2| = 2^{-2m-2}`.

    The network carries the input through the layers (``x = relu(x)`` on
    :math:`[0, 1]`): hidden layer ``s`` (``s = 1..m``) holds
    :math:`\mathrm{relu}(g_{s-1})`, :math:`\mathrm{relu}(g_{s-1} - 1/2)` (from which
    :math:`g_s` is a linear combination) and :math:`\mathrm{relu}(f_{s-1}) = f_{s-1}`
    (it is :math:`\ge x^2 \ge 0`), with :math:`g_0 = f_0 = x`; the linear output
    layer returns :math:`f_m`. So: ``m`` hidden layers of width 3, weights bounded by
    4 in absolute value, whatever ``m``. (The term :math:`2\,\mathrm{relu}(x-1)` of
    :math:`g` vanishes on :math:`[0, 1]` and is left out.)

    Args:
        m: number of levels, ``m >= 0`` (``m = 0`` gives :math:`f_0(x) = x`).
        dtype: floating dtype of the arrays.

    Returns:
        A list of ``m + 1`` pairs ``(W, b)``: widths ``[1, 3, ..., 3, 1]``.

    >>> from relulab.nets import mlp_apply
    >>> x = jnp.linspace(0.0, 1.0, 1025)[:, None]
    >>> err = jnp.max(jnp.abs(mlp_apply(yarotsky_square_params(3), x) - x**2))
    >>> float(err), 2.0 ** (-2 * 3 - 2)
    (0.00390625, 0.00390625)
    """
    m = _check_level_2d(m, "m")
    if m == 0:
        return _as_params_2d([([[1.0]], [0.0])], dtype)
    layers = [([[1.0, 1.0, 1.0]], [0.0, -0.5, 0.0])]
    for s in range(2, m + 1):
        q = 4.0 ** -(s - 1)
        layers.append(([[2.0, 2.0, -2.0 * q], [-4.0, -4.0, 4.0 * q], [0.0, 0.0, 1.0]],
                       [0.0, -0.5, 0.0]))
    q = 4.0**-m
    layers.append(([[-2.0 * q], [4.0 * q], [1.0]], [0.0]))
    return _as_params_2d(layers, dtype)
