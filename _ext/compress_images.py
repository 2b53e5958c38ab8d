"""Sphinx extension: store the book's PNG figures with a 256-colour palette when that is faithful.

Matplotlib writes full-colour PNGs, but a plot uses few colours: re-encoded with a palette of 256
colours (median cut, no dithering) a figure usually takes about a third of the bytes, which is most of
a chapter page's weight after the theme. Each image is checked against its original and replaced
only when it is opaque, the palette version is smaller, and it is faithful: a mean absolute error of
at most ``MAX_MEAN`` and a 99th-percentile error of at most ``MAX_P99`` (out of 255, worst channel per
pixel). A figure with smooth gradients or many colours fails the check and keeps its full colours.
Runs once, at the end of an HTML build, on ``_images/``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

__version__ = "1.0"

MAX_MEAN = 0.3
MAX_P99 = 8.0


def palette_png(data: bytes) -> bytes | None:
    """The PNG ``data`` re-encoded with a 256-colour palette, or ``None`` if that is not faithful or smaller."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if image.mode not in ("RGB", "RGBA"):
            return None
        pixels = np.asarray(image)
    if pixels.shape[2] == 4 and not (pixels[..., 3] == 255).all():
        return None
    rgb = Image.fromarray(np.ascontiguousarray(pixels[..., :3]))
    quantised = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    error = np.abs(pixels[..., :3].astype(np.int16) - np.asarray(quantised.convert("RGB")).astype(np.int16)).max(axis=2)
    if error.mean() > MAX_MEAN or np.percentile(error, 99) > MAX_P99:
        return None
    out = io.BytesIO()
    quantised.save(out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(data) else None


def compress_images(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / "_images"
    before = after = 0
    for path in sorted(folder.glob("*.png")):
        data = path.read_bytes()
        smaller = palette_png(data)
        before += len(data)
        if smaller is not None:
            path.write_bytes(smaller)
        after += len(smaller) if smaller is not None else len(data)
    if before:
        from sphinx.util import logging

        logging.getLogger(__name__).info(f"compress_images: _images/*.png {before // 1024} KiB -> {after // 1024} KiB")


def setup(app: Any) -> dict:
    app.connect("build-finished", compress_images)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
