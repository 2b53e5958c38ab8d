"""Image encoding for :mod:`relulab.interactive`: a fast PNG for live steps, small WebP frames for the site.

Private module.

* :func:`png` writes an RGB image as PNG with NumPy and zlib: the "up" filter (each row minus
  the row above, which turns the flat areas of a plot into zeros) and zlib level 1. On a
  700 x 300 plot it takes about 1.5 ms of CPU against 5-6 ms for Pillow's encoder (which
  tries every filter on every row), for a file of about the same size.
* :class:`FrameEncoder` encodes the website frames of one figure, each in the smaller of the
  formats that keep it crisp, measured: lossless WebP of the image reduced to a 64-colour
  palette (line plots: a handful of colours plus anti-aliasing shades), allowed only when the
  palette changes pixels by at most :data:`PALETTE_MAX_ERROR` on average, and lossy WebP at
  quality :data:`LOSSY_QUALITY` (heatmaps and smooth colour maps, where a palette would band).
  Both are tried on every frame until the palette has won :data:`SETTLE_AFTER` frames in a row
  by a wide margin; from then on (frames of one figure look alike) the lossy encoding is only
  tried for a frame the palette cannot represent, which halves the encoding time of a line plot.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np

__all__ = ["LOSSY_QUALITY", "PALETTE_COLOURS", "PALETTE_MAX_ERROR", "SETTLE_AFTER", "FrameEncoder", "png"]

PALETTE_COLOURS = 64
"""Colours of the palette tried for lossless WebP frames."""

PALETTE_MAX_ERROR = 1.5
"""Largest mean absolute change (0-255 scale) the palette may make for a frame to use it."""

LOSSY_QUALITY = 80
"""Quality of lossy WebP frames (mean error about 1/255 on a heatmap)."""

SETTLE_AFTER = 3
"""Frames in a row the palette must win (by a factor :data:`WIDE_MARGIN`) before the lossy
encoding stops being tried on frames the palette represents well."""

WIDE_MARGIN = 1.5


def _chunk(tag: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + tag + payload + struct.pack(">I", zlib.crc32(tag + payload))


def png(rgb: np.ndarray, level: int = 1) -> bytes:
    """PNG bytes of an ``(h, w, 3)`` uint8 image (8-bit RGB, "up" filter on every row).

    >>> from PIL import Image
    >>> img = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)
    >>> bool((np.asarray(Image.open(io.BytesIO(png(img)))) == img).all())
    True
    """
    h, w, _ = rgb.shape
    rows = np.ascontiguousarray(rgb, dtype=np.uint8).reshape(h, 3 * w)
    raw = np.empty((h, 3 * w + 1), dtype=np.uint8)
    raw[:, 0] = 2  # filter type "up"; the first row is taken against a row of zeros
    raw[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=raw[1:, 1:])  # uint8 arithmetic wraps mod 256, as PNG wants
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw.tobytes(), level))
        + _chunk(b"IEND", b"")
    )


class FrameEncoder:
    """Encodes the frames of one figure as WebP, each in the smaller crisp format (module docstring).

    >>> enc = FrameEncoder()
    >>> data = enc.encode(np.full((8, 8, 3), 255, dtype=np.uint8))
    >>> data[:4], data[12:16], enc.lossless, enc.lossy
    (b'RIFF', b'VP8L', 1, 0)
    """

    def __init__(self) -> None:
        self.lossless = 0  # frames stored lossless (palette) and lossy, so far
        self.lossy = 0
        self._wins = 0  # frames in a row on which the palette won by a wide margin

    def encode(self, rgb: np.ndarray) -> bytes:
        """The WebP bytes of an ``(h, w, 3)`` uint8 frame."""
        from PIL import Image

        image = Image.fromarray(rgb)
        pal = image.quantize(PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        lossless = None
        if np.abs(np.asarray(pal.convert("RGB"), dtype=np.int16) - rgb).mean() <= PALETTE_MAX_ERROR:
            buf = io.BytesIO()
            pal.save(buf, format="webp", lossless=True, method=1, quality=50)
            lossless = buf.getvalue()
            if self._wins >= SETTLE_AFTER:
                self.lossless += 1
                return lossless
        buf = io.BytesIO()
        image.save(buf, format="webp", quality=LOSSY_QUALITY, method=4)
        lossy = buf.getvalue()
        self._wins = self._wins + 1 if lossless is not None and WIDE_MARGIN * len(lossless) <= len(lossy) else 0
        if lossless is not None and len(lossless) <= len(lossy):
            self.lossless += 1
            return lossless
        self.lossy += 1
        return lossy
