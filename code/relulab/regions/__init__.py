"""Exact linear pieces and activation regions of ReLU networks.

A ReLU MLP (parameters as in :mod:`relulab.nets`: a list of ``(W, b)`` with
``x @ W + b`` and a linear last layer) computes a continuous piecewise-linear
function. This module counts its pieces exactly, from the weights:

* networks of one input (:func:`count_pieces_1d`, :func:`pieces_1d`,
  :func:`breakpoints_1d`, :func:`unit_switches_1d`), in closed form;
* networks of two inputs (:func:`count_regions_2d`, :func:`region_polygons`), by exact
  convex-polygon splitting, with :func:`arrangement_bound` for the one-layer maximum.

The hand-built networks :func:`sawtooth_params` and :func:`yarotsky_square_params` live in
:mod:`relulab.constructions` and are importable from here too. Both parts check their
parameters with the same checker (:mod:`relulab._validate`), compute in float64 NumPy and take
the same relative tolerance ``rtol`` (default :data:`DEFAULT_RTOL`), whose exact meaning in each
dimension their docstrings give.
"""

from ..constructions import sawtooth_params, yarotsky_square_params
from ._one_d import (
    Pieces1D,
    Switch1D,
    breakpoints_1d,
    count_pieces_1d,
    pieces_1d,
    unit_switches_1d,
)
from ._rtol import DEFAULT_RTOL
from ._two_d import arrangement_bound, count_regions_2d, region_polygons

__all__ = [
    "DEFAULT_RTOL",
    "Pieces1D",
    "Switch1D",
    "arrangement_bound",
    "breakpoints_1d",
    "count_pieces_1d",
    "count_regions_2d",
    "pieces_1d",
    "region_polygons",
    "sawtooth_params",
    "unit_switches_1d",
    "yarotsky_square_params",
]
