"""The activation-family explorable of the what-is-relu chapter (private module; import it from
:mod:`relulab.explorables`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets
from matplotlib.figure import Figure

from .. import _validate, activations, plots
from ._base import Explorable

__all__ = ["FAMILY", "ActivationFamily"]

FAMILY: dict[str, str] = {
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU (0.1)",
    "prelu": "PReLU (0.25)",
    "elu": "ELU",
    "gelu": "GELU",
    "silu": "SiLU",
    "softplus": "softplus",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
}
"""The activations the view offers (``core.ACTIVATIONS``), name -> label; leaky ReLU with slope 0.1, PReLU with
its usual initial slope 0.25 (He et al. 2015)."""


def _function(name: str) -> Any:
    if name == "leaky_relu":
        return lambda x: activations.leaky_relu(x, negative_slope=0.1)
    if name == "prelu":
        return lambda x: activations.prelu(x, 0.25)
    return activations.resolve(name)


class ActivationFamily(Explorable):
    """Pick an activation, move x, read f(x) and f'(x), and see where the derivative jumps.

    Args:
        activation: one of :data:`FAMILY` (``"relu"``, ``"leaky_relu"`` with slope 0.1, ``"prelu"`` with
            slope 0.25, ``"elu"``, ``"gelu"``, ``"silu"``, ``"softplus"``, ``"tanh"``, ``"sigmoid"``).
        x: the starting input, in ``[lo, hi]``.
        lo, hi: the range of x shown.

    >>> ActivationFamily("gelu", x=1.0).state()["activation"]
    'gelu'
    >>> ActivationFamily("swish")
    Traceback (most recent call last):
    ...
    ValueError: activation must be one of relu, leaky_relu, prelu, elu, gelu, silu, softplus, tanh, sigmoid, got 'swish'
    """

    _view = "activations.mjs"
    activation = traitlets.Any("relu").tag(sync=True)
    x = traitlets.Any(0.5).tag(sync=True)
    lo = traitlets.Float(-4.0).tag(sync=True)
    hi = traitlets.Float(4.0).tag(sync=True)

    def __init__(self, activation: str = "relu", *, x: float = 0.5, lo: float = -4.0, hi: float = 4.0, **kwargs: Any):
        lo, hi = _validate.bounds(lo, hi, ("lo", "hi"))
        super().__init__(activation=activation, lo=lo, hi=hi, **kwargs)
        self.x = x

    @traitlets.validate("activation")
    def _check_activation(self, proposal: Any) -> str:
        return _validate.choice(proposal["value"], "activation", tuple(FAMILY))

    @traitlets.validate("x")
    def _check_x(self, proposal: Any) -> float:
        return _validate.number(proposal["value"], "x", low=self.lo, high=self.hi)

    def alt_text(self) -> str:
        return (
            f"Two panels over x from {self.lo:g} to {self.hi:g}. Left, the nine activations ReLU, leaky ReLU, PReLU, "
            "ELU, GELU, SiLU, softplus, tanh and sigmoid; right, their derivatives, with ReLU's, leaky ReLU's and "
            "PReLU's jumping "
            f"at 0. A vertical line marks x = {self.x:g}. With JavaScript, one activation at a time is shown and x "
            "can be moved."
        )

    def fallback_figure(self) -> Figure:
        grid = np.linspace(self.lo, self.hi, 801)
        fig, (ax_f, ax_d) = plots.figure(1, 2, figsize=(8.4, 3.3))
        for name, label in FAMILY.items():
            fn = _function(name)
            f = np.asarray(fn(grid))
            df = np.asarray(activations.derivative(fn)(grid), dtype=float)
            style = plots.activation_style(name) | {"label": label}
            ax_f.plot(grid, f, lw=2.0 if name == self.activation else 1.2, **style)
            plots.plot_with_gaps(grid, df, ax=ax_d, lw=1.2, **{k: v for k, v in style.items() if k != "label"})
        for ax, title in ((ax_f, "f(x)"), (ax_d, "f'(x)")):
            ax.axvline(self.x, color=plots.REFERENCE, lw=1, ls="--")
            ax.axhline(0, color=plots.REFERENCE, lw=0.6, zorder=0)
            ax.set(xlabel="x", title=title)
        ax_f.set_ylim(-1.6, 4.2)
        ax_f.legend(frameon=False, ncols=2)
        return fig
