"""Plotting helpers and the book's palette.

Conventions (those of matplotlib's own gallery): every helper takes the data
and ``ax=None``, forwards ``**kwargs`` to matplotlib, returns what it drew, and
never touches global state (no ``rcParams`` edits, no ``plt.show()``). The
caller owns the figure.

The palette is Okabe and Ito's colour-blind-safe set; helpers also vary the
line style so that no two series are told apart by colour alone.

>>> from relulab.plots import figure, plot_activation
>>> fig, ax = figure()
>>> line = plot_activation("relu", ax=ax)
>>> line.get_label()
'relu'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from jax.typing import ArrayLike
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D

from . import _validate
from .activations import derivative, resolve

__all__ = [
    "LINESTYLES",
    "PALETTE",
    "figure",
    "gaps_at_jumps",
    "plot_activation",
    "plot_derivative",
    "plot_feature_map",
    "plot_with_gaps",
    "series_style",
]

PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
"""Okabe-Ito colours by name, in the order series use them."""

LINESTYLES: tuple[str | tuple[int, tuple[int, ...]], ...] = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1)))
"""Line styles cycled alongside :data:`PALETTE`."""

_SERIES_COLOURS = (
    PALETTE["blue"],
    PALETTE["vermillion"],
    PALETTE["green"],
    PALETTE["orange"],
    PALETTE["purple"],
    PALETTE["sky"],
    PALETTE["black"],
)


def series_style(i: int) -> dict[str, Any]:
    """Colour and line style for the ``i``-th series of a plot.

    Args:
        i: a non-negative series index; styles cycle when it exceeds the palette.

    Returns:
        A dict with ``color`` and ``linestyle`` to pass to ``ax.plot``.

    >>> series_style(0)["color"]
    '#0072B2'
    """
    i = _validate.integer(i, "i", minimum=0)
    return {
        "color": _SERIES_COLOURS[i % len(_SERIES_COLOURS)],
        "linestyle": LINESTYLES[i % len(LINESTYLES)],
    }


def figure(
    nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float] = (6.0, 3.5), **kwargs: Any
) -> tuple[Figure, Any]:
    """Create a figure and its axes without pyplot's global figure manager.

    Such a figure is not shown automatically by the notebook backend; display
    it explicitly (or hand it to :mod:`relulab.interactive`).

    Args:
        nrows: rows of axes.
        ncols: columns of axes.
        figsize: size in inches.
        **kwargs: passed to :meth:`matplotlib.figure.Figure.subplots`.

    Returns:
        ``(fig, axes)`` as from ``plt.subplots``.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, **kwargs)
    return fig, axes


def _grid(x: ArrayLike | None) -> np.ndarray:
    if x is None:
        return np.linspace(-3.0, 3.0, 601)
    x = np.asarray(_validate.float_array(x, "x"), dtype=float)
    _validate.check(x.ndim == 1 and x.size >= 2, "x", "be a 1D grid of at least 2 points", f"shape {x.shape}")
    return x


def _get_ax(ax: Axes | None) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    return ax


def gaps_at_jumps(y: ArrayLike, threshold: float = 0.25) -> np.ndarray:
    """``y`` as a float array with ``nan`` wherever it jumps by more than ``threshold``.

    A curve sampled on a grid and drawn with ``ax.plot`` joins a jump (the derivative of ReLU
    at 0, a step function) with a vertical segment, as if the function took every value in
    between. With ``nan`` at the first sample after each jump, matplotlib leaves a gap there.

    Args:
        y: samples of shape ``(n,)`` on an increasing grid.
        threshold: the smallest change between neighbouring samples that counts as a jump
            (positive). It must exceed the change a smooth part makes between two samples.

    Returns:
        A float64 copy of ``y``, shape ``(n,)``, with ``y[i] = nan`` where
        ``|y[i] - y[i - 1]| > threshold``.

    >>> gaps_at_jumps([0.0, 0.0, 1.0, 1.0]).tolist()
    [0.0, 0.0, nan, 1.0]
    """
    out = np.array(_validate.float_array(y, "y"), dtype=float)
    _validate.shape(out, "y", ("n",))
    threshold = _validate.number(threshold, "threshold", low=0.0, low_open=True, expected="a positive number")
    out[1:][np.abs(np.diff(out)) > threshold] = np.nan
    return out


def plot_with_gaps(
    x: ArrayLike,
    y: ArrayLike,
    *,
    ax: Axes | None = None,
    threshold: float = 0.25,
    style: int = 0,
    **kwargs: Any,
) -> Line2D:
    """Plot ``y`` against ``x`` with a gap, not a vertical segment, at every jump of ``y``.

    For a derivative that jumps (ReLU's at 0, leaky ReLU's, a step): the points are those of
    :func:`gaps_at_jumps`, drawn in the book's series style.

    Args:
        x: the grid, shape ``(n,)``, increasing.
        y: the values, shape ``(n,)``.
        ax: the axes to draw on (default: the current axes).
        threshold: see :func:`gaps_at_jumps`.
        style: index into :func:`series_style`.
        **kwargs: passed to ``ax.plot`` (label, colour, ...).

    Returns:
        The drawn line.

    >>> fig, ax = figure()
    >>> line = plot_with_gaps([-1.0, 0.0, 1.0, 2.0], [0.0, 0.0, 1.0, 1.0], ax=ax)
    >>> line.get_ydata().tolist()
    [0.0, 0.0, nan, 1.0]
    """
    x = _grid(x)
    y = gaps_at_jumps(y, threshold)
    _validate.shape(y, "y", x.shape, why="(that of x)")
    (line,) = _get_ax(ax).plot(x, y, **{**series_style(style), **kwargs})
    return line


def _label(act: str | Callable, fn: Callable) -> str:
    return act if isinstance(act, str) else getattr(fn, "__name__", "activation")


def plot_activation(
    act: str | Callable,
    x: ArrayLike | None = None,
    *,
    ax: Axes | None = None,
    style: int = 0,
    **kwargs: Any,
) -> Line2D:
    """Plot an activation function on a 1D grid.

    Args:
        act: a name from :data:`relulab.activations.ACTIVATIONS` or a callable.
        x: the grid, shape ``(n,)``; defaults to 601 points on ``[-3, 3]``.
        ax: the axes to draw on (default: the current axes).
        style: index into :func:`series_style`.
        **kwargs: passed to ``ax.plot`` (override colour, label, ...).

    Returns:
        The drawn line.
    """
    fn = resolve(act)
    x = _grid(x)
    opts = {**series_style(style), "label": _label(act, fn), **kwargs}
    (line,) = _get_ax(ax).plot(x, np.asarray(fn(x)), **opts)
    return line


def plot_derivative(
    act: str | Callable,
    x: ArrayLike | None = None,
    *,
    ax: Axes | None = None,
    style: int = 0,
    **kwargs: Any,
) -> Line2D:
    """Plot the autodiff derivative of an activation on a 1D grid.

    Points where the derivative jumps are drawn as gaps (``NaN``, see
    :func:`gaps_at_jumps`) rather than as a vertical segment, so a step looks like a step.
    The arguments and the result are those of :func:`plot_activation`; the line's label is
    the activation's name with a prime.
    """
    fn = resolve(act)
    x = _grid(x)
    y = np.asarray(derivative(fn)(x), dtype=float)
    return plot_with_gaps(x, y, ax=ax, style=style, **{"label": f"{_label(act, fn)}'", **kwargs})


def plot_feature_map(
    fmap: ArrayLike,
    *,
    ax: Axes | None = None,
    vmax: float | None = None,
    cmap: str = "RdBu_r",
    colorbar: bool = False,
    **kwargs: Any,
) -> AxesImage:
    """Show a 2D feature map with a diverging colour map centred at zero.

    The colour limits are symmetric, ``[-vmax, vmax]``, so zero is always the
    neutral middle colour (white for ``RdBu_r``), negative values are blue and
    positive ones red. Pass the same ``vmax`` to several maps (e.g. before and
    after ReLU) to compare them on one scale. ``RdBu_r`` and ``PuOr`` are
    colour-blind-safe diverging maps. Also importable as
    ``relulab.conv.plot_feature_map``.

    Args:
        fmap: shape ``(H, W)``.
        ax: the axes to draw on (default: the current pyplot axes).
        vmax: positive half-range of the colour scale; default ``max |fmap|``
            (1 if the map is all zeros).
        cmap: a diverging matplotlib colour map name.
        colorbar: add a colour bar next to ``ax``; it is then ``image.colorbar``.
        **kwargs: passed to :meth:`matplotlib.axes.Axes.imshow`.

    Returns:
        The :class:`~matplotlib.image.AxesImage`.

    >>> fig, ax = figure()
    >>> im = plot_feature_map([[-2.0, 1.0], [0.0, 0.5]], ax=ax)
    >>> im.get_clim()
    (-2.0, 2.0)
    """
    _validate.real_dtype(fmap, "fmap")
    m = np.asarray(fmap, dtype=float)
    _validate.shape(m, "fmap", ("H", "W"), nonempty=True)
    if vmax is None:
        finite = m[np.isfinite(m)]
        vmax = float(np.max(np.abs(finite))) if finite.size else 0.0
        if vmax == 0.0:
            vmax = 1.0
    else:
        vmax = _validate.number(vmax, "vmax", low=0.0, low_open=True, expected="a positive finite number")
    ax = _get_ax(ax)
    image = ax.imshow(m, vmin=-float(vmax), vmax=float(vmax), **{"cmap": cmap, "interpolation": "nearest", **kwargs})
    ax.set_xticks([])
    ax.set_yticks([])
    if colorbar:
        ax.figure.colorbar(image, ax=ax)
    return image
