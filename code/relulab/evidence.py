"""Guards for the sentences a chapter states: a claim fails loudly when the evidence stops holding.

A chapter that writes "tanh reached the target at least as fast as ReLU" computes the race and
then calls :func:`require` with the condition that sentence needs. At another seed, on another
processor or with another JAX version the race may come out the other way; the build then stops
with a message naming the claim, instead of printing a sentence its own numbers contradict.

    >>> require("demo-claim", 2 > 1, "two is more than one")
    >>> require("demo-claim", 1 > 2, "one is more than two")
    Traceback (most recent call last):
    ...
    relulab.evidence.ClaimNotSupported: claim 'demo-claim' is not supported by this run: one is more than two
"""

from __future__ import annotations

import numpy as np

from . import _validate

__all__ = ["ClaimNotSupported", "require"]


class ClaimNotSupported(AssertionError):
    """Raised by :func:`require` when a stated claim is contradicted by the computation."""


def require(claim: str, condition: bool | np.bool_, what: str) -> None:
    """Stop with :class:`ClaimNotSupported` unless ``condition`` holds.

    Args:
        claim: the id of the claim or sentence the condition guards (a verdict box's id, or a
            short name for a sentence of the prose).
        condition: the computed condition the sentence needs; a Python or NumPy bool, or a
            0-d array holding one.
        what: what the sentence asserts, in words, for the error message.

    Raises:
        TypeError: if ``claim`` or ``what`` is not a string, or ``condition`` is not a boolean
            (a float or an integer array is a mistake, not a condition).
        ValueError: if ``claim`` or ``what`` is empty, or ``condition`` is an array of several
            booleans (reduce it with ``.all()`` or ``.any()`` first).
        ClaimNotSupported: if ``condition`` is false.
    """
    _validate.string(claim, "claim")
    _validate.string(what, "what")
    holds = _validate.boolean(condition, "condition", arrays=True)
    if not holds:
        raise ClaimNotSupported(f"claim {claim!r} is not supported by this run: {what}")
