r"""Dead units: hidden units that output exactly zero on every input of a data set.

A hidden unit :math:`j` of layer :math:`\ell` computes
:math:`h^{(\ell)}_j(x) = \sigma(z^{(\ell)}_j(x))` with pre-activation
:math:`z^{(\ell)} = h^{(\ell-1)} W_\ell + b_\ell` and :math:`h^{(0)} = x`.
Given a finite set of inputs :math:`X = \{x_1, \dots, x_n\}`, the unit is
**dead on** :math:`X` when

.. math::

    \sigma\bigl(z^{(\ell)}_j(x_i)\bigr) = 0 \quad \text{for every } i = 1, \dots, n,

compared exactly, in floating point. For ReLU this is
:math:`z^{(\ell)}_j(x_i) \le 0` for every :math:`i`. Then the unit contributes
nothing downstream, and because :math:`\mathrm{relu}'(z) = 0` for
:math:`z \le 0` (JAX's convention at 0), the loss gradient with respect to its
incoming weights and bias is exactly zero on :math:`X`.

What "dead" means for other activations (``activation=`` takes any name of
:data:`relulab.activations.ACTIVATIONS` or a callable):

* ``leaky_relu`` and ``elu`` are zero only at :math:`z = 0` exactly, so a unit is
  dead only when its pre-activation is exactly 0 on every input (for example all
  its incoming weights and its bias are 0): essentially never.
* ``gelu`` :math:`z\Phi(z)`, ``softplus``, ``sigmoid`` are never zero in exact
  arithmetic, but in float32 they underflow to exactly 0 for very negative
  pre-activations (below about -14 for ``gelu``, -104 for ``softplus`` and
  ``sigmoid``): such a unit *is* reported dead, and its gradient is (numerically) 0 too.
* ``tanh`` is zero only at :math:`z = 0`, as for leaky ReLU.

"Dead on X" is a statement about the given inputs only: a unit dead on the
training set may be alive on a test input. A unit in a deeper layer can also
come back to life during training, because the layers below it keep changing
(see the chapter "Should I use ReLU?").

Parameters follow :mod:`relulab.nets`: a list of ``(W, b)`` pairs, ``W`` of
shape ``(n_in, n_out)``, ``b`` of shape ``(n_out,)``, ``x @ W + b``, and the last
layer linear (so it has no units that can die; it is never inspected here).

The forward pass is that of :func:`relulab.nets.mlp_hidden`, so "dead" is judged on exactly
the activations the networks of :mod:`relulab.nets` compute. All functions are pure
``jax.numpy`` with validation on shapes only, so they work under ``jax.jit`` and inside
``jax.vmap`` over stacked parameters:

>>> import jax, jax.numpy as jnp
>>> params = [(jnp.array([[1.0, -1.0]]), jnp.array([0.0, -5.0])),
...           (jnp.ones((2, 1)), jnp.zeros(1))]
>>> X = jnp.array([[0.5], [2.0]])
>>> [m.tolist() for m in dead_units(params, X)]
[[False, True]]
>>> stacked = jax.tree.map(lambda a: jnp.stack([a, a, a]), params)
>>> jax.vmap(lambda p: dead_fraction(p, X))(stacked).tolist()
[0.5, 0.5, 0.5]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from . import _validate
from .nets import mlp_hidden

__all__ = [
    "dead_fraction",
    "dead_units",
    "hidden_preactivations",
    "network_dead",
]

Params = Sequence[tuple[ArrayLike, ArrayLike]]


def _check_X(X: ArrayLike, n_in: int, dtype: np.dtype) -> jax.Array:
    X = _validate.float_array(X, "X", dtype=dtype)
    hint = "(use X[None, :] for a single input)" if X.ndim == 1 else ""
    _validate.shape(X, "X", ("batch", n_in), nonempty=True, why=f"to match the first layer {hint}".strip())
    return X.astype(dtype)


def _hidden(params: Params, X: ArrayLike, activation: str | Callable) -> tuple[list[jax.Array], list[jax.Array]]:
    """Pre-activations and activations of every hidden layer, by :func:`relulab.nets.mlp_hidden`
    (the library's one MLP forward pass), after checking that ``X`` is a non-empty batch."""
    layers = _validate.params(params)
    W0 = layers[0][0]
    X = _check_X(X, np.shape(W0)[0], W0.dtype)
    return mlp_hidden(layers, X, activation=activation)


def hidden_preactivations(params: Params, X: ArrayLike, *, activation: str | Callable = "relu") -> list[jax.Array]:
    r"""Pre-activations :math:`z^{(\ell)}` of every hidden layer on a batch.

    Args:
        params: list of ``(W, b)``, ``W`` of shape ``(n_in, n_out)``; the last
            layer is the linear output layer and is not evaluated.
        X: inputs, shape ``(batch, n_in)`` with ``batch >= 1``.
        activation: the hidden activation, a name or a callable.

    Returns:
        One array of shape ``(batch, n_units)`` per hidden layer
        (``len(params) - 1`` arrays; an empty list for a purely linear model).

    Raises:
        TypeError: ``params`` is not a list of pairs, or an array is not numeric.
        ValueError: a shape does not fit (see the messages).

    >>> import jax.numpy as jnp
    >>> params = [(jnp.array([[2.0]]), jnp.array([-1.0])), (jnp.ones((1, 1)), jnp.zeros(1))]
    >>> hidden_preactivations(params, jnp.array([[0.0], [1.0]]))[0].ravel().tolist()
    [-1.0, 1.0]
    """
    return _hidden(params, X, activation)[0]


def dead_units(params: Params, X: ArrayLike, *, activation: str | Callable = "relu") -> list[jax.Array]:
    r"""Which hidden units output exactly zero for every input in ``X``.

    Unit :math:`j` of hidden layer :math:`\ell` is dead on :math:`X` when
    :math:`\sigma(z^{(\ell)}_j(x_i)) = 0` for all rows :math:`x_i` of ``X``
    (for ReLU: :math:`z^{(\ell)}_j(x_i) \le 0` for all :math:`i`).

    Args:
        params: list of ``(W, b)``, ``W`` of shape ``(n_in, n_out)``, ``b`` of
            shape ``(n_out,)``; the last layer is linear and has no units to check.
        X: inputs, shape ``(batch, n_in)`` with ``batch >= 1``.
        activation: the hidden activation, a name in
            :data:`relulab.activations.ACTIVATIONS` or a callable.

    Returns:
        A list with one boolean array of shape ``(n_units,)`` per hidden layer,
        ``True`` where the unit is dead on ``X``.

    Raises:
        TypeError: ``params`` is not a list of ``(W, b)`` pairs, or an array is
            not numeric.
        ValueError: wrong shapes, empty ``X``, or an unknown activation name.

    >>> import jax.numpy as jnp
    >>> W1 = jnp.array([[1.0, -1.0, 0.0]])      # 1 input, 3 hidden units
    >>> b1 = jnp.array([0.0, 0.0, -1.0])
    >>> params = [(W1, b1), (jnp.ones((3, 1)), jnp.zeros(1))]
    >>> X = jnp.array([[1.0], [2.0]])           # positive inputs only
    >>> dead_units(params, X)[0].tolist()
    [False, True, True]
    """
    return [jnp.all(h == 0, axis=0) for h in _hidden(params, X, activation)[1]]


def dead_fraction(
    params: Params,
    X: ArrayLike,
    *,
    activation: str | Callable = "relu",
    per_layer: bool = False,
) -> jax.Array:
    r"""Fraction of hidden units that are dead on ``X``.

    With ``per_layer=False`` (default) this is the fraction over all hidden units
    pooled together, :math:`\sum_\ell d_\ell / \sum_\ell n_\ell` where layer
    :math:`\ell` has :math:`n_\ell` units of which :math:`d_\ell` are dead (so a
    wide layer weighs more than a narrow one). With ``per_layer=True`` it is the
    vector :math:`(d_\ell / n_\ell)_\ell`, one entry per hidden layer.

    Args:
        params: list of ``(W, b)`` as in :func:`dead_units`, with at least one
            hidden layer.
        X: inputs, shape ``(batch, n_in)``.
        activation: the hidden activation, a name or a callable.
        per_layer: return one fraction per hidden layer instead of the pooled one.

    Returns:
        A float scalar array, or an array of shape ``(n_hidden_layers,)``.

    Raises:
        ValueError: ``params`` has no hidden layer (a single linear layer), or
            as in :func:`dead_units`.

    >>> import jax.numpy as jnp
    >>> params = [(jnp.array([[1.0, -1.0, 0.0]]), jnp.array([0.0, 0.0, -1.0])),
    ...           (jnp.array([[1.0], [1.0], [1.0]]), jnp.zeros(1))]
    >>> round(float(dead_fraction(params, jnp.array([[1.0], [2.0]]))), 4)
    0.6667
    """
    per_layer = _validate.boolean(per_layer, "per_layer")
    masks = dead_units(params, X, activation=activation)
    _validate.check(
        len(masks) > 0,
        "params",
        "have a hidden layer, i.e. at least two (W, b) pairs, so that some units can be dead",
        "a single linear layer",
    )
    dtype = jnp.result_type(float)
    if per_layer:
        return jnp.stack([jnp.mean(m.astype(dtype)) for m in masks])
    return jnp.concatenate(masks).astype(dtype).mean()


def network_dead(params: Params, X: ArrayLike, *, activation: str | Callable = "relu") -> jax.Array:
    r"""Whether some hidden layer is dead as a whole on ``X``.

    If every unit of a hidden layer outputs 0 on every row of ``X``, the layers
    after it receive the same input for every row, so the network's output is
    the same constant on all of ``X`` and no parameter below that layer gets
    any gradient. This is the "dead network" (at initialisation, "born dead")
    of Lu et al. (2020), checked on the finite set ``X``.

    Args:
        params: list of ``(W, b)`` as in :func:`dead_units`.
        X: inputs, shape ``(batch, n_in)``.
        activation: the hidden activation, a name or a callable.

    Returns:
        A boolean scalar array (``False`` for a model with no hidden layer).

    >>> import jax.numpy as jnp
    >>> params = [(jnp.array([[1.0, 1.0]]), jnp.array([-3.0, -4.0])),
    ...           (jnp.ones((2, 1)), jnp.zeros(1))]
    >>> bool(network_dead(params, jnp.array([[0.0], [1.0], [2.0]])))
    True
    """
    masks = dead_units(params, X, activation=activation)
    if not masks:
        return jnp.asarray(False)
    return jnp.any(jnp.stack([jnp.all(m) for m in masks]))
