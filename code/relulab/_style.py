"""The book's visual language, read from ``style.json`` (private module, no matplotlib).

``style.json`` is package data and the one place the colours, dashes, markers and text sizes
are written down: :mod:`relulab.plots` builds its matplotlib constants from it, the website
player takes its accent colours from it, and the JavaScript explorables read the same file.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

__all__ = ["style"]


@functools.cache
def style() -> dict[str, Any]:
    """The parsed ``style.json`` (cached; treat it as read-only)."""
    return json.loads(resources.files(__package__).joinpath("style.json").read_text(encoding="utf-8"))
