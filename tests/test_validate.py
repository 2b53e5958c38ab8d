"""relulab._validate: the one place that checks arguments, and the rule that every module uses it.

The rule (module docstring of ``relulab._validate``): a wrong *type* raises ``TypeError``, a wrong
*value or shape* raises ``ValueError``, and the message reads "<argument> must <expected>, got
<what came>". Each check below is tried on a good value, on a value of the wrong type and on one
of the wrong value, so a check that picks the wrong exception type fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from relulab import _validate as V

PACKAGE = Path(V.__file__).parent


def _positive(v, name):
    return V.integer(v, name, minimum=1)


CASES = [
    # (call, good value, what it returns, wrong-type value, wrong-value value, message of the latter)
    (lambda v: V.string(v, "alt"), "a line", "a line", 3, "", "alt must be a non-empty string, got ''"),
    (
        lambda v: V.string(v, "name", identifier=True),
        "slope",
        "slope",
        None,
        "slope a",
        "name must be a valid Python identifier, got 'slope a'",
    ),
    (
        lambda v: V.sequence(v, "acts", min_len=1),
        ["relu"],
        ["relu"],
        "relu",
        [],
        r"acts must be a sequence \(a list or a tuple\) with at least 1 entry, got \[\]",
    ),
    (
        lambda v: V.sequence(v, "box", length=4, arrays=True),
        np.zeros(4),
        None,
        np.float64(1.0),
        np.zeros(3),
        r"box must be .* with exactly 4 entries, got array",
    ),
    (
        lambda v: V.mapping(v, "labels", keys=["a"]),
        {"a": "x"},
        {"a": "x"},
        [("a", "x")],
        {"b": "x"},
        "labels must have only the keys 'a', got the keys 'b'",
    ),
    (
        lambda v: V.mapping(v, "controls", min_len=1),
        {"a": 1},
        {"a": 1},
        None,
        {},
        "controls must be a dict with at least 1 entry, got {}",
    ),
    (
        lambda v: V.pair(v, "stride", _positive, scalar_ok=True),
        2,
        (2, 2),
        "2",
        (1, 2, 3),
        r"stride must be one value or a pair of them with exactly 2 entries, got \(1, 2, 3\)",
    ),
    (
        lambda v: V.pair(v, "size", _positive),
        [3, 4],
        (3, 4),
        3,
        (3, 0),
        r"size\[1\] must be a positive integer \(>= 1\), got 0",
    ),
    (
        lambda v: V.interval(v, "interval"),
        (0, 1),
        (0.0, 1.0),
        {0, 1},
        (1, 0),
        r"interval must have low < high, got \(1, 0\)",
    ),
    (
        lambda v: V.bounds(*v, ("lo", "hi")),
        (0, 1),
        (0.0, 1.0),
        ("0", 1),
        (1, 1),
        r"lo must be below hi \(lo < hi\), got lo=1.0 and hi=1.0",
    ),
    (
        lambda v: V.function(v, "setup"),
        len,
        len,
        "len",
        None,
        None,
    ),
    (
        lambda v: V.boolean(v, "condition", arrays=True),
        np.asarray(True),
        True,
        np.asarray(1.0),
        np.array([True]),
        r"condition must have shape \(\) \(a single True or False\), got shape \(1,\)",
    ),
    (lambda v: V.float_dtype(v), "float32", np.dtype("float32"), np.int32, None, None),
]


@pytest.mark.parametrize("call, good, result, wrong_type, wrong_value, message", CASES)
def test_each_check_splits_type_and_value_errors(call, good, result, wrong_type, wrong_value, message):
    out = call(good)
    if result is not None:
        assert out == result
    with pytest.raises(TypeError, match=" must .*, got "):
        call(wrong_type)
    if wrong_value is not None:
        with pytest.raises(ValueError, match=message):
            call(wrong_value)


def test_shape_names_the_axes_and_reads_only_the_shape():
    assert V.shape(np.ones((3, 2)), "x", (2,), ("batch", 2)) == (3, 2)
    with pytest.raises(ValueError, match=r"x must have shape \(2,\) or \(batch, 2\) to match W, got shape \(3, 3\)"):
        V.shape(np.ones((3, 3)), "x", (2,), ("batch", 2), why="to match W")
    with pytest.raises(ValueError, match=r"every size >= 1, got shape \(0, 2\)"):
        V.shape(np.ones((0, 2)), "X", ("batch", 2), nonempty=True)
    # inside jit the shape of a tracer is known: the check runs at trace time
    jax.jit(lambda x: V.shape(x, "x", (None, 2)) and x)(jnp.ones((4, 2)))
    with pytest.raises(ValueError, match=r"x must have shape \(\?, 2\), got shape \(4, 3\)"):
        jax.jit(lambda x: V.shape(x, "x", (None, 2)) and x)(jnp.ones((4, 3)))


def test_check_raises_value_error_only_when_the_rule_fails():
    V.check(True, "n", "be small", "1")
    with pytest.raises(ValueError, match="^n must be small, got 10$"):
        V.check(np.bool_(False), "n", "be small", "10")


def test_instance_names_the_type_that_came():
    assert V.instance(3, int, "k", "be an int") == 3
    with pytest.raises(TypeError, match="^fig must be a Figure, got str 'x'$"):
        V.instance("x", int, "fig", "be a Figure")


# ------------------------------------------------------------------ the rule, applied everywhere


def _hand_picked_errors(path: Path) -> list[str]:
    """Calls of ``_validate.fail`` and ``raise TypeError/ValueError(...)`` in one module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "fail" and isinstance(node.func.value, ast.Name) and node.func.value.id == "_validate":
                found.append(f"line {node.lineno}: _validate.fail(...)")
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name):
            if node.exc.func.id in ("TypeError", "ValueError"):
                found.append(f"line {node.lineno}: raise {node.exc.func.id}(...)")
    return found


def test_no_module_picks_an_exception_type_by_hand():
    """Every check goes through a helper of _validate, which picks TypeError or ValueError by the rule."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "_validate.py":
            continue
        offenders += [f"{rel} {f}" for f in _hand_picked_errors(path)]
    assert not offenders, "checks that pick an exception type by hand:\n" + "\n".join(offenders)


def test_the_scanner_finds_hand_picked_errors(tmp_path):
    """The test above can fail: the scanner sees both forms."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from relulab import _validate\n"
        "def f(x):\n"
        "    if x: _validate.fail(TypeError, 'x', 'be', 'got')\n"
        "    raise ValueError('x must be small')\n"
    )
    assert sorted(_hand_picked_errors(bad)) == ["line 3: _validate.fail(...)", "line 4: raise ValueError(...)"]
