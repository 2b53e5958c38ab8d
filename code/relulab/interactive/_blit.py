"""Blitting for :mod:`relulab.interactive`: redraw only what ``update`` changed.

Private module. It relies on matplotlib internals that are stable across 3.x (the
``_stale`` flag, ``Axes.get_children`` order, ``copy_from_bbox``/``restore_region``);
everything else in :mod:`relulab.interactive` uses public matplotlib API only.
"""

from __future__ import annotations

from typing import Any, cast

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["Blitter"]


class Blitter:
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
    against full draws pixel by pixel, and that the steps it expects to blit do.
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
        self.blits = 0  # how many draws were blitted, and how many were full draws
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

    @property
    def canvas(self) -> FigureCanvasAgg:
        """The figure's Agg canvas (``InteractiveFigure`` attaches one to every figure it takes)."""
        return cast(FigureCanvasAgg, self.fig.canvas)

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
        key: list[tuple[Any, ...]] = []
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
            for ticks, locator in (
                (c.get_major_ticks(1), c.get_major_locator()),
                (c.get_minor_ticks(1), c.get_minor_locator()),
            ):
                if isinstance(locator, NullLocator):
                    continue
                t = ticks[0]
                if t.gridline.get_visible() or t.get_tickdir() != "out":
                    return True
            return False
        if type(c) is Text:
            if not c.get_visible() or not c.get_text():
                return False
            ext = c.get_window_extent(self.canvas.get_renderer())
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
                ext = a.get_window_extent(self.canvas.get_renderer())
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
        ordered: list[Any] = []
        for p in [*self.fig.axes, self.fig]:
            ordered.extend(c for c in self._parent_order(p) if id(c) in dyn and self._owner(c) is p)
        self.dynamic = ordered

    def _owner(self, a: Any) -> Any:
        return a.axes if a.axes is not None else self.fig

    def draw(self, dpi: float) -> None:
        canvas = self.canvas
        # Axis objects go stale on any set_xlim/set_ylim; whether their
        # appearance changed is decided by the key below.
        changed = [a for a in self._changed() if not isinstance(a, self._Axis)]
        key = (dpi, self._limits())
        dyn = {id(a) for a in self.dynamic}
        if self._bg is not None and key == self._key and all(id(a) in dyn for a in changed):
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
        self.fig._stale = False  # type: ignore[attr-defined]  # private: set without stale callbacks

    def draw_all(self) -> None:
        """A plain full draw of every artist (the reference a blit must match); the cached
        background, a copy that never held the dynamic artists, stays valid."""
        for a in self.dynamic:
            a.set_animated(False)
        try:
            self.canvas.draw()
            self.mark_clean()
        finally:
            for a in self.dynamic:
                a.set_animated(True)
