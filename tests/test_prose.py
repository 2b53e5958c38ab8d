"""relulab.prose.times_ten: expected strings written out by hand, a property read back from the text
(hypothesis), and bad input."""

import math
import re
from decimal import Decimal

import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relulab.prose import bound_words, times_ten

SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


@pytest.mark.parametrize(
    ("x", "kwargs", "expected"),
    [
        # m × 10ᵉ, one digit after the point by default
        (2.9e-3, {}, "2.9 × 10⁻³"),
        (1.6e-15, {}, "1.6 × 10⁻¹⁵"),
        (-1.6e-15, {}, "-1.6 × 10⁻¹⁵"),
        (3.0e12, {}, "3.0 × 10¹²"),
        (1e-300, {}, "1.0 × 10⁻³⁰⁰"),
        (5.5, {}, "5.5 × 10⁰"),
        (4.04e-16, {"digits": 0}, "4 × 10⁻¹⁶"),
        (1.23456e-7, {"digits": 3}, "1.235 × 10⁻⁷"),
        # the mantissa rounds up to 10: the exponent moves, the mantissa never reads 10.0
        (9.96e-3, {}, "1.0 × 10⁻²"),
        (-9.96e-3, {}, "-1.0 × 10⁻²"),
        (9.6e-3, {"digits": 0}, "1 × 10⁻²"),
        (9.9996e-10, {"digits": 3}, "1.000 × 10⁻⁹"),
        (9.94e-3, {}, "9.9 × 10⁻³"),
        # zero has no exponent to show
        (0.0, {}, "0"),
        (-0.0, {}, "0"),
        (0, {"digits": 3}, "0"),
        (0.0, {"bare_power": True}, "0"),
        (0.0, {"fixed_range": (-2, 2)}, "0.0"),
        (-0.0, {"fixed_range": (-2, 2)}, "0.0"),
        (0.0, {"fixed_range": (-2, 2), "digits": 2}, "0.00"),
        (0.0, {"fixed_range": (-3, 2), "trim": True}, "0"),
        (0.0, {"fixed_range": (1, 2)}, "0"),
        # fixed point inside the range, with the same significant digits
        (0.16, {"fixed_range": (-2, 2)}, "0.16"),
        (0.5, {"fixed_range": (-2, 2)}, "0.50"),
        (-0.5, {"fixed_range": (-2, 2)}, "-0.50"),
        (16.3, {"fixed_range": (-2, 2)}, "16"),
        (163.0, {"fixed_range": (-2, 2)}, "163"),
        (2.0, {"fixed_range": (-2, 2), "digits": 2}, "2.00"),
        # the range's ends, judged on the rounded number
        (0.0094, {"fixed_range": (-2, 2)}, "9.4 × 10⁻³"),
        (0.0096, {"fixed_range": (-2, 2)}, "9.6 × 10⁻³"),
        (0.00996, {"fixed_range": (-2, 2)}, "0.010"),
        (0.01, {"fixed_range": (-2, 2)}, "0.010"),
        (994.0, {"fixed_range": (-2, 2)}, "994"),
        (996.0, {"fixed_range": (-2, 2)}, "1.0 × 10³"),
        (-996.0, {"fixed_range": (-2, 2)}, "-1.0 × 10³"),
        (1000.0, {"fixed_range": (-2, 2)}, "1.0 × 10³"),
        (0.001, {"fixed_range": (-3, 2)}, "0.0010"),
        (0.00099, {"fixed_range": (-3, 2)}, "9.9 × 10⁻⁴"),
        (5.0, {"fixed_range": (0, 0), "digits": 0}, "5"),
        (50.0, {"fixed_range": (0, 0), "digits": 0}, "5 × 10¹"),
        # trim: trailing zeros of a fixed-point number only
        (0.5, {"fixed_range": (-3, 2), "trim": True}, "0.5"),
        (0.001, {"fixed_range": (-3, 2), "trim": True}, "0.001"),
        (2.0, {"fixed_range": (-3, 2), "trim": True}, "2"),
        (10.0, {"fixed_range": (-3, 2), "trim": True}, "10"),
        (100.0, {"fixed_range": (-3, 2), "trim": True}, "100"),
        (-0.25, {"fixed_range": (-3, 2), "trim": True}, "-0.25"),
        (0.0045, {"fixed_range": (-3, 2), "trim": True}, "0.0045"),
        (1e-5, {"fixed_range": (-3, 2), "trim": True}, "1.0 × 10⁻⁵"),
        (1e-5, {"trim": True}, "1.0 × 10⁻⁵"),
        # bare_power: a mantissa of 1 after rounding is left out
        (1e-6, {"bare_power": True}, "10⁻⁶"),
        (-1e-6, {"bare_power": True}, "-10⁻⁶"),
        (1.04e-6, {"bare_power": True}, "10⁻⁶"),
        (9.96e-7, {"bare_power": True}, "10⁻⁶"),
        (1.06e-6, {"bare_power": True}, "1.1 × 10⁻⁶"),
        (1e-6, {"bare_power": True, "digits": 0}, "10⁻⁶"),
        (1e-6, {"bare_power": True, "digits": 2}, "10⁻⁶"),
        (1.004e-6, {"bare_power": True, "digits": 2}, "10⁻⁶"),
        (1.006e-6, {"bare_power": True, "digits": 2}, "1.01 × 10⁻⁶"),
        (1.0, {"bare_power": True}, "10⁰"),
        (1.0, {"bare_power": True, "fixed_range": (-2, 2)}, "1.0"),
        (5.1e-15, {"bare_power": True}, "5.1 × 10⁻¹⁵"),
    ],
)
def test_expected_strings(x, kwargs, expected):
    assert times_ten(x, **kwargs) == expected


def test_numpy_and_jax_scalars_read_like_python_floats():
    for x in (2.9e-3, -1.25e-7, 0.0, 0.16):
        kwargs = {"fixed_range": (-2, 2)}
        expected = times_ten(x, **kwargs)
        assert times_ten(np.float64(x), **kwargs) == expected
        assert times_ten(np.asarray(x), **kwargs) == expected
        single = float(np.float32(x))  # a float32 is written as the float64 it converts to, as f"{:e}" does
        assert times_ten(np.float32(x), **kwargs) == times_ten(single, **kwargs)
        assert times_ten(jnp.float32(x), **kwargs) == times_ten(single, **kwargs)
    assert times_ten(np.int64(-3000)) == "-3.0 × 10³"
    assert times_ten(12, fixed_range=(-2, 2)) == "12"


def _read_back(text):
    """The number a reader sees in the text (exactly, as a Decimal), and its exponent (None: fixed point)."""
    assert "e" not in text and "E" not in text, text
    m = re.fullmatch(r"(-?)(?:(\d+(?:\.\d+)?) × )?10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text)
    if m is None:
        assert re.fullmatch(r"-?\d+(\.\d+)?", text), text
        return Decimal(text), None
    sign, mantissa, exponent = m.groups()
    mantissa = mantissa or "1"
    assert 1 <= Decimal(mantissa) < 10, text
    e = int(exponent.translate(SUPERSCRIPTS))
    return Decimal(sign + mantissa).scaleb(e), e


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(x=finite, digits=st.integers(0, 6), low=st.integers(-6, 3), width=st.integers(0, 5), bare=st.booleans())
def test_the_text_reads_back_as_the_number_rounded(x, digits, low, width, bare):
    """Whatever the options, the text has no e-notation and is x rounded to the digits shown: within half a unit
    of the last digit shown, exactly (Decimal), with the exponent of the rounded number."""
    for fixed_range in (None, (low, low + width)):
        text = times_ten(x, digits, fixed_range=fixed_range, bare_power=bare)
        shown, e = _read_back(text)
        if x == 0:
            assert shown == 0 and text in ("0", "0." + "0" * max(digits, 0) if digits else "0"), text
            continue
        exact = Decimal(x)
        if e is None:  # fixed point: inside the range, with max(digits - e, 0) decimals
            rounded_e = shown.adjusted()
            assert fixed_range is not None and low <= rounded_e <= low + width, (x, text)
            decimals = len(text.split(".")[1]) if "." in text else 0
            assert decimals == max(digits - rounded_e, 0), (x, text)
            step = Decimal(1).scaleb(-decimals)
        else:
            assert shown.adjusted() == e, (x, text)  # the mantissa is in [1, 10)
            assert e in (exact.adjusted(), exact.adjusted() + 1), (x, text)  # rounding may carry into the next power
            assert fixed_range is None or not low <= e <= low + width, (x, text)
            step = Decimal(1).scaleb(e - digits)
        assert abs(shown - exact) <= step / 2, (x, text)
        assert (shown < 0) == (x < 0), (x, text)


def test_trim_drops_only_zeros_after_the_point():
    for x in (0.5, 0.05, 2.0, 10.0, 100.0, 0.0012, 35.0):
        full = times_ten(x, 2, fixed_range=(-3, 2))
        trimmed = times_ten(x, 2, fixed_range=(-3, 2), trim=True)
        assert float(full) == float(trimmed)
        assert full.startswith(trimmed)
        assert not trimmed.endswith(".") and (not trimmed.endswith("0") or "." not in trimmed)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((float("nan"),), {}, ValueError, "x must be a finite real number, got nan"),
        ((float("inf"),), {}, ValueError, "x must be a finite real number, got inf"),
        ((-math.inf,), {}, ValueError, "x must be a finite real number, got -inf"),
        ((np.float32("nan"),), {}, ValueError, "x must be a finite real number, got nan"),
        (("0.5",), {}, TypeError, "x must be a finite real number, got str '0.5'"),
        ((True,), {}, TypeError, "x must be a finite real number, got bool True"),
        ((None,), {}, TypeError, "x must be a finite real number, got None"),
        ((1j,), {}, TypeError, "x must be a finite real number, got complex 1j"),
        ((np.array([1.0, 2.0]),), {}, TypeError, "x must be a finite real number, got ndarray"),
        ((0.5, -1), {}, ValueError, "digits must be an integer from 0 to 16, got -1"),
        ((0.5, 17), {}, ValueError, "digits must be an integer from 0 to 16, got 17"),
        ((0.5, 1.0), {}, TypeError, "digits must be an integer from 0 to 16, got float 1.0"),
        ((0.5, True), {}, TypeError, "digits must be an integer from 0 to 16, got bool True"),
        ((0.5,), {"fixed_range": (2, -2)}, ValueError, "fixed_range must have low <= high, got (2, -2)"),
        ((0.5,), {"fixed_range": (-2.0, 2)}, TypeError, "fixed_range[0] must be an integer, got float -2.0"),
        ((0.5,), {"fixed_range": (-2, 2, 3)}, ValueError, "fixed_range must be a pair (low, high) of integer"),
        ((0.5,), {"fixed_range": 2}, TypeError, "fixed_range must be a pair (low, high) of integer"),
        ((0.5,), {"trim": "yes"}, TypeError, "trim must be True or False, got str 'yes'"),
        ((0.5,), {"bare_power": 1}, TypeError, "bare_power must be True or False, got int 1"),
    ],
)
def test_bad_input(args, kwargs, error, message):
    with pytest.raises(error) as info:
        times_ten(*args, **kwargs)
    assert str(info.value).startswith(message), str(info.value)


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (1.8e8, "more than a hundred million"),
        (1600.0, "more than a thousand"),
        (1000.0, "more than a hundred"),  # "more than" is strict: an exact power names the one below
        (1000.0000001, "more than a thousand"),
        (10.5, "more than ten"),
        (10.0, "more than one"),
        (2, "more than one"),
        (2.3e7, "more than ten million"),
        (3e21, "more than a trillion billion"),
        (1e24, "more than a hundred trillion billion"),
        (0.5, "less than one"),
        (0.1, "less than one"),
        (0.09, "less than a tenth"),
        (0.001, "less than a hundredth"),
        (0.00099, "less than a thousandth"),
        (3e-5, "less than a ten-thousandth"),
        (6.4e-10, "less than a billionth"),
        (4.5e-19, "less than a billion-billionth"),
        (1e-24, "less than a hundred-trillion-billionth"),
        (np.float32(2.5e-5), "less than a ten-thousandth"),
    ],
)
def test_bound_words(x, text):
    assert bound_words(x) == text


def test_bound_words_is_a_true_bound():
    """Over many magnitudes the named power is on the safe side of x and the tightest such power."""
    powers = {bound_words(10.0**k * 1.5): k for k in range(0, 24)}
    powers.update({bound_words(10.0**-k * 0.5): -k for k in range(0, 24)})
    for x in np.geomspace(1.0001e-24, 0.9999, 500).tolist() + np.geomspace(1.0001, 1e24, 500).tolist():
        k = powers[bound_words(x)]
        if x > 1:
            assert 10.0**k < x <= 10.0 ** (k + 1), (x, k)
        else:
            assert 10.0 ** (k - 1) <= x < 10.0**k, (x, k)


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        (1, ValueError, "x must be a positive finite number other than 1, got 1"),
        (0.0, ValueError, "x must be a positive finite number other than 1, got 0.0"),
        (-3.0, ValueError, "x must be a positive finite number other than 1, got -3.0"),
        (float("nan"), ValueError, "x must be a positive finite number other than 1, got nan"),
        (float("inf"), ValueError, "x must be a positive finite number other than 1, got inf"),
        (2e24, ValueError, "x must be at most 1e24, got 2e+24"),
        (5e-25, ValueError, "x must be at least 1e-24, got 5e-25"),
        ("3", TypeError, "x must be a positive finite number other than 1, got str '3'"),
    ],
)
def test_bound_words_bad_input(x, error, message):
    with pytest.raises(error) as info:
        bound_words(x)
    assert str(info.value) == message
