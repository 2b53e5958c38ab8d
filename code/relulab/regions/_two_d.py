"""Exact activation regions of a ReLU network of two inputs: :func:`count_regions_2d` and friends.

Private module: the public names are importable from :mod:`relulab.regions`. The counter
works in float64 NumPy; the polygon machinery (and the exact meaning of its tolerance) lives
in :mod:`relulab.regions._polygons`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from jax.typing import ArrayLike

from .. import _validate
from ._polygons import split_network as _split_network_2d
from ._rtol import DEFAULT_RTOL, check_rtol

__all__ = ["arrangement_bound", "count_regions_2d", "region_polygons"]


def _validate_params_2d(params: Sequence) -> list[tuple[np.ndarray, np.ndarray]]:
    """Check MLP params for a network with two inputs; return float64 copies."""
    return _validate.finite_params(params, n_in=2)


def _validate_box_2d(box: Sequence[float]) -> tuple[float, float, float, float]:
    box = _validate.sequence(box, "box", length=4, arrays=True, expected="four real numbers (xmin, xmax, ymin, ymax)")
    xmin, xmax, ymin, ymax = (_validate.number(v, f"box[{i}]") for i, v in enumerate(box))
    _validate.check(
        xmin < xmax and ymin < ymax, "box", "satisfy xmin < xmax and ymin < ymax", repr((xmin, xmax, ymin, ymax))
    )
    return xmin, xmax, ymin, ymax


def region_polygons(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    box: Sequence[float],
    *,
    rtol: float = DEFAULT_RTOL,
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
    there is within ``rtol * (|x| @ |a| + |c|) + 100 * eps * R * sum(|a|)`` of zero,
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
        rtol: the relative tolerance above, in ``[0, 1e-3)``.

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
    rtol = check_rtol(rtol)
    v, nv, patterns = _split_network_2d(layers[:-1], box, rtol)
    return [(v[i, : nv[i]].copy(), patterns[i].copy()) for i in range(v.shape[0])]


def count_regions_2d(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    box: Sequence[float],
    *,
    rtol: float = DEFAULT_RTOL,
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
        rtol: relative tolerance, see :func:`region_polygons`.

    Returns:
        The number of regions, an ``int >= 1``.

    >>> rng = np.random.default_rng(0)
    >>> params = [(rng.normal(size=(2, 5)), rng.normal(size=5)), (np.ones((5, 1)), np.zeros(1))]
    >>> count_regions_2d(params, (-100, 100, -100, 100)), arrangement_bound(5)
    (16, 16)
    """
    layers = _validate_params_2d(params)
    box = _validate_box_2d(box)
    rtol = check_rtol(rtol)
    v, _, _ = _split_network_2d(layers[:-1], box, rtol)
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
