"""Interactive figures that work live in Jupyter *and* on the static website.

One call, :func:`interactive_figure`, turns a drawing function plus a grid of
parameter values into an object that notebooks display in the best way the
frontend allows:

* **Live in a kernel** (JupyterLab, Notebook 7, Binder, VS Code): ipywidgets
  sliders, one per control, call the figure's ``update(**values)`` on every
  change; the figure is redrawn with Agg and sent as PNG to a ``widgets.Image``.
  ``update`` changes artists in place (``set_ydata``, ``set_data``...), the
  layout is frozen after the first draw, and only the changed artists are
  redrawn over a cached background (blitting; :attr:`InteractiveFigure.redraws`
  counts blits and full draws, and the tests compare blits with full draws pixel
  by pixel). The PNG is written by a small NumPy/zlib encoder, about four times
  faster than Pillow's. ``benchmarks/bench_interactive.py`` times a live step
  (compute + redraw + PNG).
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
* The player is about 1 kB of JavaScript (``player.js``, shipped with the
  package and inlined into the page) with no external dependency. It stays
  light: each frame is rendered at :data:`FRAME_DPI` and stored in the smaller of
  two WebP encodings measured on it (lossless with a 64-colour palette, allowed
  only where the palette leaves the image unchanged to the eye; lossy at quality
  80), and identical frames are stored once. It uses native range inputs, so Tab, arrow keys,
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

The package: ``_controls`` (argument checks and value texts), ``_figure``
(:class:`InteractiveFigure`: rendering, frames, the two views), ``_blit`` (the
blitter), ``_encode`` (PNG and WebP encoding), ``_player`` and ``player.js`` (the
website player). See :func:`interactive_figure` for an example.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .. import _validate
from ._controls import check_controls, check_initial, check_labels
from ._figure import CSS_PX_PER_INCH, FRAME_DPI, LIVE_DPI, InteractiveFigure

__all__ = ["CSS_PX_PER_INCH", "FRAME_DPI", "LIVE_DPI", "MAX_FRAMES", "InteractiveFigure", "interactive_figure"]

MAX_FRAMES: int = 400
"""Largest number of grid points (frames) one figure may have.

The book aims at about 100 frames per figure (fewer for large, busy figures) so that
pages stay light; ``benchmarks/bench_interactive.py --pages`` reports the bytes of
every player.
"""


def interactive_figure(
    setup: Callable[[], tuple[Figure, Callable[..., Any]]],
    controls: Mapping[str, Sequence[float] | np.ndarray],
    *,
    labels: Mapping[str, str] | None = None,
    alt: str,
    initial: Mapping[str, float] | None = None,
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
        TypeError: ``setup`` is not callable, returns something other than a pair
            ``(Figure, callable)``, or an argument has the wrong type (a control name or a
            label that is not a string, values that are not numbers).
        ValueError: empty or malformed controls, labels/initial naming unknown
            controls, empty alt text, too many frames, ``setup()`` returning a sequence of
            another length; later, when frames are rendered, a control that never changes
            the figure.

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
    ValueError: controls must be a dict mapping names to 1D sequences of numbers with at least 1 entry, got {}
    """
    _validate.function(setup, "setup", "be a callable returning (Figure, update)")
    grids = check_controls(controls)
    n_frames = math.prod(len(g) for g in grids.values())
    _validate.check(
        n_frames <= MAX_FRAMES,
        "controls",
        f"span at most {MAX_FRAMES} grid points (about 100 keeps pages light: use coarser grids)",
        f"{n_frames} grid points (shape {tuple(len(g) for g in grids.values())})",
    )
    label_map = check_labels(labels, grids)
    alt = _validate.string(alt, "alt", expected="a non-empty string describing the figure")
    init = check_initial(initial, grids)
    result = _validate.sequence(setup(), "the result of setup()", length=2, expected="a tuple (Figure, update)")
    fig, update = result
    _validate.instance(fig, Figure, "setup()[0]", "be a matplotlib Figure")
    _validate.function(update, "setup()[1]", "be a callable update(**values)")
    return InteractiveFigure(fig, update, grids, label_map, alt.strip(), init)
