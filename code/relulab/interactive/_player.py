"""The website view of :mod:`relulab.interactive`: a self-contained HTML player (private module).

The markup is built here; the script is ``player.js``, a file shipped with the package and
inlined into each figure (pages load no external asset).
"""

from __future__ import annotations

import base64
import functools
import html
import json
from collections.abc import Sequence
from importlib import resources

from .._style import style

__all__ = ["player_html", "player_js"]

_ACCENT, _FOCUS = style()["okabe_ito"]["blue"], style()["okabe_ito"]["vermillion"]  # slider and focus ring


@functools.cache
def player_js() -> str:
    """The player script (``player.js``, package data), without its leading comment lines."""
    text = resources.files(__package__).joinpath("player.js").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("//"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def player_html(
    uid: str,
    *,
    frames: Sequence[bytes],
    index: Sequence[int],
    shape: Sequence[int],
    texts: Sequence[Sequence[str]],
    labels: Sequence[str],
    alt: str,
    alt_now: str,
    initial: Sequence[int],
    size: tuple[int, int],
) -> str:
    """The player's HTML.

    Args:
        uid: a page-unique id for the figure.
        frames: the distinct encoded WebP frames.
        index: for each grid point, in C order over the controls, the index of its frame.
        shape: the grid shape (values per control).
        texts: for each control, the text of each of its values.
        labels: the visible label of each control.
        alt: the figure's alt text (without values); ``alt_now`` the same with the initial values.
        initial: the initial grid index of each control.
        size: displayed ``(width, height)`` in CSS pixels.
    """
    flat = 0
    for i, n in zip(initial, shape, strict=True):
        flat = flat * n + i
    first = frames[index[flat]]
    data = {
        "frames": [_b64(f) for f in frames],
        "index": list(index),
        "shape": list(shape),
        "text": [list(t) for t in texts],
        "labels": list(labels),
        "alt": alt,
    }
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    rows = []
    for i, (label, values) in enumerate(zip(labels, texts, strict=True)):
        cid, text = f"{uid}-c{i}", values[initial[i]]
        rows.append(
            f'<div class="relulab-if-row"><label for="{cid}">{html.escape(label)}</label>'
            f'<input type="range" id="{cid}" min="0" max="{len(values) - 1}" step="1" value="{initial[i]}" '
            f'aria-valuetext="{html.escape(text)}">'
            f'<output id="{cid}-out" for="{cid}">{html.escape(text)}</output></div>'
        )
    width, height = size
    return (
        f'<div class="relulab-interactive" id="{uid}" data-relulab-interactive="player">'
        f"<style>#{uid} .relulab-if-controls{{display:grid;gap:.25rem .75rem;"
        "grid-template-columns:max-content minmax(8rem,22rem) 4rem;align-items:center;margin:.5rem 0}"
        f"#{uid} .relulab-if-row{{display:contents}}"
        f"#{uid} .relulab-if-controls[hidden]{{display:none}}"
        f"#{uid} input[type=range]{{width:100%;margin:0;accent-color:{_ACCENT}}}"
        f"#{uid} input[type=range]:focus-visible{{outline:3px solid {_FOCUS};outline-offset:2px}}"
        f"#{uid} output{{font-variant-numeric:tabular-nums}}"
        f"#{uid} img{{max-width:100%;height:auto;display:block}}</style>"
        f'<img id="{uid}-img" width="{width}" height="{height}" decoding="async" alt="{html.escape(alt_now)}" '
        f'src="data:image/webp;base64,{_b64(first)}">'
        f'<div class="relulab-if-controls" role="group" aria-label="{html.escape("Controls: " + alt)}" hidden>'
        + "".join(rows)
        + "</div>"
        f'<script type="application/json" id="{uid}-data">{payload}</script>'
        f"<script>{player_js().replace('__UID__', uid)}</script>"
        "</div>"
    )
