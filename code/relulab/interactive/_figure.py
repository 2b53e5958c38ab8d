"""The :class:`InteractiveFigure` of :mod:`relulab.interactive` (private module; import it from there)."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import _validate
from . import _encode
from ._blit import Blitter
from ._controls import alt_with_values, format_value
from ._player import player_html

__all__ = ["CSS_PX_PER_INCH", "FRAME_DPI", "LIVE_DPI", "InteractiveFigure"]

FRAME_DPI: float = 125.0
"""Resolution at which website frames are rendered: 1.25 device pixels per CSS pixel, sharper
than the live view, and about 30% fewer bytes than the 150 dpi used before (measured by
``benchmarks/bench_interactive.py``)."""

CSS_PX_PER_INCH: float = 100.0
"""Displayed size: one figure inch is shown as this many CSS pixels, like
matplotlib's inline backend (``figure.dpi`` = 100)."""

LIVE_DPI: float = 100.0
"""Resolution of the live (kernel) view."""

_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_counter = itertools.count()


def _release_from_pyplot(fig: Figure) -> None:
    """Close ``fig`` in pyplot if pyplot manages it, so the notebook does not
    also show it as a static image at the end of the cell."""
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close(fig)  # a no-op for a figure pyplot does not manage


class InteractiveFigure:
    """A figure with sliders; build it with :func:`relulab.interactive.interactive_figure`.

    Attributes:
        figure: the matplotlib Figure (drawn with Agg).
        update: the ``update(**values)`` callable returned by ``setup``.
        controls: ``{name: grid}``, each grid a float array of shape ``(n_i,)``.
        labels: ``{name: visible label}``.
        alt: the alt text of the figure.
        initial: ``{name: index into the grid}`` shown first.
    """

    def __init__(
        self,
        figure: Figure,
        update: Callable[..., Any],
        controls: dict[str, np.ndarray],
        labels: dict[str, str],
        alt: str,
        initial: dict[str, int],
    ) -> None:
        self.figure = figure
        self.update = update
        self.controls = controls
        self.labels = labels
        self.alt = alt
        self.initial = initial
        self._frames: list[bytes] | None = None  # unique encoded frames
        self._frame_index: np.ndarray | None = None  # grid shape -> index into _frames
        self._widget: Any = None
        self._html: str | None = None
        _release_from_pyplot(figure)
        if not isinstance(figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(figure)
        # First draw at the initial values, then freeze the layout: every frame
        # (and every live redraw) keeps the same axes positions, and a redraw
        # does not re-solve the constrained layout.
        self._apply(self._initial_indices())
        figure.canvas.draw()
        figure.set_layout_engine("none")
        self._blitter = Blitter(figure)
        self._blitter.mark_clean()

    # ----------------------------------------------------------------- basics
    @property
    def names(self) -> tuple[str, ...]:
        """Control names, in the order of the sliders."""
        return tuple(self.controls)

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape: the number of values of each control."""
        return tuple(len(g) for g in self.controls.values())

    def values_at(self, index: Sequence[int]) -> dict[str, int | float]:
        """Control values at a grid index tuple: Python ints for an integer grid, floats otherwise."""
        return {n: g[i].item() for (n, g), i in zip(self.controls.items(), index, strict=True)}

    def _initial_indices(self) -> tuple[int, ...]:
        return tuple(self.initial[n] for n in self.names)

    def _apply(self, index: Sequence[int]) -> None:
        self.update(**self.values_at(index))

    def _describe(self, index: Sequence[int]) -> str:
        """The alt text naming the values at a grid index (as the website player does)."""
        return alt_with_values(
            self.alt,
            [self.labels[n] for n in self.names],
            [format_value(self.controls[n][i]) for n, i in zip(self.names, index, strict=True)],
        )

    @property
    def size_px(self) -> tuple[int, int]:
        """Displayed size ``(width, height)`` in CSS pixels."""
        w, h = self.figure.get_size_inches()
        return round(w * CSS_PX_PER_INCH), round(h * CSS_PX_PER_INCH)

    # ------------------------------------------------------------- rendering
    @property
    def redraws(self) -> dict[str, int]:
        """How the figure was redrawn so far: ``{"blitted": n, "full": m}``.

        After ``update`` changes artists in place, a redraw restores the cached
        background and draws only the changed artists (and those stacked above
        them): a *blit*. A change of limits, ticks, labels or layout, or an artist
        that cannot be blitted (one under an inset axes, an unclipped text reaching
        into another axes), makes it a *full* draw instead, which is always correct.
        """
        return {"blitted": self._blitter.blits, "full": self._blitter.full_draws}

    def render(self, dpi: float = LIVE_DPI, *, blit: bool = True) -> np.ndarray:
        """Draw the figure in its current state and return its pixels.

        Args:
            dpi: resolution (the live view uses :data:`LIVE_DPI`, website frames
                :data:`FRAME_DPI`).
            blit: redraw only what changed when possible (see :attr:`redraws`); with
                ``False``, a plain full draw of every artist, the reference a blit must match.

        Returns:
            An RGBA ``uint8`` array of shape ``(height, width, 4)``.
        """
        dpi = _validate.number(dpi, "dpi", low=0.0, low_open=True, expected="a positive number")
        fig = self.figure
        old = fig.dpi
        fig.dpi = dpi
        try:
            if blit:
                self._blitter.draw(dpi)
            else:
                self._blitter.draw_all()
            return np.array(cast(FigureCanvasAgg, fig.canvas).buffer_rgba())
        finally:
            fig.dpi = old

    def render_png(self, *, dpi: float = LIVE_DPI, compress_level: int = 1) -> bytes:
        """Draw the figure in its current state (blitting when possible) and return PNG bytes."""
        return _encode.png(self.render(dpi)[..., :3], level=compress_level)

    def live_update(self, **values: float) -> bytes:
        """One live step: ``update(**values)`` then redraw; returns the PNG."""
        self.update(**values)
        return self.render_png()

    def _render_frames(self) -> None:
        unique: dict[bytes, int] = {}
        frames: list[bytes] = []
        index = np.empty(self.shape, dtype=np.int64)
        encoder = _encode.FrameEncoder()
        try:
            for idx in itertools.product(*(range(n) for n in self.shape)):
                self._apply(idx)
                data = encoder.encode(self.render(FRAME_DPI)[..., :3])
                key = hashlib.sha256(data).digest()
                if key not in unique:
                    unique[key] = len(frames)
                    frames.append(data)
                index[idx] = unique[key]
        finally:
            self._apply(self._initial_indices())
        # Every control must change the figure somewhere on the grid.
        for axis, name in enumerate(self.names):
            _validate.check(
                np.any(np.diff(index, axis=axis)),
                f"control {name!r}",
                "change the figure (check that update() uses its "
                f"{name!r} argument and changes an artist in place: set_ydata, set_data, ...)",
                f"identical frames whenever only {name!r} moves",
            )
        self._frames = frames
        self._frame_index = index

    @property
    def frames(self) -> list[bytes]:
        """Encoded website frames (WebP), one per grid point, in C order over the controls.

        ``frames[k]`` is the image for grid index ``np.unravel_index(k, shape)``.
        Rendered on first access (each grid point: ``update`` then draw).
        """
        if self._frames is None:
            self._render_frames()
        assert self._frames is not None and self._frame_index is not None
        return [self._frames[i] for i in self._frame_index.ravel()]

    @property
    def unique_frames(self) -> int:
        """Number of distinct frames stored in the website player."""
        self.frames  # noqa: B018  (renders if needed)
        assert self._frames is not None
        return len(self._frames)

    # ------------------------------------------------------------- HTML view
    def to_html(self) -> str:
        """The self-contained website player (HTML + the inlined ``player.js``, no external assets)."""
        if self._html is None:
            self.frames  # noqa: B018  (renders if needed)
            assert self._frames is not None and self._frame_index is not None
            digest = hashlib.sha256(b"".join(self._frames) + self.alt.encode()).hexdigest()[:8]
            init = self._initial_indices()
            self._html = player_html(
                f"relulab-if-{next(_counter)}-{digest}",
                frames=self._frames,
                index=self._frame_index.ravel().tolist(),
                shape=self.shape,
                texts=[[format_value(v) for v in g] for g in self.controls.values()],
                labels=[self.labels[n] for n in self.names],
                alt=self.alt,
                alt_now=self._describe(init),
                initial=init,
                size=self.size_px,
            )
        return self._html

    # ---------------------------------------------------------- widget view
    def widget(self) -> Any:
        """The live ipywidgets view (created once): a ``VBox`` of one ``SelectionSlider`` per
        control, the ``Image`` and a ``Label`` holding the alt text with the current values."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as widgets

        init = self._initial_indices()
        sliders = [
            widgets.SelectionSlider(
                options=[(format_value(v), k) for k, v in enumerate(self.controls[name])],
                value=init[i],
                description=self.labels[name],
                continuous_update=True,
                readout=True,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="min(100%, 32rem)"),
            )
            for i, name in enumerate(self.names)
        ]
        width, _ = self.size_px
        self._apply(init)
        # No ``tooltip=`` on the Image: JupyterLab 4's ImageView fails on it
        # ("Cannot read properties of undefined (reading 'length') at updateTooltip")
        # and shows an error box instead of the figure. The alt text is a visible
        # caption below the image instead, naming the current values like the
        # website player's alt text does.
        image = widgets.Image(
            value=self.render_png(compress_level=6),  # stored with the notebook: worth 20% fewer bytes
            format="png",
            layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto"),
        )
        caption = widgets.Label(value=self._describe(init), layout=widgets.Layout(max_width=f"{width}px"))

        def on_change(_change: Any = None) -> None:
            index = [s.value for s in sliders]
            image.value = self.live_update(**self.values_at(index))
            caption.value = self._describe(index)

        for s in sliders:
            s.observe(on_change, names="value")
        self._widget = widgets.VBox([*sliders, image, caption])
        return self._widget

    # -------------------------------------------------------------- display
    def _repr_mimebundle_(
        self, include: Sequence[str] | None = None, exclude: Sequence[str] | None = None
    ) -> dict[str, Any]:
        def wanted(mime: str) -> bool:
            return (include is None or mime in include) and (exclude is None or mime not in exclude)

        bundle: dict[str, Any] = {}
        if wanted("text/plain"):
            bundle["text/plain"] = repr(self)
        if wanted("text/html"):
            bundle["text/html"] = self.to_html()
        if wanted("image/png"):
            self._apply(self._initial_indices())
            bundle["image/png"] = self.render_png(compress_level=6)
        if wanted(_WIDGET_VIEW):
            view = self.widget()._repr_mimebundle_()
            if view and _WIDGET_VIEW in view:
                bundle[_WIDGET_VIEW] = view[_WIDGET_VIEW]
        return bundle

    def __repr__(self) -> str:
        grids = ", ".join(f"{n}: {len(g)} values" for n, g in self.controls.items())
        return f"<InteractiveFigure ({grids}); alt={self.alt!r}>"
