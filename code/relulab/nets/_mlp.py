"""Multilayer perceptrons of :mod:`relulab.nets`: init, forward pass, hidden layers (private module)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from .. import _validate
from ..activations import resolve
from ._init import check_init, init_std, normal_weights

__all__ = ["Params", "mlp_apply", "mlp_hidden", "mlp_init", "mlp_with_patterns"]

Params = list[tuple[jax.Array, jax.Array]]
"""Network parameters: a list of ``(W, b)`` tuples, one per layer."""


def check_params(params: object, *, conv: bool = False) -> list:
    """Validate an MLP (or, with ``conv=True``, CNN) parameter list (see :mod:`relulab._validate`)."""
    return _validate.params(params, conv=conv, source="cnn_init" if conv else "mlp_init")


def mlp_init(
    key: jax.Array,
    sizes: Sequence[int],
    *,
    init: str = "he",
    dtype: jnp.dtype = jnp.float32,
) -> Params:
    r"""Initialise an MLP with layer widths ``sizes``.

    Layer :math:`\ell` has weights :math:`W_\ell \in \mathbb{R}^{n_{\ell-1} \times n_\ell}`
    drawn i.i.d. from :math:`\mathcal{N}(0, s^2)` with :math:`s` from
    :func:`init_std` (He: variance :math:`2/n_{\ell-1}`; Glorot:
    :math:`2/(n_{\ell-1}+n_\ell)`; LeCun: :math:`1/n_{\ell-1}`), and zero biases.

    Args:
        key: a JAX PRNG key, e.g. ``jax.random.key(0)``.
        sizes: widths ``[n_0, n_1, ..., n_L]``: input width, hidden widths,
            output width. At least two entries, each >= 1.
        init: ``"he"`` (default, for ReLU), ``"glorot"`` or ``"lecun"``.
        dtype: floating dtype of the parameters.

    Returns:
        A list of ``L`` tuples ``(W, b)`` with ``W`` of shape ``(n_{l-1}, n_l)`` and
        ``b`` of shape ``(n_l,)``.

    Raises:
        TypeError: ``key`` is not a PRNG key, or ``sizes`` is not a sequence of integers.
        ValueError: fewer than two sizes, a size < 1, or an unknown ``init``.

    >>> import jax
    >>> params = mlp_init(jax.random.key(0), [3, 4, 2], init="glorot")
    >>> [(W.shape, b.shape) for W, b in params]
    [((3, 4), (4,)), ((4, 2), (2,))]
    """
    key = _validate.key(key)
    sizes = _validate.integers(sizes, "sizes", min_len=2)
    init = check_init(init)
    return _mlp_init_jit(key, sizes, init, jnp.dtype(dtype))


@functools.partial(jax.jit, static_argnums=(1, 2, 3))
def _mlp_init_jit(key: jax.Array, sizes: tuple[int, ...], init: str, dtype: jnp.dtype) -> Params:
    # One compiled program per architecture: eager jax.random calls would compile once per shape.
    shapes = list(zip(sizes[:-1], sizes[1:], strict=True))
    params = []
    for (n_in, n_out), Z in zip(shapes, normal_weights(key, shapes, dtype), strict=True):
        params.append((init_std(n_in, n_out, init) * Z, jnp.zeros((n_out,), dtype=dtype)))
    return params


def _mlp_input(params: list, x: ArrayLike) -> tuple[jax.Array, bool]:
    x = _validate.float_array(x, "x")
    n_in = np.shape(params[0][0])[0]
    _validate.shape(x, "x", (n_in,), ("batch", n_in), why=f"to match params[0] W of shape {np.shape(params[0][0])}")
    return x.astype(params[0][0].dtype), x.ndim == 1


def mlp_hidden(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    x: ArrayLike,
    *,
    activation: str | Callable = "relu",
) -> tuple[list[jax.Array], list[jax.Array]]:
    r"""Pre-activations and activations of every hidden layer of an MLP.

    For hidden layers :math:`\ell = 1, \dots, L-1`:
    :math:`z_\ell = h_{\ell-1} W_\ell + b_\ell` and :math:`h_\ell = \sigma(z_\ell)`,
    with :math:`h_0 = x`. The linear output layer is not included (use
    :func:`mlp_apply`). For ReLU, ``h == 0`` exactly where ``z <= 0``: a unit is
    *inactive* there, and the pattern of signs of all ``z`` is the input's
    *activation pattern* (which linear piece of the network it lies on).

    Args:
        params: list of ``(W, b)`` as returned by :func:`mlp_init`.
        x: one input of shape ``(n_0,)`` or a batch of shape ``(batch, n_0)``.
        activation: a name in :data:`relulab.activations.ACTIVATIONS` or a callable.

    Returns:
        ``(pre, post)``: two lists of length ``L - 1`` (empty for a network
        with no hidden layer); ``pre[l]`` is :math:`z_{l+1}` and ``post[l]`` is
        :math:`h_{l+1}`, each of shape ``(n_{l+1},)`` or ``(batch, n_{l+1})``.

    Raises:
        ValueError: ``x`` does not have ``n_0`` features, the parameters'
            shapes do not chain, or ``activation`` is an unknown name.

    >>> import jax, jax.numpy as jnp
    >>> params = mlp_init(jax.random.key(1), [2, 5, 3, 1])
    >>> pre, post = mlp_hidden(params, jnp.ones((4, 2)))
    >>> [z.shape for z in pre], bool(jnp.all(post[0] == jnp.maximum(pre[0], 0)))
    ([(4, 5), (4, 3)], True)
    """
    params = check_params(params)
    act = resolve(activation)
    h, _ = _mlp_input(params, x)
    pre, post, _ = _mlp_forward(params, h, act)
    return pre, post


def _forward(params: list, h: Any, act: Callable) -> tuple[list, list, Any]:
    """The MLP forward pass, for JAX arrays (jitted below) and NumPy arrays alike."""
    pre, post = [], []
    for W, b in params[:-1]:
        z = h @ W + b
        h = act(z)
        pre.append(z)
        post.append(h)
    W, b = params[-1]
    return pre, post, h @ W + b


# Jitted so that an eager call compiles one program instead of one per operation.
_mlp_forward = jax.jit(_forward, static_argnums=2)


def mlp_apply(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    x: ArrayLike,
    *,
    activation: str | Callable = "relu",
) -> jax.Array:
    r"""Evaluate an MLP: hidden layers :math:`h_\ell = \sigma(h_{\ell-1} W_\ell + b_\ell)`, linear output.

    .. math::

        f(x) = \sigma(\cdots\sigma(x W_1 + b_1)\cdots) W_L + b_L

    Args:
        params: list of ``(W, b)`` as returned by :func:`mlp_init`.
        x: one input of shape ``(n_0,)`` or a batch of shape ``(batch, n_0)``;
            integer inputs are converted to the parameters' float dtype.
        activation: a name in :data:`relulab.activations.ACTIVATIONS` or an
            elementwise callable.

    Returns:
        The output, shape ``(n_L,)`` for one input or ``(batch, n_L)``.

    Raises:
        TypeError: ``params`` is not a list of ``(W, b)`` pairs or ``x`` is not numeric.
        ValueError: ``x`` has the wrong shape, the parameter shapes do not
            chain, or ``activation`` is an unknown name.

    >>> import jax.numpy as jnp
    >>> params = [(jnp.array([[1.0, -1.0]]), jnp.zeros(2)), (jnp.ones((2, 1)), jnp.zeros(1))]
    >>> mlp_apply(params, jnp.array([[-3.0], [2.0]])).tolist()  # relu(x) + relu(-x) = |x|
    [[3.0], [2.0]]
    """
    params = check_params(params)
    act = resolve(activation)
    h, _ = _mlp_input(params, x)
    return _mlp_forward(params, h, act)[2]


def _numpy_activation(activation: str | Callable) -> Callable:
    if isinstance(activation, str) and activation == "relu":
        return lambda z: np.maximum(z, 0.0).astype(z.dtype, copy=False)
    fn = resolve(activation)
    return lambda z: np.asarray(fn(z), dtype=z.dtype)


def mlp_with_patterns(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    x: ArrayLike,
    *,
    activation: str | Callable = "relu",
) -> tuple[np.ndarray, np.ndarray]:
    r"""The output of an MLP and the activation pattern of every input, computed in NumPy.

    The same forward pass as :func:`mlp_apply` (one loop serves both), run on NumPy arrays in
    the dtype of ``x`` and the parameters: no JAX program is compiled, which makes it cheap for
    the many network shapes of a sweep over architectures. The *activation pattern* of an
    input lists, for every hidden unit, whether its pre-activation is positive
    (:math:`z > 0`, the unit is active); for ReLU two inputs with the same pattern lie on the
    same linear piece of the network (the order of units is that of
    :func:`relulab.regions.region_polygons`).

    Args:
        params: list of ``(W, b)`` as returned by :func:`mlp_init` or :func:`random_mlp`.
        x: one input ``(n_0,)`` or a batch ``(batch, n_0)``; integers are taken as float64.
        activation: ``"relu"`` (NumPy's maximum), another name in
            :data:`relulab.activations.ACTIVATIONS`, or a callable that accepts NumPy arrays.

    Returns:
        ``(out, pattern)``: ``out`` of shape ``(batch, n_L)`` and ``pattern`` a bool array of
        shape ``(batch, N)``, ``N`` the number of hidden units, first hidden layer first (without
        the batch axis for one input).

    >>> params = [(np.array([[1.0, -1.0]]), np.zeros(2)), (np.ones((2, 1)), np.zeros(1))]
    >>> out, pattern = mlp_with_patterns(params, np.array([[-3.0], [2.0]]))   # |x|
    >>> out.tolist(), pattern.tolist()
    ([[3.0], [2.0]], [[False, True], [True, False]])
    """
    layers = check_params(params)
    _validate.real_dtype(x, "x")
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    n_in = np.shape(layers[0][0])[0]
    _validate.shape(x, "x", (n_in,), ("batch", n_in))
    layers = [(np.asarray(W), np.asarray(b)) for W, b in layers]
    pre, _, out = _forward(layers, x, _numpy_activation(activation))
    pattern = np.concatenate([z > 0 for z in pre], axis=-1) if pre else np.zeros((*x.shape[:-1], 0), dtype=bool)
    return out, pattern
