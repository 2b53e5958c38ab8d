"""Numbers for the prose: how a computed value is written in a sentence of a chapter.

A chapter glues its numbers into the text instead of typing them. Small and large ones read
better as a power of ten than in e-notation: ``2.9e-03`` is written ``2.9 × 10⁻³``.
:func:`times_ten` is the one formatter every chapter uses for that, so the same number is
written the same way on every page.

    >>> times_ten(2.9e-3)
    '2.9 × 10⁻³'
    >>> times_ten(0.16, fixed_range=(-2, 2))
    '0.16'
"""

from __future__ import annotations

from typing import Any

from . import _validate

__all__ = ["times_ten"]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_MAX_DIGITS = 16  # digits after the point: 17 significant digits, all that a float64 holds


def times_ten(
    x: Any,
    digits: int = 1,
    *,
    fixed_range: tuple[int, int] | None = None,
    trim: bool = False,
    bare_power: bool = False,
) -> str:
    """Write the number ``x`` for a sentence: ``m × 10ᵉ``, or fixed point where it reads better.

    The number is first rounded to ``digits + 1`` significant digits, as ``f"{x:.{digits}e}"``
    does; its exponent ``e`` is that of the rounded number, so ``9.96e-3`` becomes
    ``1.0 × 10⁻²`` (never ``10.0 × 10⁻³``). The mantissa keeps ``digits`` digits after the
    point (trailing zeros included: ``1.0 × 10⁻⁶``), the exponent is written in Unicode
    superscripts with a minus sign ``⁻``, and a negative number starts with ``-``.

    If ``fixed_range = (low, high)`` is given and ``low <= e <= high``, the number is written in
    fixed point instead, with ``max(digits - e, 0)`` digits after the point: the same
    significant digits (``0.016``, ``0.16``, ``1.6``, ``16``), or every digit of the integer part
    when it has more (``163``). Zero has exponent 0: it is written in fixed point (``0.0``) when
    ``fixed_range`` contains 0, and as ``0`` otherwise (``0.0 × 10⁰`` says nothing). A negative
    zero is written as zero.

    Args:
        x: a finite real number: a Python or NumPy scalar, or an array holding one value.
        digits: digits after the point of the mantissa, ``0`` to ``16`` (``0`` gives ``4 × 10⁻¹⁶``).
        fixed_range: ``(low, high)``, the integer exponents written in fixed point, ends included;
            ``(-2, 2)`` writes ``0.010`` to ``990`` in fixed point. ``None``: only zero is.
        trim: drop the trailing zeros of a number written in fixed point, and a point left bare
            (``0.50`` -> ``0.5``, ``2.0`` -> ``2``, ``0.0`` -> ``0``); the mantissa of
            ``m × 10ᵉ`` keeps its zeros.
        bare_power: write a mantissa of 1 (after rounding) as the bare power: ``10⁻⁶`` and
            ``-10⁻⁶`` rather than ``1.0 × 10⁻⁶`` and ``-1.0 × 10⁻⁶``.

    Returns:
        The text, with no e-notation; ``×`` is U+00D7 and ``-`` is the ASCII hyphen-minus.

    Raises:
        TypeError: if ``x`` is not a real number (a string, a bool, a complex number, an array
            of several values or of bools), ``digits`` is not an integer, ``fixed_range`` is not
            a pair of integers, or ``trim`` or ``bare_power`` is not a bool.
        ValueError: if ``x`` is nan or infinite, ``digits`` is outside ``0..16``, or
            ``fixed_range`` has ``low > high``.

    >>> times_ten(1.6e-15)
    '1.6 × 10⁻¹⁵'
    >>> times_ten(-4.04e-16, 0)
    '-4 × 10⁻¹⁶'
    >>> times_ten(9.96e-3)
    '1.0 × 10⁻²'
    >>> times_ten(1e-6, bare_power=True)
    '10⁻⁶'
    >>> [times_ten(v, fixed_range=(-2, 2)) for v in (0.0094, 0.00996, 0.5, 163.0, 1630.0)]
    ['9.4 × 10⁻³', '0.010', '0.50', '163', '1.6 × 10³']
    >>> times_ten(0.50, fixed_range=(-3, 2), trim=True)
    '0.5'
    >>> times_ten(float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: x must be a finite real number, got nan
    """
    value = _validate.number(x, "x")
    digits = _validate.integer(digits, "digits", expected=f"an integer from 0 to {_MAX_DIGITS}")
    _validate.check(0 <= digits <= _MAX_DIGITS, "digits", f"be an integer from 0 to {_MAX_DIGITS}", str(digits))
    if fixed_range is not None:
        low, high = _validate.pair(
            fixed_range, "fixed_range", _validate.integer, expected="a pair (low, high) of integer exponents"
        )
        _validate.check(low <= high, "fixed_range", "have low <= high", repr(tuple(fixed_range)))
    trim = _validate.boolean(trim, "trim")
    bare_power = _validate.boolean(bare_power, "bare_power")

    value = value + 0.0  # -0.0 + 0.0 is 0.0: a negative zero is written as zero
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    e = int(exponent)
    if fixed_range is not None and low <= e <= high:
        text = f"{value:.{max(digits - e, 0)}f}"
        return text.rstrip("0").rstrip(".") if trim and "." in text else text
    if value == 0:
        return "0"
    power = "10" + str(e).translate(_SUPERSCRIPT)
    sign, magnitude = ("-", mantissa[1:]) if mantissa.startswith("-") else ("", mantissa)
    if bare_power and float(magnitude) == 1:
        return sign + power
    return f"{mantissa} × {power}"
