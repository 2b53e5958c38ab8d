"""The "Move one neuron" explorable of the two-layer chapter (private module; import it from
:mod:`relulab.explorables`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import traitlets
from matplotlib.figure import Figure

from .. import _validate, plots, regions
from ._base import Explorable, params_json

__all__ = ["MoveOneNeuron"]


def _forward(params: list, x: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Activations of every hidden layer and the output, float64, for inputs of shape (n,)."""
    h = x[:, None]
    post = []
    for W, b in params[:-1]:
        h = np.maximum(h @ np.asarray(W) + np.asarray(b), 0.0)
        post.append(h)
    W, b = params[-1]
    return post, (h @ np.asarray(W) + np.asarray(b))[:, 0]


class MoveOneNeuron(Explorable):
    """Drag the kinks and slopes of a 1 → n₁ → n₂ → 1 ReLU network's first layer; see the exact pieces.

    Each first-layer unit's kink is a handle on the input axis, and the selected unit has a slope handle;
    the view recomputes the first layer, the second layer, the output and its exact number of linear
    pieces (``core.breakpoints1d``, the count of :func:`relulab.regions.count_pieces_1d`) on every move.

    Args:
        params: a network of one input and one output, ``[(W, b), ...]`` with ``W`` of shape
            ``(n_in, n_out)`` and ReLU hidden layers (as :mod:`relulab.nets`); any number of hidden
            layers, the second panel shows the second hidden layer.
        lo, hi: the input interval, ``lo < hi``.
        data: optional ``(x, y)`` points drawn behind the output, two sequences of equal length.
        unit: the first-layer unit selected at the start (0-based).

    Setting ``params`` from Python (``w.params = trained``) re-renders the view and makes those weights
    the ones Reset returns to; a drag sets ``params`` and ``unit`` in Python.

    >>> import numpy as np
    >>> w = MoveOneNeuron([(np.array([[1.0, -1.0]]), np.zeros(2)), (np.ones((2, 1)), np.zeros(1))], -1, 1)
    >>> w.params
    [[[[1.0, -1.0]], [0.0, 0.0]], [[[1.0], [1.0]], [0.0]]]
    >>> w.pieces()
    2
    >>> MoveOneNeuron([(np.ones((2, 1)), np.zeros(1))], -1, 1)
    Traceback (most recent call last):
    ...
    ValueError: params[0] W must have n_in = 1 (a network of 1 input), got shape (2, 1)
    """

    _view = "two_layer.mjs"
    params = traitlets.Any().tag(sync=True)
    lo = traitlets.Any(-3.0).tag(sync=True)
    hi = traitlets.Any(3.0).tag(sync=True)
    data_x = traitlets.List(traitlets.Float()).tag(sync=True)
    data_y = traitlets.List(traitlets.Float()).tag(sync=True)
    unit = traitlets.Any(0).tag(sync=True)

    def __init__(
        self,
        params: Sequence,
        lo: float = -3.0,
        hi: float = 3.0,
        *,
        data: tuple[Sequence[float], Sequence[float]] | None = None,
        unit: int = 0,
        **kwargs: Any,
    ) -> None:
        lo, hi = _validate.number(lo, "lo"), _validate.number(hi, "hi")
        if not lo < hi:
            _validate.fail(ValueError, "lo", "be below hi (lo < hi)", f"lo={lo} and hi={hi}")
        dx: list[float] = []
        dy: list[float] = []
        if data is not None:
            if not isinstance(data, (tuple, list)) or len(data) != 2:
                _validate.fail(TypeError, "data", "be a pair (x, y) of sequences", type(data).__name__)
            dx = [float(v) for v in np.asarray(data[0], np.float64).ravel()]
            dy = [float(v) for v in np.asarray(data[1], np.float64).ravel()]
            if len(dx) != len(dy):
                _validate.fail(ValueError, "data", "hold x and y of equal length", f"{len(dx)} and {len(dy)}")
        super().__init__(params=params, lo=lo, hi=hi, data_x=dx, data_y=dy, **kwargs)
        self.unit = _validate.integer(unit, "unit", minimum=0)

    @traitlets.validate("params")
    def _check_params(self, proposal: Any) -> list:
        value = params_json(proposal["value"], "params", n_in=1, n_out=1)
        if len(value) < 2:
            _validate.fail(ValueError, "params", "have at least one hidden layer", f"{len(value)} layer")
        return value

    @traitlets.validate("lo", "hi")
    def _check_interval(self, proposal: Any) -> float:
        return _validate.number(proposal["value"], proposal["trait"].name)

    @traitlets.validate("unit")
    def _check_unit(self, proposal: Any) -> int:
        unit = _validate.integer(proposal["value"], "unit", minimum=0)
        n1 = len(self.params[0][1]) if self.params else 1
        if unit >= n1:
            _validate.fail(ValueError, "unit", f"be a first-layer unit index below {n1}", str(unit))
        return unit

    def network(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The current weights as ``[(W, b), ...]`` float64 NumPy arrays."""
        return [(np.array(W, np.float64), np.array(b, np.float64)) for W, b in self.params]

    def pieces(self) -> int:
        """The exact number of linear pieces of the current network on ``[lo, hi]`` (relulab's count)."""
        return regions.count_pieces_1d(self.network(), self.lo, self.hi)

    def alt_text(self) -> str:
        n1 = len(self.params[0][1])
        return (
            f"Three stacked panels over x from {self.lo:g} to {self.hi:g}. Top: the {n1} first-layer units after "
            "ReLU, each a line clipped at zero, with a dot at each unit's kink and the selected unit highlighted. "
            "Middle: the second-layer units after ReLU. Bottom: the network's output with dotted lines at its "
            f"kinks: {self.pieces()} linear pieces. With JavaScript, the kinks and the slope are handles to drag."
        )

    def fallback_figure(self) -> Figure:
        params = self.network()
        grid = np.linspace(self.lo, self.hi, 601)
        post, out = _forward(params, grid)
        fig, axes = plots.figure(3, 1, figsize=(6.4, 5.6), sharex=True)
        W1, b1 = params[0]
        for j in range(W1.shape[1]):
            style = {"color": plots.PALETTE["blue"], "lw": 2.5} if j == self.unit else {"color": "0.7", "lw": 1}
            axes[0].plot(grid, post[0][:, j], **style)
        with np.errstate(divide="ignore", invalid="ignore"):
            kinks = np.where(W1[0] != 0, -b1 / W1[0], np.nan)
        inside = (kinks >= self.lo) & (kinks <= self.hi)
        axes[0].plot(kinks[inside], np.zeros(int(inside.sum())), "o", color="0.4", ms=5)
        axes[0].set_title("first layer after ReLU; dots: kinks", fontsize=9, loc="left")
        if len(post) > 1:
            for k in range(post[1].shape[1]):
                axes[1].plot(grid, post[1][:, k], lw=1.1, **plots.series_style(k))
        axes[1].set_title("second layer after ReLU", fontsize=9, loc="left")
        if self.data_x:
            axes[2].plot(self.data_x, self.data_y, ".", color="0.6", ms=3)
        axes[2].plot(grid, out, color=plots.PALETTE["vermillion"], lw=2)
        for k in regions.pieces_1d(params, self.lo, self.hi).knots[1:-1]:
            axes[2].axvline(k, color="0.4", ls=":", lw=0.8)
        axes[2].set_title(f"output: {self.pieces()} linear pieces", fontsize=9, loc="left")
        axes[2].set_xlabel("x")
        for ax in axes:
            ax.axhline(0, color="0.75", lw=0.8, zorder=0)
        return fig
