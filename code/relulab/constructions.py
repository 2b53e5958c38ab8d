r"""ReLU networks built by hand: Telgarsky's sawtooth and Yarotsky's approximation of :math:`x^2`.

Both are exact constructions from the depth-separation literature, returned as plain
:mod:`relulab.nets` parameters (a list of ``(W, b)``, ``x @ W + b``, ReLU hidden layers, a
linear last layer), so that :func:`relulab.nets.mlp_apply` evaluates them and
:mod:`relulab.regions` counts their pieces. Also importable from :mod:`relulab.regions`.

>>> import jax.numpy as jnp
>>> from relulab.constructions import sawtooth_params
>>> [W.shape for W, b in sawtooth_params(3)]
[(1, 2), (2, 2), (2, 2), (2, 1)]
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from . import _validate

__all__ = ["sawtooth_params", "yarotsky_square_params"]


def _check_level(value: int, name: str) -> int:
    return _validate.integer(value, name, minimum=0)


def _as_params(layers: list[tuple[list, list]], dtype: jnp.dtype) -> list:
    return [(jnp.asarray(W, dtype=dtype), jnp.asarray(b, dtype=dtype)) for W, b in layers]


def sawtooth_params(k: int, *, dtype: jnp.dtype = jnp.float32) -> list[tuple[jax.Array, jax.Array]]:
    r"""MLP parameters computing Telgarsky's tent map composed ``k`` times on :math:`[0, 1]`.

    The tent map :math:`t(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x - 1/2)` is
    :math:`2x` on :math:`[0, 1/2]` and :math:`2 - 2x` on :math:`[1/2, 1]`; it maps
    :math:`[0, 1]` onto itself, so its ``k``-fold composition :math:`t^{k}` is a
    sawtooth with :math:`2^{k-1}` teeth, i.e. :math:`2^k` linear pieces of slope
    :math:`\pm 2^k` (Telgarsky 2016). Each hidden layer holds the two units
    :math:`\mathrm{relu}(u)` and :math:`\mathrm{relu}(u - 1/2)` of the previous
    composition :math:`u = t^{s-1}(x)` (since :math:`u \ge 0` on :math:`[0, 1]`, the
    outer ReLU of Telgarsky's formula is not needed there), so the network has
    ``k`` hidden layers of width 2 and ``6k - 1`` parameters; the weights are exact
    in any float format. Outside :math:`[0, 1]` it is still piecewise linear but no
    longer a sawtooth.

    Args:
        k: number of compositions, ``k >= 0`` (``k = 0`` gives the identity, one
            linear layer).
        dtype: floating dtype of the arrays.

    Returns:
        A list of ``k + 1`` pairs ``(W, b)``: widths ``[1, 2, ..., 2, 1]``.

    >>> from relulab.nets import mlp_apply
    >>> x = jnp.array([[0.0], [0.125], [0.25], [0.375], [0.5]])
    >>> mlp_apply(sawtooth_params(2), x).ravel().tolist()   # t(t(x)): up, down, up, down
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    k = _check_level(k, "k")
    if k == 0:
        return _as_params([([[1.0]], [0.0])], dtype)
    layers = [([[1.0, 1.0]], [0.0, -0.5])]
    layers += [([[2.0, 2.0], [-4.0, -4.0]], [0.0, -0.5])] * (k - 1)
    layers += [([[2.0], [-4.0]], [0.0])]
    return _as_params(layers, dtype)


def yarotsky_square_params(m: int, *, dtype: jnp.dtype = jnp.float32) -> list[tuple[jax.Array, jax.Array]]:
    r"""MLP parameters of Yarotsky's approximation of :math:`x^2` on :math:`[0, 1]` with ``m`` levels.

    With the hat function :math:`g(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x-1/2)
    + 2\,\mathrm{relu}(x-1)` and :math:`g_s` its ``s``-fold composition (a sawtooth),
    Yarotsky (2017) writes

    .. math::

        f_m(x) = x - \sum_{s=1}^{m} \frac{g_s(x)}{4^s},

    the piecewise-linear interpolant of :math:`x^2` at the :math:`2^m + 1` points
    :math:`i / 2^m`, with :math:`\max_{[0,1]} |f_m(x) - x^2| = 2^{-2m-2}`.

    The network carries the input through the layers (``x = relu(x)`` on
    :math:`[0, 1]`): hidden layer ``s`` (``s = 1..m``) holds
    :math:`\mathrm{relu}(g_{s-1})`, :math:`\mathrm{relu}(g_{s-1} - 1/2)` (from which
    :math:`g_s` is a linear combination) and :math:`\mathrm{relu}(f_{s-1}) = f_{s-1}`
    (it is :math:`\ge x^2 \ge 0`), with :math:`g_0 = f_0 = x`; the linear output
    layer returns :math:`f_m`. So: ``m`` hidden layers of width 3, weights bounded by
    4 in absolute value, whatever ``m``. (The term :math:`2\,\mathrm{relu}(x-1)` of
    :math:`g` vanishes on :math:`[0, 1]` and is left out.)

    Args:
        m: number of levels, ``m >= 0`` (``m = 0`` gives :math:`f_0(x) = x`).
        dtype: floating dtype of the arrays.

    Returns:
        A list of ``m + 1`` pairs ``(W, b)``: widths ``[1, 3, ..., 3, 1]``.

    >>> from relulab.nets import mlp_apply
    >>> x = jnp.linspace(0.0, 1.0, 1025)[:, None]
    >>> err = jnp.max(jnp.abs(mlp_apply(yarotsky_square_params(3), x) - x**2))
    >>> float(err), 2.0 ** (-2 * 3 - 2)
    (0.00390625, 0.00390625)
    """
    m = _check_level(m, "m")
    if m == 0:
        return _as_params([([[1.0]], [0.0])], dtype)
    layers = [([[1.0, 1.0, 1.0]], [0.0, -0.5, 0.0])]
    for s in range(2, m + 1):
        q = 4.0 ** -(s - 1)
        layers.append(([[2.0, 2.0, -2.0 * q], [-4.0, -4.0, 4.0 * q], [0.0, 0.0, 1.0]], [0.0, -0.5, 0.0]))
    q = 4.0**-m
    layers.append(([[-2.0 * q], [4.0 * q], [1.0]], [0.0]))
    return _as_params(layers, dtype)
