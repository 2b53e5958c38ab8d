"""Weight initialisation shared by the MLPs and CNNs of :mod:`relulab.nets` (private module)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from .. import _validate

__all__ = ["INITS", "check_init", "init_std", "n_params", "normal_weights"]

INITS: tuple[str, ...] = ("he", "glorot", "lecun")
"""Names of the weight initialisations understood by :func:`mlp_init` and :func:`cnn_init`."""


def check_init(init: object) -> str:
    return _validate.choice(init, "init", INITS)


def init_std(fan_in: int, fan_out: int, init: str = "he") -> float:
    r"""Standard deviation of the zero-mean normal weights for an initialisation.

    .. math::

        \mathrm{Var}(W) = \frac{2}{n_\text{in}}\ (\text{he}),\quad
        \frac{2}{n_\text{in} + n_\text{out}}\ (\text{glorot}),\quad
        \frac{1}{n_\text{in}}\ (\text{lecun}).

    Args:
        fan_in: number of inputs to a unit (``n_in``, or ``k_h * k_w * c_in`` for a convolution).
        fan_out: number of outputs (``n_out``, or ``k_h * k_w * c_out``).
        init: ``"he"``, ``"glorot"`` or ``"lecun"``.

    Returns:
        The standard deviation, a Python float.

    >>> init_std(8, 4, "he")
    0.5
    >>> init_std(8, 4, "lecun") ** 2
    0.125...
    """
    fan_in = _validate.integer(fan_in, "fan_in", minimum=1)
    fan_out = _validate.integer(fan_out, "fan_out", minimum=1)
    init = check_init(init)
    if init == "he":
        var = 2.0 / fan_in
    elif init == "glorot":
        var = 2.0 / (fan_in + fan_out)
    else:
        var = 1.0 / fan_in
    return math.sqrt(var)


def _check_params(params: object, *, conv: bool = False) -> list:
    """Validate an MLP (or, with ``conv=True``, CNN) parameter list (see :mod:`relulab._validate`)."""
    return _validate.params(params, conv=conv, source="cnn_init" if conv else "mlp_init")


def n_params(params: Sequence[tuple[ArrayLike, ArrayLike]]) -> int:
    """Total number of scalar parameters in a list of ``(W, b)`` tuples.

    >>> import jax
    >>> from relulab.nets import mlp_init
    >>> n_params(mlp_init(jax.random.key(0), [2, 3, 1]))  # 2*3+3 + 3*1+1
    13
    """
    return int(sum(np.size(W) + np.size(b) for W, b in params))


def normal_weights(key: jax.Array, shapes: Sequence[tuple[int, ...]], dtype: jnp.dtype) -> list[jax.Array]:
    # One flat standard-normal draw, cut into the weight shapes. A single draw keeps compilation cheap
    # (each threefry draw costs ~0.5 s of XLA compile on CPU, and a 4-D draw over 10 s).
    sizes = [math.prod(s) for s in shapes]
    z = jax.random.normal(key, (sum(sizes),), dtype=dtype)
    out, start = [], 0
    for shape, size in zip(shapes, sizes):
        out.append(z[start : start + size].reshape(shape))
        start += size
    return out

