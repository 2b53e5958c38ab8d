"""Input checks for every public function of relulab: the one place that validates arguments.

Private module at the bottom of the package: it imports nothing from relulab, and every other
module checks its arguments through it, so the same mistake gets the same exception and the
same kind of message everywhere.

Rule
    A value of the wrong *type* (a string where a number belongs, a float where an integer
    belongs, a bool array where real numbers belong) raises ``TypeError``; a value of the right
    type but a wrong *value or shape* (zero where a positive integer belongs, an empty list, a
    bias of the wrong length) raises ``ValueError``.

Message format
    ``"<argument> must <what was expected>, got <what came>"``, for example
    ``"n must be a positive integer (>= 1), got 0"`` or
    ``"params[0] b must have shape (3,) to match W of shape (2, 3), got shape (2,)"``.

Every check returns the value it accepted (converted where it says so), so a caller writes
``n = _validate.integer(n, "n", minimum=1)``. The checks look at types and shapes only, never
at the values of arrays (except :func:`finite_params`), so they work on JAX tracers inside
``jit`` and ``vmap``.

Call sites never choose an exception type: they call the check that states the rule
(:func:`integer`, :func:`string`, :func:`sequence`, :func:`mapping`, :func:`pair`,
:func:`interval`, :func:`shape`, :func:`function`, :func:`instance`, ...), and the check raises
``TypeError`` or ``ValueError`` as the rule above says. A value rule particular to one function
(a kernel larger than the image, too many frames) goes through :func:`check`, which raises
``ValueError``: by the time such a rule is checked, the types are known to be right.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, NoReturn

import jax
import jax.numpy as jnp
import numpy as np

__all__ = [
    "boolean",
    "bounds",
    "check",
    "choice",
    "fail",
    "finite_params",
    "float_array",
    "float_dtype",
    "function",
    "instance",
    "integer",
    "integers",
    "interval",
    "key",
    "mapping",
    "number",
    "pair",
    "params",
    "real_dtype",
    "sequence",
    "shape",
    "string",
]


def _got(value: Any) -> str:
    """What came, for a message: the type, and the value when it is short."""
    kind = type(value).__name__
    if isinstance(value, (numbers.Number, str, bytes, type(None))) and len(repr(value)) <= 40:
        return f"{kind} {value!r}" if value is not None else "None"
    return kind


def _short(value: Any) -> str:
    """What came, for a message about a container: its repr when short, else its type and length."""
    text = repr(value)
    if len(text) <= 60:
        return text
    size = f" of length {len(value)}" if hasattr(value, "__len__") else ""
    return type(value).__name__ + size


def fail(error: type[Exception], name: str, expected: str, got: str) -> NoReturn:
    """Raise ``error("<name> must <expected>, got <got>")``: the one message format.

    The primitive under every check. Modules call the checks below, which choose the exception
    type by the module's rule, rather than this function.
    """
    raise error(f"{name} must {expected}, got {got}")


def check(ok: Any, name: str, expected: str, got: str) -> None:
    """``ValueError("<name> must <expected>, got <got>")`` unless ``ok``.

    For a rule about a value or a shape that is particular to one function (a window larger
    than the image, a grid of too many points), checked after the types are known to be right.

    >>> check(3 <= 4, "size", "fit in the image (at most 4)", "3")
    >>> check(5 <= 4, "size", "fit in the image (at most 4)", "5")
    Traceback (most recent call last):
    ...
    ValueError: size must fit in the image (at most 4), got 5
    """
    if not ok:
        fail(ValueError, name, expected, got)


def check_type(ok: Any, name: str, expected: str, got: str) -> None:
    """``TypeError("<name> must <expected>, got <got>")`` unless ``ok``.

    For a rule about a kind of value that one ``isinstance`` cannot state (what a user's function
    returned, keys that must all be of one kind), the type-side twin of :func:`check`.

    >>> check_type(isinstance((1, 2), tuple), "loss_fn", "return a pair (loss, aux)", "tuple")
    >>> check_type(isinstance(1.0, tuple), "loss_fn", "return a pair (loss, aux)", "float")
    Traceback (most recent call last):
    ...
    TypeError: loss_fn must return a pair (loss, aux), got float
    """
    if not ok:
        fail(TypeError, name, expected, got)


def wrong_type(name: str, expected: str, got: str) -> NoReturn:
    """``TypeError("<name> must <expected>, got <got>")``: for the end of a function that has
    tried every kind of value it accepts (an array, a list, ...) and returns from each.

    >>> wrong_type("keys", "be an array or a list of PRNG keys", "str")
    Traceback (most recent call last):
    ...
    TypeError: keys must be an array or a list of PRNG keys, got str
    """
    fail(TypeError, name, expected, got)


def instance(value: Any, types: type | tuple[type, ...], name: str, expected: str) -> Any:
    """``value`` if it is an instance of ``types``, else ``TypeError`` (``expected`` says what
    belongs there, e.g. ``"be a matplotlib Figure"``)."""
    if not isinstance(value, types):
        fail(TypeError, name, expected, _got(value))
    return value


def function(value: Any, name: str, expected: str = "be a callable") -> Any:
    """``value`` if it is callable (a function, a class, an object with ``__call__``), else
    ``TypeError``.

    >>> function(len, "f") is len
    True
    >>> function(3, "setup", "be a callable returning (Figure, update)")
    Traceback (most recent call last):
    ...
    TypeError: setup must be a callable returning (Figure, update), got int 3
    """
    if not callable(value):
        fail(TypeError, name, expected, _got(value))
    return value


# ---------------------------------------------------------------------------- scalars


def boolean(value: Any, name: str, *, arrays: bool = False) -> bool:
    """``value`` if it is ``True`` or ``False`` (a NumPy bool too), else ``TypeError``.

    With ``arrays``, an array of dtype bool (NumPy or JAX, not traced) holding one value is
    accepted too: ``TypeError`` for another dtype, ``ValueError`` for a shape other than ``()``.

    >>> boolean(np.asarray(3) > 2, "condition", arrays=True)
    True
    >>> boolean(np.array([True, False]), "condition", arrays=True)
    Traceback (most recent call last):
    ...
    ValueError: condition must have shape () (a single True or False), got shape (2,)
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if arrays and isinstance(value, (np.ndarray, jax.Array)) and not isinstance(value, jax.core.Tracer):
        if value.dtype != np.bool_:
            fail(TypeError, name, "be True or False, or a bool array of shape ()", f"dtype {value.dtype}")
        shape(value, name, (), why="(a single True or False)")
        return bool(value)
    fail(TypeError, name, "be True or False" + (", or a bool array of shape ()" if arrays else ""), _got(value))


def _describe_int(minimum: int | None) -> str:
    if minimum == 1:
        return "a positive integer (>= 1)"
    if minimum == 0:
        return "a non-negative integer (>= 0)"
    return "an integer" if minimum is None else f"an integer >= {minimum}"


def integer(value: Any, name: str, *, minimum: int | None = None, expected: str | None = None) -> int:
    """``value`` as an ``int``: ``TypeError`` unless it is an integer (bools are not),
    ``ValueError`` if it is below ``minimum``. ``expected`` replaces the generated description.

    >>> integer(3, "n", minimum=1)
    3
    >>> integer(0, "n", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: n must be a positive integer (>= 1), got 0
    """
    expected = "be " + (expected or _describe_int(minimum))
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        fail(TypeError, name, expected, _got(value))
    if minimum is not None and value < minimum:
        fail(ValueError, name, expected, str(int(value)))
    return int(value)


def integers(
    value: Any, name: str, *, min_len: int = 0, minimum: int = 1, example: str = "[2, 16, 1]"
) -> tuple[int, ...]:
    """A sequence of integers ``>= minimum`` (e.g. layer widths) as a tuple of ``int``.

    A 1D integer array is accepted too. ``TypeError`` for a non-sequence or a non-integer
    entry, ``ValueError`` for fewer than ``min_len`` entries or an entry below ``minimum``.
    """
    if isinstance(value, (np.ndarray, jax.Array)) and np.ndim(value) == 1:
        value = [v.item() for v in np.asarray(value)]
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        plural = {1: "positive integers", 0: "non-negative integers"}.get(minimum, f"integers >= {minimum}")
        fail(TypeError, name, f"be a sequence of {plural} such as {example}", _got(value))
    if len(value) < min_len:
        fail(ValueError, name, f"have at least {min_len} {'entry' if min_len == 1 else 'entries'}", repr(list(value)))
    return tuple(integer(v, f"{name}[{i}]", minimum=minimum) for i, v in enumerate(value))


def number(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    finite: bool = True,
    expected: str | None = None,
) -> float:
    """``value`` as a ``float``: ``TypeError`` unless it is a real number (not a bool),
    ``ValueError`` outside the interval between ``low`` and ``high`` (open or closed ends)
    or, with ``finite``, for nan and inf. ``expected`` replaces the generated description.

    >>> number(0.5, "p", low=0, high=1, low_open=True, high_open=True)
    0.5
    >>> number("a", "p", low=0, high=1, low_open=True, high_open=True)
    Traceback (most recent call last):
    ...
    TypeError: p must be a number in (0, 1), got str 'a'
    """
    if expected is None:
        if low is not None and high is not None:
            expected = f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        elif low is not None:
            expected = f"a number {'>' if low_open else '>='} {low:g}"
        elif high is not None:
            expected = f"a number {'<' if high_open else '<='} {high:g}"
        else:
            expected = "a finite real number" if finite else "a real number"
    expected = "be " + expected
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        if isinstance(value, (np.ndarray, jax.Array)) and np.ndim(value) == 0 and real_dtype(value, name, quiet=True):
            value = value.item()
        else:
            fail(TypeError, name, expected, _got(value))
    v = float(value)
    bad = (
        (finite and not np.isfinite(v))
        or (low is not None and (v <= low if low_open else v < low))
        or (high is not None and (v >= high if high_open else v > high))
        or np.isnan(v)
    )
    if bad:
        fail(ValueError, name, expected, str(value.item() if isinstance(value, np.generic) else value))
    return v


def choice(value: Any, name: str, options: Sequence[str], *, callable_ok: bool = False) -> Any:
    """``value`` if it is one of the names ``options`` (or, with ``callable_ok``, a callable).

    ``TypeError`` for something that is neither a string (nor a callable), ``ValueError`` for a
    string that is not one of the names.

    >>> choice("he", "init", ("he", "glorot"))
    'he'
    >>> choice("xavier", "init", ("he", "glorot"))
    Traceback (most recent call last):
    ...
    ValueError: init must be one of he, glorot, got 'xavier'
    """
    expected = "be one of " + ", ".join(options) + (" or a callable" if callable_ok else "")
    if callable_ok and callable(value) and not isinstance(value, str):
        return value
    if not isinstance(value, str):
        fail(TypeError, name, expected, _got(value))
    if value not in options:
        fail(ValueError, name, expected, repr(value))
    return value


def string(value: Any, name: str, *, identifier: bool = False, expected: str | None = None) -> str:
    """``value`` if it is a string with some non-blank text.

    ``TypeError`` for anything but a ``str``; ``ValueError`` for an empty or blank string or,
    with ``identifier``, for a string that is not a Python identifier (a name that can be passed
    as a keyword argument). ``expected`` replaces the generated description.

    >>> string("a line", "alt")
    'a line'
    >>> string("  ", "alt")
    Traceback (most recent call last):
    ...
    ValueError: alt must be a non-empty string, got '  '
    >>> string("slope a", "controls key", identifier=True)
    Traceback (most recent call last):
    ...
    ValueError: controls key must be a valid Python identifier, got 'slope a'
    """
    if expected is None:
        expected = "a valid Python identifier" if identifier else "a non-empty string"
    expected = "be " + expected
    if not isinstance(value, str):
        fail(TypeError, name, expected, _got(value))
    if not value.strip() or (identifier and not value.isidentifier()):
        fail(ValueError, name, expected, repr(value))
    return value


# ---------------------------------------------------------------------------- containers


def _length_text(min_len: int, length: int | None) -> str:
    if length is not None:
        return f"exactly {length} {'entry' if length == 1 else 'entries'}"
    return f"at least {min_len} {'entry' if min_len == 1 else 'entries'}"


def sequence(
    value: Any,
    name: str,
    *,
    min_len: int = 0,
    length: int | None = None,
    arrays: bool = False,
    expected: str | None = None,
) -> Sequence[Any]:
    """``value`` if it is a list, a tuple or another sequence (never a string), of the right length.

    ``TypeError`` for a non-sequence (and for ``str``/``bytes``, which are not a list of things);
    ``ValueError`` for fewer than ``min_len`` entries or, with ``length``, any other number. With
    ``arrays``, an array of rank >= 1 (NumPy, JAX, anything with ``__array__``) is accepted too,
    its length being that of its first axis. ``expected`` is the
    description of what belongs there, used in both messages.

    >>> sequence([1, 2], "sizes", min_len=1)
    [1, 2]
    >>> sequence([], "acts", min_len=1, expected="a sequence of activation names")
    Traceback (most recent call last):
    ...
    ValueError: acts must be a sequence of activation names with at least 1 entry, got []
    >>> sequence("relu", "acts", expected="a sequence of activation names")
    Traceback (most recent call last):
    ...
    TypeError: acts must be a sequence of activation names, got str 'relu'
    """
    what = "be " + (expected or "a sequence (a list or a tuple)")
    is_array = arrays and hasattr(value, "__array__") and np.ndim(value) > 0
    if isinstance(value, (str, bytes)) or not (isinstance(value, Sequence) or is_array):
        fail(TypeError, name, what, _got(value))
    n = len(value)
    if n < min_len or (length is not None and n != length):
        fail(ValueError, name, f"{what} with {_length_text(min_len, length)}", _short(value))
    return value


def mapping(
    value: Any,
    name: str,
    *,
    keys: Collection[Any] | None = None,
    min_len: int = 0,
    none_ok: bool = False,
    expected: str | None = None,
) -> Mapping[Any, Any]:
    """``value`` if it is a dict (any :class:`~collections.abc.Mapping`).

    ``TypeError`` for anything else (``None`` becomes ``{}`` with ``none_ok``); ``ValueError``
    for fewer than ``min_len`` entries or, with ``keys``, a key that is not one of ``keys``.

    >>> mapping({"a": 1}, "labels", keys=["a", "b"])
    {'a': 1}
    >>> mapping({"c": 1}, "labels", keys=["a", "b"])
    Traceback (most recent call last):
    ...
    ValueError: labels must have only the keys 'a', 'b', got the keys 'c'
    """
    if value is None and none_ok:
        return {}
    what = "be " + (expected or "a dict") + (" or None" if none_ok else "")
    if not isinstance(value, Mapping):
        fail(TypeError, name, what, _got(value))
    if len(value) < min_len:
        fail(ValueError, name, f"{what} with {_length_text(min_len, None)}", _short(value))
    if keys is not None:
        unknown = [k for k in value if k not in keys]
        if unknown:
            allowed = ", ".join(repr(k) for k in keys)
            fail(ValueError, name, f"have only the keys {allowed}", "the keys " + ", ".join(map(repr, unknown)))
    return value


def pair(
    value: Any,
    name: str,
    item: Callable[[Any, str], Any],
    *,
    scalar_ok: bool = False,
    arrays: bool = False,
    expected: str | None = None,
) -> tuple[Any, Any]:
    """Two values checked by ``item(v, "<name>[i]")``, as a tuple.

    ``value`` is a list or tuple of two entries or, with ``scalar_ok``, one value that stands for
    both (a stride ``2`` for ``(2, 2)``); with ``arrays``, an array of two entries too.
    ``TypeError`` for a non-sequence (or a scalar without ``scalar_ok``), ``ValueError`` for a
    sequence of another length; each entry raises what ``item`` raises.

    >>> pair(2, "stride", lambda v, n: integer(v, n, minimum=1), scalar_ok=True)
    (2, 2)
    >>> pair((1, 0), "stride", lambda v, n: integer(v, n, minimum=1))
    Traceback (most recent call last):
    ...
    ValueError: stride[1] must be a positive integer (>= 1), got 0
    """
    if scalar_ok and not isinstance(value, (list, tuple, str, bytes, Mapping)) and np.ndim(value) == 0:
        v = item(value, name)
        return v, v
    what = expected or ("one value or a pair of them" if scalar_ok else "a pair of values")
    seq = sequence(value, name, length=2, arrays=arrays, expected=what)
    return item(seq[0], f"{name}[0]"), item(seq[1], f"{name}[1]")


def bounds(low: Any, high: Any, names: tuple[str, str] = ("low", "high")) -> tuple[float, float]:
    """Two finite numbers with ``low < high`` (the ends of an interval given as two arguments).

    >>> bounds(1, 2.5, ("lo", "hi"))
    (1.0, 2.5)
    >>> bounds(2, 1, ("lo", "hi"))
    Traceback (most recent call last):
    ...
    ValueError: lo must be below hi (lo < hi), got lo=2.0 and hi=1.0
    """
    lo, hi = number(low, names[0]), number(high, names[1])
    check(lo < hi, names[0], f"be below {names[1]} ({names[0]} < {names[1]})", f"{names[0]}={lo} and {names[1]}={hi}")
    return lo, hi


def interval(value: Any, name: str) -> tuple[float, float]:
    """A pair ``(low, high)`` of finite numbers with ``low < high``, as floats.

    >>> interval([0, 1], "interval")
    (0.0, 1.0)
    >>> interval((1.0, 1.0), "interval")
    Traceback (most recent call last):
    ...
    ValueError: interval must have low < high, got (1.0, 1.0)
    """
    lo, hi = pair(value, name, number, expected="a pair (low, high) of numbers")
    check(lo < hi, name, "have low < high", _short(value))
    return lo, hi


def shape(
    value: Any, name: str, *patterns: tuple[int | str | None, ...], nonempty: bool = False, why: str = ""
) -> tuple[int, ...]:
    """The shape of the array ``value`` if it matches one of ``patterns``, else ``ValueError``.

    A pattern is a tuple with one entry per axis: an ``int`` is the size that axis must have,
    a ``str`` (shown in the message, such as ``"batch"``) or ``None`` any size. With
    ``nonempty``, every size must be at least 1. ``why`` follows the expected shape in the
    message (``"to match W of shape (2, 3)"``). Only the shape is read (tracers pass).

    >>> shape([[1.0, 2.0]], "x", (2,), ("batch", 2))
    (1, 2)
    >>> shape([[1.0, 2.0, 3.0]], "x", (2,), ("batch", 2))
    Traceback (most recent call last):
    ...
    ValueError: x must have shape (2,) or (batch, 2), got shape (1, 3)
    """
    got = tuple(int(n) for n in np.shape(value))

    def fits(pattern: tuple[int | str | None, ...]) -> bool:
        return len(pattern) == len(got) and all(
            not isinstance(p, int) or p == n for p, n in zip(pattern, got, strict=True)
        )

    def text(pattern: tuple[int | str | None, ...]) -> str:
        parts = ["?" if p is None else str(p) for p in pattern]
        return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"

    if not any(fits(p) for p in patterns) or (nonempty and min(got, default=1) < 1):
        expected = "have shape " + " or ".join(text(p) for p in patterns)
        expected += (" with every size >= 1" if nonempty else "") + (f" {why}" if why else "")
        fail(ValueError, name, expected, f"shape {got}")
    return got


# ---------------------------------------------------------------------------- keys


def key(value: Any, name: str = "key") -> jax.Array:
    """A single JAX PRNG key: typed (``jax.random.key(0)``, shape ``()``) or legacy
    (``jax.random.PRNGKey(0)``, ``uint32`` of shape ``(2,)``)."""
    expected = "be a JAX PRNG key such as jax.random.key(0)"
    if not isinstance(value, (jax.Array, jax.core.Tracer)):
        fail(TypeError, name, expected, _got(value))
    if jnp.issubdtype(value.dtype, jax.dtypes.prng_key):
        if value.shape != ():
            fail(ValueError, name, "be a single PRNG key of shape ()", f"a key array of shape {value.shape}")
        return value
    if value.dtype == jnp.uint32 and value.shape == (2,):
        return value
    fail(
        TypeError,
        name,
        expected + " (or a legacy uint32 key of shape (2,))",
        f"an array of dtype {value.dtype} and shape {value.shape}",
    )


# ---------------------------------------------------------------------------- arrays


def real_dtype(value: Any, name: str, *, quiet: bool = False) -> Any:
    """The dtype of ``value`` if it holds real numbers (integer or floating, not bool), else
    ``TypeError`` (or, with ``quiet``, ``None``). Never copies a JAX array or a tracer."""
    expected = "be an array of real numbers"
    if isinstance(value, (jax.Array, jax.core.Tracer)):
        dtype = np.dtype(value.dtype) if not jnp.issubdtype(value.dtype, jax.dtypes.prng_key) else None
    else:
        try:
            dtype = np.asarray(value).dtype
        except Exception:  # ragged nested lists and the like
            if quiet:
                return None
            fail(TypeError, name, expected, _got(value))
    ok = (
        dtype is not None
        and dtype != np.bool_
        and (np.issubdtype(dtype, np.floating) or np.issubdtype(dtype, np.integer))
    )
    if not ok:
        if quiet:
            return None
        fail(TypeError, name, expected, f"dtype {dtype}" if dtype is not None else _got(value))
    return dtype


def float_dtype(value: Any, name: str = "dtype") -> np.dtype:
    """``value`` as a NumPy dtype if it names a floating type (``np.float32``, ``"float64"``,
    ``jnp.bfloat16``), else ``TypeError``.

    >>> float_dtype("float32")
    dtype('float32')
    >>> float_dtype(int)
    Traceback (most recent call last):
    ...
    TypeError: dtype must be a floating dtype such as numpy.float32, got int64
    """
    try:
        dtype = np.dtype(value)
    except TypeError:
        fail(TypeError, name, "be a floating dtype such as numpy.float32", _got(value))
    if not jnp.issubdtype(dtype, jnp.floating):
        fail(TypeError, name, "be a floating dtype such as numpy.float32", str(dtype))
    return dtype


def float_array(value: Any, name: str, *, dtype: Any = None) -> jax.Array:
    """``value`` as a floating JAX array: floats keep their dtype, integers become ``dtype``
    (default: JAX's default float), anything else is a ``TypeError``.

    >>> float_array([1, 2], "x").dtype
    dtype('float32')
    >>> float_array([True], "x")
    Traceback (most recent call last):
    ...
    TypeError: x must be an array of real numbers, got dtype bool
    """
    real_dtype(value, name)
    arr = jnp.asarray(value)
    if not jnp.issubdtype(arr.dtype, jnp.floating):
        arr = arr.astype(dtype if dtype is not None else jnp.result_type(float))
    return arr


# ---------------------------------------------------------------------------- parameters


def _floating(a: Any) -> Any:
    """``a`` unchanged if it is a floating array; integers as float64 (NumPy) or JAX's default
    float (JAX arrays and tracers); nested lists as NumPy arrays."""
    if isinstance(a, (jax.Array, jax.core.Tracer)):
        return a if jnp.issubdtype(a.dtype, jnp.floating) else a.astype(jnp.result_type(float))
    a = np.asarray(a)
    return a if np.issubdtype(a.dtype, np.floating) else a.astype(np.float64)


def params(
    value: Any,
    name: str = "params",
    *,
    conv: bool = False,
    n_in: int | None = None,
    n_out: int | None = None,
    source: str = "mlp_init",
) -> list[tuple[Any, Any]]:
    """A list of ``(W, b)`` layers whose shapes chain: the checks shared by every module.

    Dense layers have ``W`` of shape ``(n_in, n_out)`` and ``b`` of shape ``(n_out,)``, and
    each layer's ``n_in`` is the previous layer's ``n_out``. With ``conv=True`` the list may
    start with convolution layers, ``W`` of shape ``(k_h, k_w, c_in, c_out)`` (HWIO), whose
    channels chain; a convolution cannot follow a dense layer (the first dense layer's width
    depends on the image size and is checked where that is known). ``n_in``/``n_out`` fix the
    network's input and output widths. Integer weights are converted to floats; the layers are
    otherwise returned as given (shapes only are inspected, so tracers pass).

    Raises:
        TypeError: not a list or tuple, a layer that is not a pair, an array that does not
            hold real numbers.
        ValueError: an empty list, a wrong rank, a zero size, a bias of the wrong shape,
            shapes that do not chain, or the wrong input or output width.
    """
    expected = f"be a non-empty list of (W, b) pairs (as returned by {source})"
    if not isinstance(value, (list, tuple)):
        fail(TypeError, name, expected, _got(value))
    if len(value) == 0:
        fail(ValueError, name, expected, f"an empty {type(value).__name__}")
    out = []
    prev: int | None = None  # outputs (or channels) of the previous layer
    seen_dense = False
    for i, layer in enumerate(value):
        where = f"{name}[{i}]"
        if not isinstance(layer, (list, tuple)) or len(layer) != 2:
            got = type(layer).__name__ + (f" of length {len(layer)}" if isinstance(layer, (list, tuple)) else "")
            fail(TypeError, where, "be a (W, b) pair", got)
        W, b = layer
        for part, arr in (("W", W), ("b", b)):
            real_dtype(arr, f"{where} {part}")
        W, b = _floating(W), _floating(b)
        wshape, bshape = tuple(np.shape(W)), tuple(np.shape(b))
        if conv and len(wshape) == 4:
            if seen_dense:
                fail(
                    ValueError,
                    f"{where} W",
                    "have shape (n_in, n_out): a convolution cannot follow a dense layer",
                    f"shape {wshape}",
                )
            if min(wshape) < 1:
                fail(ValueError, f"{where} W", "have every size >= 1", f"shape {wshape}")
            if prev is not None and wshape[2] != prev:
                fail(
                    ValueError,
                    f"{where} W",
                    f"have c_in = previous c_out, i.e. shape (k_h, k_w, {prev}, c_out) since the previous "
                    f"layer has {prev} output channels",
                    f"shape {wshape}",
                )
        else:
            if len(wshape) != 2:
                shapes = "(n_in, n_out) or, for a convolution, (k_h, k_w, c_in, c_out)" if conv else "(n_in, n_out)"
                fail(ValueError, f"{where} W", f"have shape {shapes}", f"shape {wshape}")
            if min(wshape) < 1:
                fail(ValueError, f"{where} W", "have n_in >= 1 and n_out >= 1", f"shape {wshape}")
            if i == 0 and n_in is not None and wshape[0] != n_in:
                fail(
                    ValueError,
                    f"{where} W",
                    f"have n_in = {n_in} (a network of {n_in} input{'s' if n_in > 1 else ''})",
                    f"shape {wshape}",
                )
            if prev is not None and (seen_dense or not conv) and wshape[0] != prev:
                fail(
                    ValueError,
                    f"{where} W",
                    f"have n_in = previous n_out, i.e. shape ({prev}, n_out) since the previous layer has "
                    f"{prev} outputs",
                    f"shape {wshape}",
                )
            seen_dense = True
        if bshape != (wshape[-1],):
            fail(
                ValueError, f"{where} b", f"have shape ({wshape[-1]},) to match W of shape {wshape}", f"shape {bshape}"
            )
        prev = wshape[-1]
        out.append((W, b))
    if n_out is not None and prev != n_out:
        fail(
            ValueError,
            f"{name}[{len(out) - 1}] W",
            f"have n_out = {n_out} (a network of {n_out} output{'s' if n_out > 1 else ''})",
            f"shape {tuple(np.shape(out[-1][0]))}",
        )
    return out


def finite_params(
    value: Any, name: str = "params", *, n_in: int | None = None, n_out: int | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`params`, then float64 NumPy copies, checked to hold no nan or inf
    (``ValueError``): for the exact float64 algorithms of :mod:`relulab.regions`."""
    out = []
    for i, (W, b) in enumerate(params(value, name, n_in=n_in, n_out=n_out)):
        W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
        for part, arr in (("W", W), ("b", b)):
            if not np.all(np.isfinite(arr)):
                fail(ValueError, f"{name}[{i}] {part}", "hold finite numbers", "non-finite values (nan or inf)")
        out.append((W, b))
    return out
