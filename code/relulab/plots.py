"""Plotting helpers and the book's visual language.

Conventions (those of matplotlib's own gallery): every helper takes the data
and ``ax=None``, forwards ``**kwargs`` to matplotlib, returns what it drew, and
never touches global state (no ``rcParams`` edits, no ``plt.show()``, no colour
map registered). The caller owns the figure.

One visual language for every figure, written once in the package data file
``relulab/style.json`` (which the JavaScript explorables read too):

* **Colours** are Okabe and Ito's colour-blind-safe set (:data:`PALETTE`); series
  also vary the line style so that no two are told apart by colour alone
  (:func:`series_style`).
* **Sign**: positive is vermillion, negative blue, zero white (:data:`SIGN`, the
  diverging map :func:`sign_cmap`, the default of :func:`plot_feature_map`).
* **Activations**: each has one colour, line style and marker wherever it appears
  (:data:`ACTIVATION_STYLES`, :func:`activation_style`, the default of
  :func:`plot_activation`); :data:`REFERENCE` is the grey of reference lines
  (zero, identity, bounds, targets).
* **Text** stays legible where the website shows the figure: figures made with
  :func:`figure` raise every text to :func:`legible_fontsize` when first drawn, and
  :func:`make_legible` does the same to any figure.

>>> from relulab.plots import figure, plot_activation
>>> fig, ax = figure()
>>> line = plot_activation("relu", ax=ax)
>>> line.get_label(), line.get_color() == ACTIVATION_STYLES["relu"]["color"]
('ReLU', True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from jax.typing import ArrayLike
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Text

from . import _validate
from ._style import style
from .activations import derivative, resolve

__all__ = [
    "ACTIVATION_STYLES",
    "COLUMN_PX",
    "LINESTYLES",
    "MIN_TEXT_PX",
    "PALETTE",
    "REFERENCE",
    "SIGN",
    "activation_style",
    "figure",
    "gaps_at_jumps",
    "legible_fontsize",
    "make_legible",
    "plot_activation",
    "plot_derivative",
    "plot_feature_map",
    "plot_with_gaps",
    "series_style",
    "sign_cmap",
]

_STYLE = style()

PALETTE: dict[str, str] = dict(_STYLE["okabe_ito"])
"""Okabe-Ito colours by name: ``black``, ``orange``, ``sky``, ``green``, ``yellow``, ``blue``,
``vermillion``, ``purple`` (yellow is for fills: too light for a line on white)."""

REFERENCE: str = _STYLE["reference"]
"""The grey of reference lines: the axes through zero, the identity, bounds, targets, chance."""

SIGN: dict[str, str] = dict(_STYLE["sign"])
"""The sign convention of every figure: ``positive`` vermillion, ``negative`` blue, ``zero``
white (the middle of :func:`sign_cmap`). A positive pre-activation, weight or feature-map entry
is drawn in ``SIGN["positive"]``, a negative one in ``SIGN["negative"]``."""


def _linestyle(dashes: list[float]) -> str | tuple[int, tuple[float, ...]]:
    return "-" if not dashes else (0, tuple(dashes))


ACTIVATION_STYLES: dict[str, dict[str, Any]] = {
    name: {
        "color": spec["color"],
        "linestyle": _linestyle(spec["dashes"]),
        "marker": spec["marker"],
        "label": spec["label"],
    }
    for name, spec in _STYLE["activations"].items()
}
"""For each activation name (the keys of :data:`relulab.activations.ACTIVATIONS`, plus
``prelu``, ``silu`` and ``linear``), the ``color``, ``linestyle``, ``marker`` and display
``label`` it has in every figure. Related activations share a colour and differ in line style
and marker (leaky ReLU and PReLU; GELU and SiLU). Use :func:`activation_style` to plot."""

LINESTYLES: tuple[str | tuple[int, tuple[int, ...]], ...] = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1)))
"""Line styles cycled alongside the palette by :func:`series_style`."""

COLUMN_PX: int = _STYLE["text"]["column_px"]
"""Width in CSS pixels at which the website shows a figure on a desktop screen (a wider
figure is scaled down to it)."""

MIN_TEXT_PX: float = _STYLE["text"]["min_px"]
"""Smallest text height, in CSS pixels at :data:`COLUMN_PX`, that counts as legible."""

_DPI: float = _STYLE["text"]["dpi"]  # the resolution the notebooks' figures are stored at

_SERIES_COLOURS = (
    PALETTE["blue"],
    PALETTE["vermillion"],
    PALETTE["green"],
    PALETTE["orange"],
    PALETTE["purple"],
    PALETTE["sky"],
    PALETTE["black"],
)


def activation_style(name: str, *, marker: bool = False) -> dict[str, Any]:
    """Colour, line style and label of the activation ``name``, to pass to ``ax.plot``.

    Args:
        name: a key of :data:`ACTIVATION_STYLES` (``"relu"``, ``"tanh"``, ...).
        marker: also give the activation's marker (for plots of a few points, or a
            ``markevery``); a line of hundreds of samples is clearer without.

    Returns:
        A new dict with ``color``, ``linestyle``, ``label`` (and ``marker``).

    >>> activation_style("tanh")["color"] == SIGN["positive"]  # tanh is vermillion, like a positive sign
    True
    >>> activation_style("relu", marker=True)["marker"]
    'o'
    """
    name = _validate.choice(name, "name", tuple(ACTIVATION_STYLES))
    marker = _validate.boolean(marker, "marker")
    spec = ACTIVATION_STYLES[name]
    out = {"color": spec["color"], "linestyle": spec["linestyle"], "label": spec["label"]}
    if marker:
        out["marker"] = spec["marker"] or "None"
    return out


def sign_cmap(n: int = 256) -> Colormap:
    """The diverging colour map of the sign convention: ``SIGN["negative"]`` (blue) through white
    to ``SIGN["positive"]`` (vermillion). A new object each call; nothing is registered.

    >>> cmap = sign_cmap()
    >>> [round(c, 3) for c in cmap(1.0)[:3]] == [round(int(SIGN["positive"][i:i + 2], 16) / 255, 3) for i in (1, 3, 5)]
    True
    """
    n = _validate.integer(n, "n", minimum=3)
    return LinearSegmentedColormap.from_list("relulab_sign", [SIGN["negative"], SIGN["zero"], SIGN["positive"]], N=n)


# ---------------------------------------------------------------------------- legible text


def legible_fontsize(width_in: float, *, dpi: float = _DPI) -> float:
    """The smallest font size, in points, that is legible in a figure ``width_in`` inches wide.

    The website shows a figure at its stored size (``dpi`` pixels per inch) unless it is wider
    than :data:`COLUMN_PX`, and then scales it down to that width; text must still be at least
    :data:`MIN_TEXT_PX` CSS pixels high there.

    >>> legible_fontsize(6.0)    # 600 px wide: shown at full size
    8.64
    >>> round(legible_fontsize(9.5), 1)   # 950 px, scaled by 672 / 950
    12.2
    """
    width_in = _validate.number(width_in, "width_in", low=0.0, low_open=True, expected="a positive width")
    dpi = _validate.number(dpi, "dpi", low=0.0, low_open=True, expected="a positive number")
    px_per_inch = min(dpi, COLUMN_PX / width_in)
    return round(MIN_TEXT_PX * 72.0 / px_per_inch, 2)


def make_legible(fig: Figure) -> Figure:
    """Raise every text of ``fig`` below :func:`legible_fontsize` (for the figure's width) to it.

    Titles, axis labels, tick labels (also those created later: the axes' tick parameters are
    set), legends, colour bars, annotations. Larger text is left as it is; nothing global
    changes. Call it when the figure is complete; figures from :func:`figure` call it by
    themselves when first drawn.

    Returns:
        ``fig``.
    """
    fig = _validate.instance(fig, Figure, "fig", "be a matplotlib Figure")
    size = legible_fontsize(float(fig.get_figwidth()))
    for ax in fig.axes:
        if any(_points(t.label1) < size for t in ax.xaxis.majorTicks[:1] + ax.xaxis.minorTicks[:1]):
            ax.tick_params(axis="x", which="both", labelsize=size)
        if any(_points(t.label1) < size for t in ax.yaxis.majorTicks[:1] + ax.yaxis.minorTicks[:1]):
            ax.tick_params(axis="y", which="both", labelsize=size)
    for text in fig.findobj(match=Text):
        if text.get_text() and _points(text) < size:
            text.set_fontsize(size)
    return fig


def _points(text: Text) -> float:
    """The font size of ``text`` in points (matplotlib also allows names such as ``"small"``)."""
    return float(FontProperties(size=text.get_fontsize()).get_size_in_points())


class LegibleFigure(Figure):
    """A matplotlib Figure that applies :func:`make_legible` to itself when first drawn (what
    :func:`figure` makes). Nothing else differs. (Not in ``__all__``: the API page would list every
    method it inherits from matplotlib.)"""

    _legible_done = False

    def draw(self, renderer: Any) -> None:
        if not self._legible_done:
            self._legible_done = True
            make_legible(self)
        super().draw(renderer)


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
    it explicitly (or hand it to :mod:`relulab.interactive`). When it is first
    drawn, every text smaller than :func:`legible_fontsize` for its width is
    raised to it (:func:`make_legible`), so it reads well on the website.

    Args:
        nrows: rows of axes.
        ncols: columns of axes.
        figsize: size in inches.
        **kwargs: passed to :meth:`matplotlib.figure.Figure.subplots`.

    Returns:
        ``(fig, axes)`` as from ``plt.subplots``.
    """
    fig = LegibleFigure(figsize=figsize, layout="constrained")
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
    if isinstance(act, str):
        return ACTIVATION_STYLES[act]["label"] if act in ACTIVATION_STYLES else act
    return getattr(fn, "__name__", "activation")


def _style_for(act: str | Callable, style: int | None) -> dict[str, Any]:
    """The activation's own colour and line style, or ``series_style(style)`` when one is asked
    for (or the activation has none: a callable)."""
    if style is None and isinstance(act, str) and act in ACTIVATION_STYLES:
        spec = ACTIVATION_STYLES[act]
        return {"color": spec["color"], "linestyle": spec["linestyle"]}
    return series_style(0 if style is None else style)


def plot_activation(
    act: str | Callable,
    x: ArrayLike | None = None,
    *,
    ax: Axes | None = None,
    style: int | None = None,
    **kwargs: Any,
) -> Line2D:
    """Plot an activation function on a 1D grid, in the activation's own style.

    Args:
        act: a name from :data:`relulab.activations.ACTIVATIONS` or a callable.
        x: the grid, shape ``(n,)``; defaults to 601 points on ``[-3, 3]``.
        ax: the axes to draw on (default: the current axes).
        style: by default a named activation has its colour and line style of
            :data:`ACTIVATION_STYLES` (a callable the first :func:`series_style`); an index
            picks ``series_style(style)`` instead.
        **kwargs: passed to ``ax.plot`` (override colour, label, ...).

    Returns:
        The drawn line, labelled with the activation's display name (``"ReLU"``).
    """
    fn = resolve(act)
    x = _grid(x)
    opts = {**_style_for(act, style), "label": _label(act, fn), **kwargs}
    (line,) = _get_ax(ax).plot(x, np.asarray(fn(x)), **opts)
    return line


def plot_derivative(
    act: str | Callable,
    x: ArrayLike | None = None,
    *,
    ax: Axes | None = None,
    style: int | None = None,
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
    opts = {**_style_for(act, style), "label": f"{_label(act, fn)}'", **kwargs}
    return plot_with_gaps(x, y, ax=ax, **opts)


def plot_feature_map(
    fmap: ArrayLike,
    *,
    ax: Axes | None = None,
    vmax: float | None = None,
    cmap: str | Colormap | None = None,
    colorbar: bool = False,
    **kwargs: Any,
) -> AxesImage:
    """Show a 2D feature map in the book's sign colours, centred at zero.

    The colour limits are symmetric, ``[-vmax, vmax]``, so zero is always the
    white middle of :func:`sign_cmap`: negative values are blue and positive ones
    vermillion, as in every figure of the book (:data:`SIGN`). Pass the same
    ``vmax`` to several maps (e.g. before and after ReLU) to compare them on one
    scale.

    Args:
        fmap: shape ``(H, W)``.
        ax: the axes to draw on (default: the current pyplot axes).
        vmax: positive half-range of the colour scale; default ``max |fmap|``
            (1 if the map is all zeros).
        cmap: another diverging colour map (a name or a ``Colormap``); default :func:`sign_cmap`.
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
    cmap = sign_cmap() if cmap is None else cmap
    image = ax.imshow(m, vmin=-float(vmax), vmax=float(vmax), **{"cmap": cmap, "interpolation": "nearest", **kwargs})
    ax.set_xticks([])
    ax.set_yticks([])
    if colorbar:
        ax.figure.colorbar(image, ax=ax)
    return image
