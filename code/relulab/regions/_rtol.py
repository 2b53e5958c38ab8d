"""The relative tolerance of :mod:`relulab.regions`, one name and one default for 1D and 2D (private module)."""

from __future__ import annotations

from typing import Any

from .. import _validate

DEFAULT_RTOL: float = 1e-9
"""Default relative tolerance ``rtol`` of every function of :mod:`relulab.regions`: far above float64
rounding (about 1e-16 relative), far below any real difference between pieces or regions. Its exact
meaning in one and two dimensions is given in :func:`relulab.regions.pieces_1d` and
:func:`relulab.regions.region_polygons`."""


def check_rtol(rtol: Any) -> float:
    """``rtol`` as a float in ``[0, 1e-3)``."""
    return _validate.number(rtol, "rtol", low=0.0, high=1e-3, high_open=True)
