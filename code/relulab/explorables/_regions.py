"""The "activation regions" explorable of a two-input network (private module; import it from
:mod:`relulab.explorables`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import traitlets
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from .. import _validate, plots, regions
from ._base import Explorable, first_layer_unit, params_json

__all__ = ["ActivationRegions"]


def _box(value: Any) -> list[float]:
    expected = "four real numbers [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax"
    _validate.sequence(value, "box", length=4, arrays=True, expected=expected)
    box = [_validate.number(v, f"box[{i}]") for i, v in enumerate(value)]
    _validate.check(box[0] < box[1] and box[2] < box[3], "box", "be " + expected, repr(value))
    return box


class ActivationRegions(Explorable):
    """The exact activation regions of a two-input ReLU network, drawn as polygons, with a point to move.

    The view computes the regions with ``core.regions2d`` (the polygons and count of
    :func:`relulab.regions.region_polygons` / :func:`~relulab.regions.count_regions_2d`), colours each by
    the network's output, outlines the region of the point and states its activation pattern and local
    linear map; three sliders change one first-layer unit's weights and the regions follow.

    Args:
        params: a network of two inputs and one output, ``[(W, b), ...]``, ReLU hidden layers.
        box: ``(xmin, xmax, ymin, ymax)``.
        point: the starting point ``(x, y)``, inside the box (default: the centre of the region that contains
            the box's centre, so that the point starts inside a region rather than on a line).
        unit: the first-layer unit whose weights the sliders show (0-based).

    >>> import numpy as np
    >>> w = ActivationRegions([(np.eye(2), np.zeros(2)), (np.ones((2, 1)), np.zeros(1))], (-1, 1, -1, 1))
    >>> w.count(), w.point
    (4, [0.5, 0.5])
    >>> ActivationRegions([(np.eye(2), np.zeros(2)), (np.ones((2, 1)), np.zeros(1))], (1, -1, -1, 1))
    Traceback (most recent call last):
    ...
    ValueError: box must be four real numbers [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax, got (1, ...)
    """

    _view = "regions.mjs"
    params = traitlets.Any().tag(sync=True)
    box = traitlets.Any([-2.0, 2.0, -2.0, 2.0]).tag(sync=True)
    point = traitlets.Any([0.0, 0.0]).tag(sync=True)
    unit = traitlets.Any(0).tag(sync=True)

    def __init__(
        self,
        params: Sequence,
        box: Sequence[float] = (-2.0, 2.0, -2.0, 2.0),
        *,
        point: Sequence[float] | None = None,
        unit: int = 0,
        **kwargs: Any,
    ) -> None:
        b = _box(box)
        super().__init__(params=params, box=b, **kwargs)
        if point is None:
            self.point = self._centre_region_centre()
        else:
            pair = _validate.pair(point, "point", _validate.number, arrays=True, expected="a pair (x, y) of numbers")
            self.point = list(pair)
        self.unit = unit

    @traitlets.validate("params")
    def _check_params(self, proposal: Any) -> list:
        value = params_json(proposal["value"], "params", n_in=2, n_out=1)
        _validate.check(len(value) >= 2, "params", "have at least one hidden layer", f"{len(value)} layer")
        return value

    @traitlets.validate("box")
    def _check_box(self, proposal: Any) -> list[float]:
        return _box(proposal["value"])

    @traitlets.validate("point")
    def _check_point(self, proposal: Any) -> list[float]:
        value = proposal["value"]
        x, y = _validate.pair(value, "point", _validate.number, arrays=True, expected="a pair (x, y) of numbers")
        b = self.box
        _validate.check(b[0] <= x <= b[1] and b[2] <= y <= b[3], "point", f"lie in the box {b}", repr([x, y]))
        return [x, y]

    @traitlets.validate("unit")
    def _check_unit(self, proposal: Any) -> int:
        return first_layer_unit(proposal["value"], self.params)

    def _centre_region_centre(self) -> list[float]:
        """The vertex mean of the region deepest around the box's centre (largest smallest margin to its edges)."""
        b = self.box
        c = np.array([(b[0] + b[1]) / 2, (b[2] + b[3]) / 2])
        best, depth = c, -np.inf
        for v, _ in regions.region_polygons(self.network(), b):
            e = np.roll(v, -1, axis=0) - v
            margins = (e[:, 0] * (c[1] - v[:, 1]) - e[:, 1] * (c[0] - v[:, 0])) / np.hypot(e[:, 0], e[:, 1])
            if margins.min() > depth:
                best, depth = v.mean(axis=0), margins.min()
        return [float(best[0]), float(best[1])]

    def network(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The current weights as ``[(W, b), ...]`` float64 NumPy arrays."""
        return [(np.array(W, np.float64), np.array(b, np.float64)) for W, b in self.params]

    def count(self) -> int:
        """The number of activation regions of the current network in the box (relulab's count)."""
        return regions.count_regions_2d(self.network(), self.box)

    def alt_text(self) -> str:
        return (
            f"A square, the box from {self.box[0]:g} to {self.box[1]:g} in x1 and {self.box[2]:g} to {self.box[3]:g} "
            f"in x2, cut into {self.count()} convex polygons, the network's activation regions, each shaded by the "
            "network's output, with a point marked. With JavaScript the point can be moved and one unit's weights "
            "changed."
        )

    def fallback_figure(self) -> Figure:
        params = self.network()
        polys = regions.region_polygons(params, self.box)
        h = np.array([v.mean(axis=0) for v, _ in polys])
        for W, b in params[:-1]:
            h = np.maximum(h @ W + b, 0.0)
        values = (h @ params[-1][0] + params[-1][1])[:, 0]
        fig, ax = plots.figure(figsize=(4.6, 4.4))
        top = float(np.abs(values).max()) or 1.0
        coll = PolyCollection(
            [v for v, _ in polys], array=values, cmap=plots.sign_cmap(), edgecolors="black", linewidths=0.4
        )
        coll.set_clim(-top, top)  # symmetric: white is an output of 0, as in the view
        ax.add_collection(coll)
        ax.plot(*self.point, "o", color=plots.PALETTE["vermillion"], mec="white", ms=8)
        b = self.box
        ax.set(xlim=b[:2], ylim=b[2:], aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
        ax.set_title(f"{len(polys)} activation regions", fontsize=10)
        return fig
