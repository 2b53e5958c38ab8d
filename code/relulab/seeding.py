"""One seed for the whole book: every random draw in the chapters derives from it.

The book seed is read from the environment variable ``RELULAB_SEED`` (default ``0``).
Chapters never write ``jax.random.key(3)`` or ``np.random.default_rng(1)``; they ask for a
*stream* of the book seed instead::

    key = seeding.key("race")          # a JAX PRNG key
    rng = seeding.rng("digits-split")  # a NumPy generator

A stream is named by a string (or a non-negative int) so that adding a new draw to a chapter
leaves every other draw unchanged. ``RELULAB_SEED=3 make book`` rebuilds the book with every
stream shifted at once: numbers move, and the chapters' checks make sure no verdict does.

    >>> isinstance(book_seed(), int)
    True
    >>> import jax
    >>> bool((jax.random.key_data(key("demo")) == jax.random.key_data(key("demo"))).all())
    True
    >>> int(rng("demo").integers(10**6)) == int(rng("demo").integers(10**6))
    True
"""

from __future__ import annotations

import os
import re
import zlib

import jax
import numpy as np

from . import _validate

__all__ = ["ENV_VAR", "book_seed", "key", "rng", "stream_id"]

ENV_VAR = "RELULAB_SEED"


def book_seed() -> int:
    """The book's seed: ``int(os.environ["RELULAB_SEED"])``, or ``0`` when it is unset.

    Returns:
        A non-negative integer.

    Raises:
        ValueError: if ``RELULAB_SEED`` is set but is not a non-negative integer.
    """
    raw = os.environ.get(ENV_VAR, "").strip()
    if raw == "":
        return 0
    value = int(raw) if re.fullmatch(r"[+-]?[0-9]+", raw) else -1  # an environment variable is always text
    _validate.check(value >= 0, ENV_VAR, "be a non-negative integer", repr(raw))
    return value


def stream_id(stream: str | int) -> int:
    """A stable 31-bit integer for a stream name (CRC-32 of its UTF-8 text), or the int itself.

    Args:
        stream: a name such as ``"race"``, or a non-negative int below 2**31.

    Raises:
        TypeError: if ``stream`` is neither a str nor an int.
        ValueError: if it is an empty (or blank) string or an int outside ``[0, 2**31)``.

    >>> stream_id(5), stream_id("race") == stream_id("race")
    (5, True)
    """
    expected = "a stream name (a non-empty str) or an int in [0, 2**31)"
    if isinstance(stream, str):
        return zlib.crc32(_validate.string(stream, "stream", expected=expected).encode("utf-8")) & 0x7FFFFFFF
    stream = _validate.integer(stream, "stream", minimum=0, expected=expected)
    _validate.check(stream < 2**31, "stream", "be " + expected, str(stream))
    return stream


def key(stream: str | int = 0) -> jax.Array:
    """A JAX PRNG key for ``stream``, derived from the book seed.

    ``fold_in(key(book_seed()), stream_id(stream))``: distinct streams give independent keys,
    and the same stream gives the same key on every call and in every chapter.

    Args:
        stream: the draw's name (or a non-negative int).

    Returns:
        A typed PRNG key (``jax.random.key``), ready for ``jax.random.split``.
    """
    return jax.random.fold_in(jax.random.key(book_seed()), stream_id(stream))


def rng(stream: str | int = 0) -> np.random.Generator:
    """A NumPy random generator for ``stream``, derived from the book seed.

    Args:
        stream: the draw's name (or a non-negative int).

    Returns:
        ``np.random.default_rng([book_seed(), stream_id(stream)])``.
    """
    return np.random.default_rng([book_seed(), stream_id(stream)])
