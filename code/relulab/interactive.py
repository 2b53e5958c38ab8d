"""Interactive figures that work live in Jupyter *and* on the static website.

One call, :func:`interactive_figure`, turns a drawing function plus a grid of
parameter values into an object that notebooks display in the best way the
frontend allows:

* **Live in a kernel** (JupyterLab, Notebook 7, Binder, VS Code): ipywidgets
  sliders, one per control, call the figure's ``update(**values)`` on every
  change; the figure is redrawn with Agg and sent as PNG to a ``widgets.Image``.
  ``update`` changes artists in place (``set_ydata``, ``set_data``...), the
  layout is frozen after the first draw, and only the changed artists are
  redrawn over a cached background (blitting, see ``_Blitter``; tests compare
  it with full draws pixel by pixel). ``benchmarks/bench_interactive.py``
  measures a live step (compute + redraw + PNG) at about 20 ms of CPU time.
* **On the built website** (no kernel): a small self-contained HTML/JS player,
  one ``<input type="range">`` per control with a visible ``<label>`` and a
  value readout, switching between frames rendered at build time for *every*
  point of the grid, so several controls work together.

Why a hand-written player rather than the alternatives:

* Embedded ipywidgets state (``Stack``/``jslink``) needs require.js and
  ``@jupyter-widgets/html-manager`` from a CDN on every page (myst-nb 1.4's
  default is html-manager 1.0.6, the ipywidgets 7 manager, while this book
  pins ipywidgets 8), and ``jslink`` cannot express "show the frame for the
  *pair* (a, b)" without one widget per frame.
* matplotlib's ``Animation.to_jshtml`` player has a single time axis, so it
  cannot drive two parameters, and its buttons lack labels.
* The player here is about 1 kB of inline JavaScript with no external dependency.
  It stays light: frames are palette-quantised lossless WebP for line plots,
  lossy WebP (quality 80) where a palette would band (heatmaps), and identical
  frames are stored once. It uses native range inputs, so Tab, arrow keys,
  Home/End and PageUp/PageDown work and screen readers announce the label and
  the value; the image's alt text names the current values. Its controls are
  ``hidden`` until the script runs: where scripts are stripped (GitHub,
  nbviewer, an untrusted notebook) the reader sees the initial frame with its
  alt text, never a slider that does nothing.

Which view wins where. The display bundle carries
``application/vnd.jupyter.widget-view+json`` (live widgets), ``text/html``
(the player), ``image/png`` (the initial frame, for PDF and other non-HTML
outputs) and ``text/plain``. JupyterLab and Notebook 7 render the mime type of
lowest *rank* among those they have a renderer for (for untrusted outputs,
only "safe" renderers). The ipywidgets extension (``jupyterlab_widgets``,
installed with ipywidgets) registers its widget-view renderer at rank -10
(``addFactory({safe: false, ...}, -10)`` in its bundle), ahead of the HTML
renderer (rank 50), so an output produced by a running kernel shows the live
widgets. A saved notebook reopened untrusted falls back to the safe,
sanitised ``text/html`` (scripts removed, so: the initial frame). myst-nb's
HTML builder ranks widget views first too, which would put kernel-less, inert
widgets on the website; ``_config.yml`` therefore sets
``nb_mime_priority_overrides`` so the HTML builder prefers ``text/html``, and
``nb_ipywidgets_js: {}`` so pages load no widget JavaScript.

Every control must change the figure: when the frames are rendered,
:func:`interactive_figure`'s result checks that moving each control alone
changes at least one frame, and raises ``ValueError`` otherwise (an inert
control is a bug). ``tests/browser`` checks the same thing in Chromium, with
the mouse and with the keyboard, on every page of the built book.

>>> import numpy as np
>>> from relulab.plots import figure
>>> def setup():
...     fig, ax = figure(figsize=(3, 2))
...     x = np.linspace(-1, 1, 5)
...     (line,) = ax.plot(x, x)
...     ax.set_ylim(-1, 1)
...     def update(a):
...         line.set_ydata(a * x)
...     return fig, update
>>> f = interactive_figure(setup, {"a": [0.0, 0.5, 1.0]}, alt="a line of slope a")
>>> f.shape, len(f.frames)
((3,), 3)
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Union

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import _validate

__all__ = ["InteractiveFigure", "interactive_figure", "MAX_FRAMES"]

MAX_FRAMES: int = 400
"""Largest number of grid points (frames) one figure may have.

The book aims at about 100 frames per figure so that pages stay under 3 MB.
"""

FRAME_DPI: float = 150.0
"""Resolution at which website frames are rendered (crisp on high-DPI screens)."""

CSS_PX_PER_INCH: float = 100.0
"""Displayed size: one figure inch is shown as this many CSS pixels, like
matplotlib's inline backend (``figure.dpi`` = 100)."""

LIVE_DPI: float = 100.0
"""Resolution of the live (kernel) view."""

_PALETTE_COLOURS = 64
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

_counter = itertools.count()


def _format_value(v: float) -> str:
    """Short, stable text for a control value (used by both views)."""
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.4g}"


def _check_controls(controls: Any) -> dict[str, np.ndarray]:
    if not isinstance(controls, Mapping):
        _validate.fail(TypeError, "controls", "be a dict mapping names to 1D sequences of numbers",
                       type(controls).__name__)
    if len(controls) == 0:
        _validate.fail(ValueError, "controls", "not be empty: give at least one {name: values} entry", "{}")
    out: dict[str, np.ndarray] = {}
    for name, values in controls.items():
        if not isinstance(name, str) or not name.isidentifier():
            _validate.fail(ValueError, "control names", "be valid Python identifiers (they are passed to update "
                           "as keywords)", repr(name))
        where = f"controls[{name!r}]"
        if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)) and not hasattr(
            values, "__array__"
        ):
            _validate.fail(TypeError, where, "be a 1D sequence of numbers", type(values).__name__)
        dtype = _validate.real_dtype(values, where)
        arr = np.asarray(values)
        if arr.ndim != 1 or arr.size < 2:
            _validate.fail(ValueError, where, "be a 1D sequence of at least 2 values", f"shape {arr.shape}")
        # integer grids hand Python ints to update()
        arr = arr.astype(np.int64 if np.issubdtype(dtype, np.integer) else float)
        if not np.all(np.isfinite(arr)):
            _validate.fail(ValueError, where, "be finite", str(arr.tolist()))
        if np.unique(arr).size != arr.size:
            _validate.fail(ValueError, where, "not repeat a value", str(arr.tolist()))
        out[name] = arr
    return out


def _check_keys(mapping: Any, name: str, what: str, controls: Mapping[str, np.ndarray]) -> Mapping:
    """``mapping`` (``{}`` for None) if it is a dict whose keys are all controls."""
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        _validate.fail(TypeError, name, f"be a dict {{control name: {what}}} or None", type(mapping).__name__)
    unknown = sorted(set(mapping) - set(controls), key=str)
    if unknown:
        _validate.fail(ValueError, name, f"have only controls as keys ({list(controls)})", f"keys {unknown}")
    return mapping


def _check_labels(labels: Any, controls: Mapping[str, np.ndarray]) -> dict[str, str]:
    labels = _check_keys(labels, "labels", "text", controls)
    out = {}
    for name in controls:
        text = labels.get(name, name)
        if not isinstance(text, str) or not text.strip():
            _validate.fail(ValueError, f"labels[{name!r}]", "be a non-empty string", repr(text))
        out[name] = text
    return out


def _check_initial(initial: Any, controls: Mapping[str, np.ndarray]) -> dict[str, int]:
    """Map ``initial`` (values) to grid indices; default: first value of each grid."""
    initial = _check_keys(initial, "initial", "value", controls)
    out = {}
    for name, grid in controls.items():
        if name not in initial:
            out[name] = 0
            continue
        v = _validate.number(initial[name], f"initial[{name!r}]", expected="a real number")
        hits = np.flatnonzero(np.isclose(grid.astype(float), v, rtol=1e-9, atol=1e-12))
        if hits.size == 0:
            _validate.fail(ValueError, f"initial[{name!r}]", f"be one of the grid values {grid.tolist()}",
                           repr(initial[name]))
        out[name] = int(hits[0])
    return out


class InteractiveFigure:
    """A figure with sliders; build it with :func:`interactive_figure`.

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
        self._blitter = _Blitter(figure)
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

    def values_at(self, index: Sequence[int]) -> dict[str, Union[int, float]]:
        """Control values at a grid index tuple: Python ints for an integer grid, floats otherwise."""
        return {n: g[i].item() for (n, g), i in zip(self.controls.items(), index)}

    def _initial_indices(self) -> tuple[int, ...]:
        return tuple(self.initial[n] for n in self.names)

    def _apply(self, index: Sequence[int]) -> None:
        self.update(**self.values_at(index))

    @property
    def size_px(self) -> tuple[int, int]:
        """Displayed size ``(width, height)`` in CSS pixels."""
        w, h = self.figure.get_size_inches()
        return round(w * CSS_PX_PER_INCH), round(h * CSS_PX_PER_INCH)

    # ------------------------------------------------------------- rendering
    def _rgba(self, dpi: float) -> np.ndarray:
        """Draw at ``dpi`` (blitting when only in-place artist changes happened)."""
        fig = self.figure
        old = fig.dpi
        fig.dpi = dpi
        try:
            self._blitter.draw(dpi)
            return np.array(fig.canvas.buffer_rgba())
        finally:
            fig.dpi = old

    def _full_rgba(self, dpi: float) -> np.ndarray:
        """Reference render: a plain full draw with every artist (no blitting)."""
        fig = self.figure
        old = fig.dpi
        fig.dpi = dpi
        try:
            with self._blitter.all_drawn():
                fig.canvas.draw()
                self._blitter.mark_clean()
                return np.array(fig.canvas.buffer_rgba())
        finally:
            fig.dpi = old

    def render_png(self, *, dpi: float = LIVE_DPI, compress_level: int = 1) -> bytes:
        """Draw the figure in its current state and return PNG bytes (fast settings)."""
        from PIL import Image

        fig = self.figure
        old = fig.dpi
        fig.dpi = dpi
        try:
            self._blitter.draw(dpi)
            w, h = fig.canvas.get_width_height(physical=True)
            image = Image.frombuffer("RGBA", (w, h), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
        finally:
            fig.dpi = old
        buf = io.BytesIO()
        image.save(buf, format="png", compress_level=compress_level)
        return buf.getvalue()

    def live_update(self, **values: float) -> bytes:
        """One live step: ``update(**values)`` then redraw; returns the PNG."""
        self.update(**values)
        return self.render_png()

    def _encode_frame(self) -> bytes:
        """Website frame at FRAME_DPI: palette-quantised lossless WebP.

        Line plots survive a 64-colour palette unchanged to the eye and shrink
        ~4x. Where the palette would visibly band the image (heatmaps, smooth
        colour maps: mean error above 1.5/255) the frame is lossy WebP (quality
        80: mean error about 1/255, about 10 kB for a 600 x 525 px heatmap).
        """
        from PIL import Image

        arr = self._rgba(FRAME_DPI)[..., :3]
        rgb = Image.fromarray(arr)
        pal = rgb.quantize(_PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        err = np.abs(np.asarray(pal.convert("RGB"), dtype=np.int16) - arr).mean()
        buf = io.BytesIO()
        if err <= 1.5:
            pal.save(buf, format="webp", lossless=True, method=1, quality=50)
        else:
            rgb.save(buf, format="webp", quality=80, method=4)
        return buf.getvalue()

    def _render_frames(self) -> None:
        unique: dict[bytes, int] = {}
        frames: list[bytes] = []
        index = np.empty(self.shape, dtype=np.int64)
        try:
            for idx in itertools.product(*(range(n) for n in self.shape)):
                self._apply(idx)
                data = self._encode_frame()
                key = hashlib.sha256(data).digest()
                if key not in unique:
                    unique[key] = len(frames)
                    frames.append(data)
                index[idx] = unique[key]
        finally:
            self._apply(self._initial_indices())
        # Every control must change the figure somewhere on the grid.
        for axis, name in enumerate(self.names):
            moved = np.diff(index, axis=axis)
            if not np.any(moved):
                _validate.fail(
                    ValueError, f"control {name!r}", "change the figure (check that update() uses its "
                    f"{name!r} argument and changes an artist in place: set_ydata, set_data, ...)",
                    f"identical frames whenever only {name!r} moves")
        self._frames = frames
        self._frame_index = index

    @property
    def frames(self) -> list[bytes]:
        """Encoded website frames, one per grid point, in C order over the controls.

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
        """The self-contained website player (HTML + inline JS, no external assets)."""
        if self._html is not None:
            return self._html
        self.frames  # noqa: B018
        assert self._frames is not None and self._frame_index is not None
        digest = hashlib.sha256(b"".join(self._frames) + self.alt.encode()).hexdigest()[:8]
        uid = f"relulab-if-{next(_counter)}-{digest}"
        width, height = self.size_px
        init = self._initial_indices()
        first = self._frames[int(self._frame_index[init])]
        data = {
            "frames": [_b64(f) for f in self._frames],
            "index": self._frame_index.ravel().tolist(),
            "shape": list(self.shape),
            "text": [[_format_value(v) for v in g] for g in self.controls.values()],
            "labels": [self.labels[n] for n in self.names],
            "alt": self.alt,
        }
        payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
        rows = []
        for i, name in enumerate(self.names):
            grid = self.controls[name]
            text = _format_value(grid[init[i]])
            cid = f"{uid}-c{i}"
            rows.append(
                f'<div class="relulab-if-row">'
                f'<label for="{cid}">{html.escape(self.labels[name])}</label>'
                f'<input type="range" id="{cid}" min="0" max="{len(grid) - 1}" step="1" value="{init[i]}" '
                f'aria-valuetext="{html.escape(text)}">'
                f'<output id="{cid}-out" for="{cid}">{html.escape(text)}</output>'
                f"</div>"
            )
        alt_now = _alt_with_values(self.alt, [self.labels[n] for n in self.names],
                                   [_format_value(self.controls[n][i]) for n, i in zip(self.names, init)])
        self._html = (
            f'<div class="relulab-interactive" id="{uid}" data-relulab-interactive="player">'
            f"<style>#{uid} .relulab-if-controls{{display:grid;gap:.25rem .75rem;"
            "grid-template-columns:max-content minmax(8rem,22rem) 4rem;align-items:center;margin:.5rem 0}"
            f"#{uid} .relulab-if-row{{display:contents}}"
            f"#{uid} .relulab-if-controls[hidden]{{display:none}}"
            f"#{uid} input[type=range]{{width:100%;margin:0;accent-color:#0072B2}}"
            f"#{uid} input[type=range]:focus-visible{{outline:3px solid #D55E00;outline-offset:2px}}"
            f"#{uid} output{{font-variant-numeric:tabular-nums}}"
            f"#{uid} img{{max-width:100%;height:auto;display:block}}</style>"
            f'<img id="{uid}-img" width="{width}" height="{height}" alt="{html.escape(alt_now)}" '
            f'src="data:image/webp;base64,{_b64(first)}">'
            f'<div class="relulab-if-controls" role="group" aria-label="{html.escape("Controls: " + self.alt)}" hidden>'
            + "".join(rows)
            + "</div>"
            f'<script type="application/json" id="{uid}-data">{payload}</script>'
            f"<script>{_PLAYER_JS.replace('__UID__', uid)}</script>"
            "</div>"
        )
        return self._html

    # ---------------------------------------------------------- widget view
    def widget(self) -> Any:
        """The live ipywidgets view (created once): sliders above a ``widgets.Image``."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as widgets

        init = self._initial_indices()
        sliders = []
        for i, name in enumerate(self.names):
            grid = self.controls[name]
            sliders.append(
                widgets.SelectionSlider(
                    options=[(_format_value(v), k) for k, v in enumerate(grid)],
                    value=init[i],
                    description=self.labels[name],
                    continuous_update=True,
                    readout=True,
                    style={"description_width": "initial"},
                    layout=widgets.Layout(width="min(100%, 32rem)"),
                )
            )
        width, _ = self.size_px
        self._apply(init)
        # No ``tooltip=`` on the Image: JupyterLab 4's ImageView fails on it
        # ("Cannot read properties of undefined (reading 'length') at updateTooltip")
        # and shows an error box instead of the figure. The alt text is a visible
        # caption below the image instead, naming the current values like the
        # website player's alt text does.
        image = widgets.Image(
            value=self.render_png(),
            format="png",
            layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto"),
        )
        names = [self.labels[n] for n in self.names]

        def describe(index: Sequence[int]) -> str:
            texts = [_format_value(self.controls[n][i]) for n, i in zip(self.names, index)]
            return _alt_with_values(self.alt, names, texts)

        caption = widgets.Label(value=describe(init), layout=widgets.Layout(max_width=f"{width}px"))

        def on_change(_change: Any = None) -> None:
            index = [s.value for s in sliders]
            image.value = self.live_update(**self.values_at(index))
            caption.value = describe(index)

        for s in sliders:
            s.observe(on_change, names="value")
        box = widgets.VBox([*sliders, image, caption])
        box._relulab_sliders = sliders  # for tests
        box._relulab_image = image
        self._widget = box
        return box

    # -------------------------------------------------------------- display
    def _repr_mimebundle_(
        self, include: Union[Sequence[str], None] = None, exclude: Union[Sequence[str], None] = None
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


class _Blitter:
    """Redraw only what ``update`` changed, on top of a cached background.

    A full Agg draw spends most of its time laying out text (tick labels), which
    an ``update`` that calls ``set_ydata`` does not change. After ``update``,
    the artists it touched are the *stale* ones. If they are all plain data
    artists (lines, collections, patches, texts, images) that are direct
    children of an Axes or of the Figure, and no view limits changed, we
    restore the cached background and draw only the *dynamic* artists: the
    changed ones plus every sibling drawn after them (higher z-order), so the
    stacking order is that of a full draw. Anything else (limits, ticks, legend
    entries, spines changed) triggers a full draw, which is always correct.
    The dynamic artists are marked ``animated`` so that full draws leave them
    out of the background. ``tests/test_interactive.py`` checks blitted frames
    against full draws pixel by pixel.
    """

    def __init__(self, fig: Figure) -> None:
        from matplotlib.axes import Axes
        from matplotlib.axis import Axis
        from matplotlib.collections import Collection
        from matplotlib.image import AxesImage
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch
        from matplotlib.spines import Spine
        from matplotlib.text import Text

        self._Axes, self._Axis, self._Spine = Axes, Axis, Spine
        self._safe = (Line2D, Collection, Patch, Text, AxesImage)
        self.fig = fig
        self.dynamic: list[Any] = []  # in drawing order
        self._bg: Any = None
        self._key: Any = None
        self.blits = 0  # counters, for tests and the benchmark
        self.full_draws = 0

    def _parent_order(self, parent: Any) -> list[Any]:
        """What ``parent.draw`` draws, in its order (as in ``Axes.draw``: no
        patch, no spines without a frame, no Axis objects with the axis off)."""
        children = [a for a in parent.get_children() if a is not getattr(parent, "patch", None)]
        if isinstance(parent, self._Axes):
            if not (parent.axison and parent.get_frame_on()):
                children = [a for a in children if not isinstance(a, self._Spine)]
            if not parent.axison:
                children = [a for a in children if not isinstance(a, self._Axis)]
        return sorted(children, key=lambda a: a.get_zorder())  # stable sort, like Axes.draw

    def _walk(self) -> list[Any]:
        """Every artist of the figure. Like ``fig.findobj()`` but an Axis'
        children are its existing ticks: ``Axis.get_children`` would run the
        tick locator, which costs more than the whole blit."""
        out: list[Any] = []
        stack = list(self.fig.get_children())
        while stack:
            a = stack.pop()
            out.append(a)
            if isinstance(a, self._Axis):
                stack.extend([a.label, a.offsetText, *a.majorTicks, *a.minorTicks])
            else:
                stack.extend(a.get_children())
        return out

    def _changed(self) -> list[Any]:
        return [a for a in self._walk() if a.stale and not isinstance(a, self._Axes)]

    def _limits(self) -> tuple:
        """What the background depends on besides the non-dynamic artists:
        view limits, scales, positions, and each axis' locators and formatters
        (compared by identity; ``set_xticks`` and friends install new ones).
        ``set_ylim`` marks an Axis stale even when nothing changes; comparing
        this key tells whether it really did. Not detected: mutating a locator
        in place (``locator.set_params``) -- call ``set_major_locator`` instead.
        """
        key = []
        for ax in self.fig.axes:
            key.append(
                (
                    tuple(ax.viewLim.bounds),
                    ax.get_xscale(),
                    ax.get_yscale(),
                    tuple(ax.get_position().bounds),
                    ax.get_visible(),
                    ax.axison,
                    ax.get_frame_on(),
                )
            )
            for axis in (ax.xaxis, ax.yaxis):
                # the objects themselves (identity; holding them keeps ids from being reused)
                key.append(
                    (
                        axis.get_major_locator(),
                        axis.get_major_formatter(),
                        axis.get_minor_locator(),
                        axis.get_minor_formatter(),
                    )
                )
        return tuple(key)

    def _placement(self, a: Any) -> Any:
        """The parent (an Axes or the Figure) that draws ``a`` directly, or None."""
        if not isinstance(a, self._safe) or isinstance(a, (self._Axis, self._Spine)):
            return None
        ax = a.axes
        if ax is not None and a is not ax.patch and any(c is a for c in ax.get_children()):
            # only top-level, visible axes (inset axes are drawn by their parent)
            return ax if ax.get_visible() and any(ax is b for b in self.fig.axes) else None
        if ax is None and a is not self.fig.patch and any(c is a for c in self.fig.get_children()):
            return self.fig
        return None

    def _clipped_to_axes(self, a: Any, ax: Any) -> bool:
        """True if ``a`` can only paint inside the (rectangular) Axes ``ax``."""
        from matplotlib.patches import Rectangle
        from matplotlib.transforms import TransformedPatchPath

        if not a.get_clip_on() or not isinstance(ax.patch, Rectangle):
            return False
        cp = a.get_clip_path()
        if cp is not None:
            return isinstance(cp, TransformedPatchPath) and getattr(cp, "_patch", None) is ax.patch
        box = a.get_clip_box()
        if box is None:
            return False
        (x0, y0), (x1, y1) = box.get_points()
        (X0, Y0), (X1, Y1) = ax.bbox.get_points()
        return x0 >= X0 - 0.5 and y0 >= Y0 - 0.5 and x1 <= X1 + 0.5 and y1 <= Y1 + 0.5

    def _may_paint_inside(self, c: Any, ax: Any) -> bool:
        """Whether sibling ``c`` may paint over the interior of ``ax``.

        Axis objects paint inside only through grid lines or inward ticks (tick
        labels are outside); texts such as titles are tested by extent. Such
        siblings need not be redrawn above a changed artist clipped to the
        axes, which is what makes blitting cheap (no text layout).
        """
        from matplotlib.text import Text
        from matplotlib.ticker import NullLocator

        if isinstance(c, self._Axis):
            for ticks, locator in ((c.get_major_ticks(1), c.get_major_locator()), (c.get_minor_ticks(1), c.get_minor_locator())):
                if isinstance(locator, NullLocator):
                    continue
                t = ticks[0]
                if t.gridline.get_visible() or t.get_tickdir() != "out":
                    return True
            return False
        if type(c) is Text:
            if not c.get_visible() or not c.get_text():
                return False
            ext = c.get_window_extent(self.fig.canvas.get_renderer())
            return ext.overlaps(ax.bbox.padded(2))
        return True

    def _extend_dynamic(self, changed: list[Any]) -> None:
        """Add the blittable changed artists (and what is drawn above them)
        to the dynamic set; others are simply part of the next background."""
        dyn = {id(a) for a in self.dynamic}
        for a in changed:
            p = self._placement(a)
            if p is None or id(a) in dyn:
                continue
            order = self._parent_order(p)
            pos = next(i for i, c in enumerate(order) if c is a)
            prune = p is not self.fig and self._clipped_to_axes(a, p)
            if p is not self.fig and not prune:
                # unclipped (a title, a text): it must not reach into another axes,
                # which a full draw could paint over it
                ext = a.get_window_extent(self.fig.canvas.get_renderer())
                if any(b is not p and b.bbox.overlaps(ext) for b in self.fig.axes):
                    continue
            above = [c for c in order[pos:] if c is a or not prune or self._may_paint_inside(c, p)]
            if any(isinstance(c, self._Axes) for c in above):
                continue  # an inset or overlapping axes above it: leave it to full draws
            for c in above:
                if id(c) not in dyn:
                    dyn.add(id(c))
                    c.set_animated(True)
        # drawing order: axes in figure order, then figure-level artists
        ordered = []
        for p in [*self.fig.axes, self.fig]:
            ordered.extend(c for c in self._parent_order(p) if id(c) in dyn and self._owner(c) is p)
        self.dynamic = ordered

    def _owner(self, a: Any) -> Any:
        return a.axes if a.axes is not None else self.fig

    def draw(self, dpi: float) -> None:
        canvas = self.fig.canvas
        # Axis objects go stale on any set_xlim/set_ylim; whether their
        # appearance changed is decided by the key below.
        changed = [a for a in self._changed() if not isinstance(a, self._Axis)]
        key = (dpi, self._limits())
        dyn = {id(a) for a in self.dynamic}
        if (
            self._bg is not None
            and key == self._key
            and all(id(a) in dyn for a in changed)
        ):
            canvas.restore_region(self._bg)
            self.blits += 1
        else:
            self.full_draws += 1
            if key != self._key:
                # limits, ticks, visibility or frame changed: start the dynamic
                # set afresh from what this update changed
                for a in self.dynamic:
                    a.set_animated(False)
                self.dynamic = []
            self._extend_dynamic(changed)
            canvas.draw()  # everything except the dynamic (animated) artists
            self._bg = canvas.copy_from_bbox(self.fig.bbox)
            self._key = (dpi, self._limits())
        for a in self.dynamic:
            self.fig.draw_artist(a)
        self.mark_clean()

    def mark_clean(self) -> None:
        """Forget staleness left by drawing (ticks are re-set on every draw),
        so that after the next ``update`` the stale artists are exactly the
        ones it changed. Uses ``_stale`` to avoid stale callbacks."""
        for a in self._walk():
            a._stale = False
        self.fig._stale = False

    class _AllDrawn:
        def __init__(self, blitter: "_Blitter") -> None:
            self.b = blitter

        def __enter__(self) -> None:
            for a in self.b.dynamic:
                a.set_animated(False)

        def __exit__(self, *exc: Any) -> None:
            for a in self.b.dynamic:
                a.set_animated(True)
            # the cached background (a copy) stays valid: it never held them

    def all_drawn(self) -> "_Blitter._AllDrawn":
        return self._AllDrawn(self)


def _release_from_pyplot(fig: Figure) -> None:
    """Close ``fig`` in pyplot if pyplot manages it, so the notebook does not
    also show it as a static image at the end of the cell."""
    import sys

    if "matplotlib.pyplot" not in sys.modules:
        return
    from matplotlib._pylab_helpers import Gcf

    for num, manager in list(Gcf.figs.items()):
        if manager.canvas.figure is fig:
            Gcf.destroy(num)


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def _alt_with_values(alt: str, labels: Sequence[str], texts: Sequence[str]) -> str:
    return alt + " (" + ", ".join(f"{lab} = {t}" for lab, t in zip(labels, texts)) + ")"


# The player: reads its JSON, un-hides the controls, and on every "input"
# event (mouse drag, click, keyboard) swaps the image to the frame of the
# current grid point. ES5 only, no globals, one instance per figure id.
_PLAYER_JS = r"""(function(){
var root=document.getElementById("__UID__");if(!root||root.dataset.ready)return;root.dataset.ready="1";
var d=JSON.parse(document.getElementById("__UID__-data").textContent);
var img=document.getElementById("__UID__-img");var box=root.querySelector(".relulab-if-controls");
var ins=[],outs=[],i;
for(i=0;i<d.shape.length;i++){ins.push(document.getElementById("__UID__-c"+i));outs.push(document.getElementById("__UID__-c"+i+"-out"));}
function show(){var k=0,parts=[];for(var j=0;j<ins.length;j++){var v=parseInt(ins[j].value,10);k=k*d.shape[j]+v;
var t=d.text[j][v];outs[j].value=t;outs[j].textContent=t;ins[j].setAttribute("aria-valuetext",t);parts.push(d.labels[j]+" = "+t);}
img.src="data:image/webp;base64,"+d.frames[d.index[k]];img.alt=d.alt+" ("+parts.join(", ")+")";}
for(i=0;i<ins.length;i++){ins[i].addEventListener("input",show);ins[i].addEventListener("change",show);}
box.hidden=false;show();
})();"""


def interactive_figure(
    setup: Callable[[], tuple[Figure, Callable[..., Any]]],
    controls: Mapping[str, Union[Sequence[float], np.ndarray]],
    *,
    labels: Union[Mapping[str, str], None] = None,
    alt: str,
    initial: Union[Mapping[str, float], None] = None,
) -> InteractiveFigure:
    """Build a figure whose sliders work live in Jupyter and on the static site.

    ``setup()`` creates the figure once and returns ``(fig, update)``;
    ``update(**values)`` receives one keyword per control (a value from that
    control's grid: a Python ``int`` if the grid has an integer dtype, else a
    ``float``) and changes the artists in place. The result displays
    as live ipywidgets sliders in a kernel and as a precomputed-frame player on
    the website (see the module docstring). Make it the last expression of a
    cell.

    Args:
        setup: zero-argument callable returning ``(matplotlib Figure, update)``.
            Use a Figure not managed by pyplot (``relulab.plots.figure``).
        controls: ``{name: values}``; each ``values`` is a 1D sequence of at
            least 2 distinct finite real numbers, shape ``(n_i,)``, shown in
            the given order. The website
            stores one frame per grid point, ``prod(n_i)`` frames in all
            (at most :data:`MAX_FRAMES`; aim for about 100).
        labels: optional visible label per control (keys must be controls);
            defaults to the control name.
        alt: what the figure shows, for readers who cannot see it (non-empty).
        initial: optional ``{name: value}`` shown first; each value must be on
            its grid. Defaults to the first value of each grid.

    Returns:
        An :class:`InteractiveFigure`.

    Raises:
        TypeError: ``setup`` is not callable, returns something other than
            ``(Figure, callable)``, or an argument has the wrong type.
        ValueError: empty or malformed controls, labels/initial naming unknown
            controls, empty alt text, too many frames; later, when frames are
            rendered, a control that never changes the figure.

    >>> import numpy as np
    >>> from relulab.plots import figure
    >>> def setup():
    ...     fig, ax = figure(figsize=(3, 2))
    ...     x = np.linspace(-1, 1, 5)
    ...     (line,) = ax.plot(x, x)
    ...     ax.set_ylim(-2, 2)
    ...     def update(a, b):
    ...         line.set_ydata(a * x + b)
    ...     return fig, update
    >>> f = interactive_figure(setup, {"a": [0, 1], "b": [-1, 0, 1]},
    ...                        labels={"a": "slope a"}, alt="a line", initial={"b": 0})
    >>> f.shape, len(f.frames), f.initial
    ((2, 3), 6, {'a': 0, 'b': 1})
    >>> interactive_figure(setup, {}, alt="a line")
    Traceback (most recent call last):
    ...
    ValueError: controls must not be empty...
    """
    if not callable(setup):
        _validate.fail(TypeError, "setup", "be a callable returning (Figure, update)", type(setup).__name__)
    grids = _check_controls(controls)
    n_frames = math.prod(len(g) for g in grids.values())
    if n_frames > MAX_FRAMES:
        _validate.fail(ValueError, "controls", f"span at most {MAX_FRAMES} grid points (about 100 keeps pages "
                       "light: use coarser grids)",
                       f"{n_frames} grid points (shape {tuple(len(g) for g in grids.values())})")
    label_map = _check_labels(labels, grids)
    if not isinstance(alt, str) or not alt.strip():
        _validate.fail(ValueError, "alt", "be a non-empty string describing the figure", repr(alt))
    init = _check_initial(initial, grids)
    result = setup()
    if not (isinstance(result, tuple) and len(result) == 2):
        _validate.fail(TypeError, "setup()", "return a tuple (Figure, update)", type(result).__name__)
    fig, update = result
    if not isinstance(fig, Figure):
        _validate.fail(TypeError, "setup()", "return a matplotlib Figure first", type(fig).__name__)
    if not callable(update):
        _validate.fail(TypeError, "setup()", "return a callable update second", type(update).__name__)
    return InteractiveFigure(fig, update, grids, label_map, alt.strip(), init)
