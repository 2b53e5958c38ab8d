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
    controls = _validate.mapping(
        controls, "controls", min_len=1, expected="a dict mapping names to 1D sequences of numbers"
    )
    out: dict[str, np.ndarray] = {}
    for name, values in controls.items():
        _validate.string(
            name, "control names", identifier=True, expected="valid Python identifiers (passed to update as keywords)"
        )
        where = f"controls[{name!r}]"
        _validate.sequence(values, where, arrays=True, expected="a 1D sequence of numbers")
        dtype = _validate.real_dtype(values, where)
        arr = np.asarray(values)
        _validate.check(
            arr.ndim == 1 and arr.size >= 2, where, "be a 1D sequence of at least 2 values", f"shape {arr.shape}"
        )
        # integer grids hand Python ints to update()
        arr = arr.astype(np.int64 if np.issubdtype(dtype, np.integer) else float)
        _validate.check(np.all(np.isfinite(arr)), where, "be finite", str(arr.tolist()))
        _validate.check(np.unique(arr).size == arr.size, where, "not repeat a value", str(arr.tolist()))
        out[name] = arr
    return out


def _check_keys(mapping: Any, name: str, what: str, controls: Mapping[str, np.ndarray]) -> Mapping:
    """``mapping`` (``{}`` for None) if it is a dict whose keys are all controls."""
    return _validate.mapping(
        mapping, name, keys=list(controls), none_ok=True, expected=f"a dict {{control name: {what}}}"
    )


def check_labels(labels: Any, controls: Mapping[str, np.ndarray]) -> dict[str, str]:
    labels = _check_keys(labels, "labels", "text", controls)
    return {name: _validate.string(labels.get(name, name), f"labels[{name!r}]") for name in controls}


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
        _validate.check(
            hits.size > 0, f"initial[{name!r}]", f"be one of the grid values {grid.tolist()}", repr(initial[name])
        )
        out[name] = int(hits[0])
    return out


def alt_with_values(alt: str, labels: Sequence[str], texts: Sequence[str]) -> str:
    return alt + " (" + ", ".join(f"{lab} = {t}" for lab, t in zip(labels, texts, strict=True)) + ")"
