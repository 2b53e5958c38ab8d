"""Numbers for the prose: how a computed value is written in a sentence of a chapter.

A chapter glues its numbers into the text instead of typing them. Small and large ones read
better as a power of ten than in e-notation: ``2.9e-03`` is written ``2.9 × 10⁻³``.
:func:`times_ten` is the one formatter every chapter uses for that, so the same number is
written the same way on every page.

    >>> times_ten(2.9e-3)
    '2.9 × 10⁻³'
    >>> times_ten(0.16, fixed_range=(-2, 2))
    '0.16'

A number whose size alone is the point can be said as a bound by a power of ten, with
:func:`bound_words`: ``1.8e8`` is "more than a hundred million", never rounded the unsafe way.
"""

from __future__ import annotations

import math
from typing import Any

from . import _validate

__all__ = ["bound_words", "times_ten"]

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


_SCALES = {
    0: "",
    3: "thousand",
    6: "million",
    9: "billion",
    12: "trillion",
    15: "million billion",
    18: "billion billion",
    21: "trillion billion",
}
_MAX_POWER = 23  # the largest power of ten the words above name


def _power_name(k: int) -> str:
    """10**k (k >= 0) in words, with its article: 'one', 'ten', 'a hundred', 'ten thousand', 'a million'."""
    lead, scale = ["", "ten", "hundred"][k % 3], _SCALES[k - k % 3]
    if k == 0:
        return "one"
    if lead == "ten":
        return f"ten {scale}".strip()
    return "a " + " ".join(w for w in (lead, scale) if w)


def bound_words(x: Any) -> str:
    """Bound the positive number ``x`` by a power of ten, in words, on the safe side.

    For ``x > 1`` the largest power ``10**k < x``: "more than ...", so ``1.8e8`` is "more than a
    hundred million" (not "about two hundred million"); for ``x < 1`` the smallest power
    ``10**-k > x``: "less than ...", so ``6.4e-10`` is "less than a billionth". The bound is
    never rounded the unsafe way: ``1000.0`` is "more than a hundred", ``0.001`` "less than a
    hundredth". Use it where the size is the point and the digits are not; glue
    :func:`times_ten` where the digits matter.

    Args:
        x: a positive, finite real number other than 1, from ``1e-24`` to ``1e24``.

    Returns:
        "more than ten", "more than a thousand", "more than ten million", "less than a tenth",
        "less than a ten-thousandth", "less than a billion-billionth", ...

    Raises:
        TypeError: if ``x`` is not a real number.
        ValueError: if ``x`` is not positive and finite, is 1, or has no power of ten named here
            (above ``1e24`` or below ``1e-24``).

    >>> bound_words(1.8e8)
    'more than a hundred million'
    >>> bound_words(1600.0)
    'more than a thousand'
    >>> bound_words(6.4e-10)
    'less than a billionth'
    >>> bound_words(4.5e-19)
    'less than a billion-billionth'
    >>> bound_words(1000.0)
    'more than a hundred'
    """
    value = _validate.number(x, "x", low=0, low_open=True, expected="a positive finite number other than 1")
    _validate.check(value != 1, "x", "be a positive finite number other than 1", "1")
    if value > 1:
        k = math.floor(math.log10(value))
        k += 10.0 ** (k + 1) < value  # log10 may fall short by one at large powers
        k -= 10.0**k >= value  # "more than": strictly
        _validate.check(k <= _MAX_POWER, "x", f"be at most 1e{_MAX_POWER + 1}", repr(value))
        return f"more than {_power_name(k)}"
    k = math.floor(-math.log10(value))  # 10**-k just above value
    k += 10.0 ** -(k + 1) > value  # log10 may fall short by one at small powers
    k -= 10.0**-k <= value  # "less than": strictly
    _validate.check(0 <= k <= _MAX_POWER, "x", f"be at least 1e-{_MAX_POWER + 1}", repr(value))
    if k == 0:
        return "less than one"
    name = _power_name(k).removeprefix("a ").replace(" ", "-")
    return f"less than a {name}th"
