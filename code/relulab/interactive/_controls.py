"""Checks and text for the controls of :mod:`relulab.interactive` (private module)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .. import _validate

__all__ = ["alt_with_values", "check_controls", "check_initial", "check_labels", "format_value"]


def format_value(v: float) -> str:
    """Short, stable text for a control value (used by both views)."""
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.4g}"


def check_controls(controls: Any) -> dict[str, np.ndarray]:
    if not isinstance(controls, Mapping):
        _validate.fail(
            TypeError, "controls", "be a dict mapping names to 1D sequences of numbers", type(controls).__name__
        )
    if len(controls) == 0:
        _validate.fail(ValueError, "controls", "not be empty: give at least one {name: values} entry", "{}")
    out: dict[str, np.ndarray] = {}
    for name, values in controls.items():
        if not isinstance(name, str) or not name.isidentifier():
            _validate.fail(
                ValueError,
                "control names",
                "be valid Python identifiers (they are passed to update as keywords)",
                repr(name),
            )
        where = f"controls[{name!r}]"
        if (
            isinstance(values, (str, bytes))
            or not isinstance(values, (Sequence, np.ndarray))
            and not hasattr(values, "__array__")
        ):
            _validate.fail(TypeError, where, "be a 1D sequence of numbers", type(values).__name__)
        dtype = _validate.real_dtype(values, where)
        arr = np.asarray(values)
        if arr.ndim != 1 or arr.size < 2:
            _validate.fail(ValueError, where, "be a 1D sequence of at least 2 values", f"shape {arr.shape}")
        # integer grids hand Python ints to update()
        arr = arr.astype(np.int64 if np.issubdtype(dtype, np.integer) else float)
        if not np.all(np.isfinite(arr)):
            _validate.fail(ValueError, where, "be finite", str(arr.tolist()))
        if np.unique(arr).size != arr.size:
            _validate.fail(ValueError, where, "not repeat a value", str(arr.tolist()))
        out[name] = arr
    return out


def _check_keys(mapping: Any, name: str, what: str, controls: Mapping[str, np.ndarray]) -> Mapping:
    """``mapping`` (``{}`` for None) if it is a dict whose keys are all controls."""
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        _validate.fail(TypeError, name, f"be a dict {{control name: {what}}} or None", type(mapping).__name__)
    unknown = sorted(set(mapping) - set(controls), key=str)
    if unknown:
        _validate.fail(ValueError, name, f"have only controls as keys ({list(controls)})", f"keys {unknown}")
    return mapping


def check_labels(labels: Any, controls: Mapping[str, np.ndarray]) -> dict[str, str]:
    labels = _check_keys(labels, "labels", "text", controls)
    out = {}
    for name in controls:
        text = labels.get(name, name)
        if not isinstance(text, str) or not text.strip():
            _validate.fail(ValueError, f"labels[{name!r}]", "be a non-empty string", repr(text))
        out[name] = text
    return out


def check_initial(initial: Any, controls: Mapping[str, np.ndarray]) -> dict[str, int]:
    """Map ``initial`` (values) to grid indices; default: first value of each grid."""
    initial = _check_keys(initial, "initial", "value", controls)
    out = {}
    for name, grid in controls.items():
        if name not in initial:
            out[name] = 0
            continue
        v = _validate.number(initial[name], f"initial[{name!r}]", expected="a real number")
        hits = np.flatnonzero(np.isclose(grid.astype(float), v, rtol=1e-9, atol=1e-12))
        if hits.size == 0:
            _validate.fail(
                ValueError, f"initial[{name!r}]", f"be one of the grid values {grid.tolist()}", repr(initial[name])
            )
        out[name] = int(hits[0])
    return out


def alt_with_values(alt: str, labels: Sequence[str], texts: Sequence[str]) -> str:
    return alt + " (" + ", ".join(f"{lab} = {t}" for lab, t in zip(labels, texts)) + ")"
