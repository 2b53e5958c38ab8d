"""The :class:`Explorable` base class of :mod:`relulab.explorables` (private module; import it from there)."""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
from collections.abc import Sequence
from typing import Any, ClassVar

import anywidget
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import _validate
from ..interactive import _encode
from ._bundle import bundle, module_names

__all__ = ["FALLBACK_DPI", "Explorable", "params_json"]

FALLBACK_DPI: float = 125.0
"""Resolution of the no-JavaScript fallback image (1.25 device pixels per CSS pixel, as the players' frames)."""

_counter = itertools.count()
_BASE_TRAITS = frozenset(anywidget.AnyWidget.class_trait_names(sync=True))


def params_json(value: Any, name: str = "params", *, n_in: int | None = None, n_out: int | None = None) -> list:
    """MLP parameters checked by :func:`relulab._validate.finite_params`, as JSON-ready nested lists.

    ``[(W, b), ...]`` with ``W`` of shape ``(n_in, n_out)`` becomes ``[[W.tolist(), b.tolist()], ...]``
    (float64), the layout of the JavaScript core.
    """
    return [[W.tolist(), b.tolist()] for W, b in _validate.finite_params(value, name, n_in=n_in, n_out=n_out)]


class Explorable(anywidget.AnyWidget):
    """Base class of the book's explorables: one anywidget view, live in Jupyter and on the static website.

    A subclass names its front-end module and declares its state as synced traits::

        class MyExplorable(Explorable):
            _view = "my_view.mjs"                      # a file of this package: export default { render }
            params = traitlets.Any().tag(sync=True)    # state the view reads with model.get("params")

            def alt_text(self) -> str: ...             # what the initial state shows, for the fallback image
            def fallback_figure(self) -> Figure: ...   # the initial state drawn with matplotlib

    and gets:

    * **In a kernel** (JupyterLab, Notebook 7, VS Code, Binder): the live widget. Its ``_esm`` is the view
      with the modules it imports (``core.mjs``, ``ui.mjs``) inlined (:func:`relulab.explorables.bundle`).
      Setting a trait from Python (``w.params = trained``) re-renders the view; a drag in the view sets the
      trait in Python. Validate each trait with a ``@traitlets.validate`` method that raises ``TypeError`` or
      ``ValueError`` through :mod:`relulab._validate`, as every public function of relulab does.
    * **On the website** (no kernel): the cell's ``text/html`` output (:meth:`to_html`) is a
      ``<div data-relulab-explorable="my_view">`` with the state as JSON and the fallback image with its alt
      text. The book's Sphinx extension ``_ext/explorables.py`` copies the package's ``.mjs`` files to
      ``_static/explorables/`` and adds ``host.mjs`` as a ``type="module"`` script to the pages that have
      such a div; the host gives the view's ``render`` a minimal model over the JSON state. Without
      JavaScript the reader sees the image. myst-nb's HTML builder must prefer ``text/html`` over the
      widget view (``nb_mime_priority_overrides`` in ``_config.yml``); JupyterLab prefers the widget view.

    The view module follows anywidget: ``export default { render({ model, el }) }``, with the state read by
    ``model.get(name)``, changed by ``model.set(name, value)`` then ``model.save_changes()``, and watched
    with ``model.on("change:name", callback)``. Imports are relative, ``import * as core from
    "./core.mjs";`` or ``import { a, b } from "./ui.mjs";``.
    """

    _view: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_view" in cls.__dict__:
            if cls._view not in module_names():
                raise ValueError(
                    f"{cls.__name__}._view must name a module of relulab.explorables "
                    f"({', '.join(module_names())}), got {cls._view!r}"
                )
            cls._esm = bundle(cls._view)  # type: ignore[attr-defined]

    # ------------------------------------------------------------ to override
    def alt_text(self) -> str:
        """What the initial state shows, in words: the alt text of the fallback image."""
        raise NotImplementedError(f"{type(self).__name__} must define alt_text()")

    def fallback_figure(self) -> Figure:
        """The initial state drawn with matplotlib (a Figure not managed by pyplot, e.g. ``plots.figure``)."""
        raise NotImplementedError(f"{type(self).__name__} must define fallback_figure()")

    # ------------------------------------------------------------------ state
    @property
    def view_name(self) -> str:
        """The view's module name without ``.mjs``: the ``data-relulab-explorable`` value of the website div."""
        return self._view.removesuffix(".mjs")

    def state(self) -> dict[str, Any]:
        """The synced state the view reads (every synced trait the subclass declares), JSON-ready."""
        names = sorted(set(self.trait_names(sync=True)) - _BASE_TRAITS)
        return {n: getattr(self, n) for n in names if not n.startswith("_")}

    # ---------------------------------------------------------------- website
    def fallback_image(self) -> tuple[bytes, tuple[int, int]]:
        """The fallback image as WebP bytes and its displayed ``(width, height)`` in CSS pixels."""
        fig = self.fallback_figure()
        if not isinstance(fig, Figure):
            _validate.fail(TypeError, "fallback_figure()", "return a matplotlib Figure", type(fig).__name__)
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        fig.dpi = FALLBACK_DPI
        canvas.draw()
        rgb = np.asarray(canvas.buffer_rgba())[..., :3]
        width, height = fig.get_size_inches() * 100
        return _encode.FrameEncoder().encode(np.ascontiguousarray(rgb)), (round(width), round(height))

    def to_html(self) -> str:
        """The website's HTML for the current state: the host's div, the state as JSON, the fallback image."""
        state = json.dumps(self.state(), separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
        image, (width, height) = self.fallback_image()
        alt = self.alt_text()
        if not isinstance(alt, str) or not alt.strip():
            _validate.fail(ValueError, "alt_text()", "return a non-empty description of the figure", repr(alt))
        digest = hashlib.sha256(state.encode() + image).hexdigest()[:8]
        uid = f"relulab-ex-{self.view_name.replace('_', '-')}-{next(_counter)}-{digest}"
        return (
            f'<div class="relulab-explorable" id="{uid}" data-relulab-explorable="{self.view_name}">'
            f'<script type="application/json" class="relulab-explorable-state">{state}</script>'
            f'<figure class="relulab-explorable-fallback" style="margin:0">'
            f'<img src="data:image/webp;base64,{base64.b64encode(image).decode("ascii")}" width="{width}" '
            f'height="{height}" style="max-width:100%;height:auto" alt="{html.escape(alt.strip())}"></figure>'
            "</div>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:  # type: ignore[override]
        bundle_ = super()._repr_mimebundle_(**kwargs)
        if bundle_ is None:
            return None
        data, metadata = bundle_
        include: Sequence[str] | None = kwargs.get("include")  # type: ignore[assignment]
        exclude: Sequence[str] | None = kwargs.get("exclude")  # type: ignore[assignment]
        if (include is None or "text/html" in include) and (exclude is None or "text/html" not in exclude):
            data = {**data, "text/html": self.to_html()}
        return data, metadata
