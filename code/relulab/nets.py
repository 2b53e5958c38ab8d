r"""Small neural networks as pure functions of plain-pytree parameters.

Multilayer perceptrons (MLPs)
    Parameters are a Python ``list`` of ``(W, b)`` tuples, one per layer, with
    ``W`` of shape ``(n_in, n_out)`` and ``b`` of shape ``(n_out,)``. Layer
    :math:`\ell` computes the *pre-activation* :math:`z_\ell = h_{\ell-1} W_\ell + b_\ell`
    and, for every layer but the last, the *activation*
    :math:`h_\ell = \sigma(z_\ell)`; the last layer is linear, so the network
    output is :math:`z_L`.

    * :func:`mlp_init` draws the weights (He, Glorot or LeCun scaling).
    * :func:`mlp_apply` evaluates the network.
    * :func:`mlp_hidden` returns every hidden layer's pre-activations and
      activations (for dead units, activation patterns and linear regions).

Convolutional networks (CNNs)
    Parameters are again a list of ``(W, b)`` tuples: first the convolution
    layers, with ``W`` of shape ``(k_h, k_w, c_in, c_out)`` (HWIO) and ``b`` of
    shape ``(c_out,)``, then the dense layers as in an MLP. Images are NHWC:
    ``(batch, height, width, channels)``, or ``(height, width, channels)`` for
    a single image.

    * :func:`cnn_init` builds ``conv -> act -> pool`` blocks followed by dense
      layers (hidden ones activated, the last one linear).
    * :func:`cnn_apply` evaluates it; :func:`cnn_hidden` returns the
      activated feature maps and hidden dense activations.

Activations are given by name (any key of :data:`relulab.activations.ACTIVATIONS`)
or as a callable.

>>> import jax
>>> from relulab.nets import mlp_init, mlp_apply
>>> params = mlp_init(jax.random.key(0), [2, 16, 1])
>>> [W.shape for W, b in params]
[(2, 16), (16, 1)]
>>> mlp_apply(params, jax.numpy.ones((5, 2))).shape
(5, 1)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Union

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from . import _validate
from .activations import resolve

__all__ = [
    "INITS",
    "Params",
    "cnn_apply",
    "cnn_hidden",
    "cnn_init",
    "conv2d",
    "init_std",
    "mlp_apply",
    "mlp_hidden",
    "mlp_init",
    "n_params",
]

Params = list[tuple[jax.Array, jax.Array]]
"""Network parameters: a list of ``(W, b)`` tuples, one per layer."""

INITS: tuple[str, ...] = ("he", "glorot", "lecun")
"""Names of the weight initialisations understood by :func:`mlp_init` and :func:`cnn_init`."""


def _check_init(init: object) -> str:
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
    init = _check_init(init)
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
    >>> n_params(mlp_init(jax.random.key(0), [2, 3, 1]))  # 2*3+3 + 3*1+1
    13
    """
    return int(sum(np.size(W) + np.size(b) for W, b in params))


# ---------------------------------------------------------------------------
# MLPs
# ---------------------------------------------------------------------------


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
    init = _check_init(init)
    return _mlp_init_jit(key, sizes, init, jnp.dtype(dtype))


def _normal_weights(key: jax.Array, shapes: Sequence[tuple[int, ...]], dtype: jnp.dtype) -> list[jax.Array]:
    # One flat standard-normal draw, cut into the weight shapes. A single draw keeps compilation cheap
    # (each threefry draw costs ~0.5 s of XLA compile on CPU, and a 4-D draw over 10 s).
    sizes = [math.prod(s) for s in shapes]
    z = jax.random.normal(key, (sum(sizes),), dtype=dtype)
    out, start = [], 0
    for shape, size in zip(shapes, sizes):
        out.append(z[start : start + size].reshape(shape))
        start += size
    return out


@functools.partial(jax.jit, static_argnums=(1, 2, 3))
def _mlp_init_jit(key: jax.Array, sizes: tuple[int, ...], init: str, dtype: jnp.dtype) -> Params:
    # One compiled program per architecture: eager jax.random calls would compile once per shape.
    shapes = list(zip(sizes[:-1], sizes[1:]))
    params = []
    for (n_in, n_out), Z in zip(shapes, _normal_weights(key, shapes, dtype)):
        params.append((init_std(n_in, n_out, init) * Z, jnp.zeros((n_out,), dtype=dtype)))
    return params


def _mlp_input(params: list, x: ArrayLike) -> tuple[jax.Array, bool]:
    x = _validate.float_array(x, "x")
    n_in = np.shape(params[0][0])[0]
    if x.ndim not in (1, 2) or x.shape[-1] != n_in:
        _validate.fail(ValueError, "x", f"have shape ({n_in},) or (batch, {n_in}) to match params[0] W of "
                       f"shape {tuple(np.shape(params[0][0]))}", f"shape {x.shape}")
    return x.astype(params[0][0].dtype), x.ndim == 1


def mlp_hidden(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    x: ArrayLike,
    *,
    activation: Union[str, Callable] = "relu",
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
    params = _check_params(params)
    act = resolve(activation)
    h, _ = _mlp_input(params, x)
    pre, post, _ = _mlp_forward(params, h, act)
    return pre, post


@functools.partial(jax.jit, static_argnums=2)
def _mlp_forward(params: list, h: jax.Array, act: Callable) -> tuple[list, list, jax.Array]:
    # Jitted so that an eager call compiles one program instead of one per operation.
    pre, post = [], []
    for W, b in params[:-1]:
        z = h @ W + b
        h = act(z)
        pre.append(z)
        post.append(h)
    W, b = params[-1]
    return pre, post, h @ W + b


def mlp_apply(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    x: ArrayLike,
    *,
    activation: Union[str, Callable] = "relu",
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
    params = _check_params(params)
    act = resolve(activation)
    h, _ = _mlp_input(params, x)
    return _mlp_forward(params, h, act)[2]


# ---------------------------------------------------------------------------
# CNNs
# ---------------------------------------------------------------------------

_POOLS = ("max", "avg", "none")


def _check_shape3(in_shape: object) -> tuple[int, int, int]:
    if isinstance(in_shape, (str, bytes)) or not isinstance(in_shape, Sequence) or len(in_shape) != 3:
        _validate.fail(ValueError, "in_shape", "be (height, width, channels), e.g. (8, 8, 1)", repr(in_shape))
    return _validate.integers(in_shape, "in_shape", min_len=3)  # type: ignore[return-value]


def _pooled(n: int, pool: str) -> int:
    return n if pool == "none" else n // 2


def cnn_init(
    key: jax.Array,
    in_shape: Sequence[int] = (8, 8, 1),
    *,
    channels: Sequence[int] = (8, 16),
    hidden: Sequence[int] = (),
    n_out: int = 10,
    kernel_size: int = 3,
    pool: str = "max",
    init: str = "he",
    dtype: jnp.dtype = jnp.float32,
) -> Params:
    r"""Initialise a small CNN: ``[conv k x k -> act -> pool 2x2] * len(channels) -> flatten -> dense``.

    Each convolution uses ``"SAME"`` padding and stride 1, so a 2x2 pool
    (stride 2) halves height and width (rounding down). After the
    convolution blocks come dense layers of widths ``hidden`` (activated)
    and a final linear layer of width ``n_out``. Weights are
    :math:`\mathcal{N}(0, s^2)` with :math:`s` from :func:`init_std`, where a
    convolution's fan-in is :math:`k^2 c_\text{in}` and fan-out :math:`k^2 c_\text{out}`;
    biases are zero.

    Args:
        key: a JAX PRNG key.
        in_shape: ``(height, width, channels)`` of one input image.
        channels: output channels of each convolution (at least one entry).
        hidden: widths of hidden dense layers after the convolutions (may be empty).
        n_out: width of the linear output layer (e.g. number of classes).
        kernel_size: odd or even size ``k`` of the square ``k x k`` kernels.
        pool: ``"max"`` (default), ``"avg"`` or ``"none"``; must match the
            ``pool`` given to :func:`cnn_apply`.
        init: ``"he"``, ``"glorot"`` or ``"lecun"``.
        dtype: floating dtype of the parameters.

    Returns:
        A list of ``(W, b)``: ``len(channels)`` convolution layers (``W`` of shape
        ``(k, k, c_in, c_out)``) followed by ``len(hidden) + 1`` dense layers.

    Raises:
        ValueError: a size < 1, pooling shrinks the image to nothing, or an
            unknown ``pool``/``init`` name.

    >>> import jax
    >>> params = cnn_init(jax.random.key(0), (8, 8, 1), channels=(4, 8), n_out=10)
    >>> [W.shape for W, b in params]
    [(3, 3, 1, 4), (3, 3, 4, 8), (32, 10)]
    """
    key = _validate.key(key)
    h, w, c = _check_shape3(in_shape)
    channels = _validate.integers(channels, "channels", min_len=1)
    hidden = _validate.integers(hidden, "hidden", min_len=0)
    n_out = _validate.integer(n_out, "n_out", minimum=1)
    k = _validate.integer(kernel_size, "kernel_size", minimum=1)
    pool = _validate.choice(pool, "pool", _POOLS)
    init = _check_init(init)
    hh, ww = h, w
    for i in range(len(channels)):
        hh, ww = _pooled(hh, pool), _pooled(ww, pool)
        if hh < 1 or ww < 1:
            _validate.fail(ValueError, "in_shape", f"be large enough for {len(channels)} pooling steps "
                           f"(after convolution {i} the feature map would be empty)", repr(tuple(in_shape)))
    dense = (hh * ww * channels[-1], *hidden, n_out)
    return _cnn_init_jit(key, c, channels, dense, k, init, jnp.dtype(dtype))


@functools.partial(jax.jit, static_argnums=(1, 2, 3, 4, 5, 6))
def _cnn_init_jit(
    key: jax.Array,
    c_in: int,
    channels: tuple[int, ...],
    dense: tuple[int, ...],
    k: int,
    init: str,
    dtype: jnp.dtype,
) -> Params:
    cins = (c_in, *channels[:-1])
    shapes = [(k, k, ci, co) for ci, co in zip(cins, channels)] + list(zip(dense[:-1], dense[1:]))
    params = []
    for shape, Z in zip(shapes, _normal_weights(key, shapes, dtype)):
        if len(shape) == 4:
            std = init_std(k * k * shape[2], k * k * shape[3], init)
        else:
            std = init_std(shape[0], shape[1], init)
        params.append((std * Z, jnp.zeros((shape[-1],), dtype=dtype)))
    return params


def _pool2(x: jax.Array, pool: str) -> jax.Array:
    if pool == "none":
        return x
    n, h, w, c = x.shape
    h, w = h // 2, w // 2
    # non-overlapping 2x2 windows as a reshape (an odd last row/column is dropped); its gradient
    # is cheaper on CPU than that of lax.reduce_window
    blocks = x[:, : 2 * h, : 2 * w, :].reshape(n, h, 2, w, 2, c)
    if pool == "max":
        return blocks.max(axis=(2, 4))
    return blocks.mean(axis=(2, 4))


def conv2d(x: jax.Array, W: jax.Array, b: jax.Array) -> jax.Array:
    r"""A stride-1, ``"SAME"``-padded 2D convolution (cross-correlation) plus bias, NHWC/HWIO.

    .. math::

        y_{n,i,j,o} = b_o + \sum_{u,v,c} x_{n,\,i+u-p,\,j+v-p,\,c}\, W_{u,v,c,o}

    (zero padding ``p`` so that the output has the input's height and width),
    as deep-learning libraries define "convolution" (the kernel is not flipped).

    Args:
        x: images of shape ``(batch, height, width, c_in)``.
        W: kernels of shape ``(k_h, k_w, c_in, c_out)``.
        b: bias of shape ``(c_out,)``.

    Returns:
        Feature maps of shape ``(batch, height, width, c_out)``.

    >>> import jax.numpy as jnp
    >>> x = jnp.arange(9.0).reshape(1, 3, 3, 1)
    >>> conv2d(x, jnp.ones((3, 3, 1, 1)), jnp.zeros(1))[0, 1, 1, 0].item()  # sum of all 9
    36.0
    """
    y = jax.lax.conv_general_dilated(
        x, W, window_strides=(1, 1), padding="SAME", dimension_numbers=("NHWC", "HWIO", "NHWC")
    )
    return y + b


def _cnn_input(params: list, x: ArrayLike) -> tuple[jax.Array, bool]:
    x = _validate.float_array(x, "x")
    W0 = params[0][0]
    if np.ndim(W0) != 4:
        _validate.fail(ValueError, "params[0] W", "have shape (k_h, k_w, c_in, c_out): a convolution layer "
                       "(for an MLP use mlp_apply)", f"shape {tuple(np.shape(W0))}")
    c_in = np.shape(W0)[2]
    if x.ndim not in (3, 4) or x.shape[-1] != c_in:
        _validate.fail(ValueError, "x", f"be NHWC images of shape (batch, height, width, {c_in}) or one image "
                       f"of shape (height, width, {c_in})", f"shape {x.shape}")
    single = x.ndim == 3
    if single:
        x = x[None]
    return x.astype(W0.dtype), single


def _cnn_prepare(params, x, activation, pool):
    params = _check_params(params, conv=True)
    act = resolve(activation)
    pool = _validate.choice(pool, "pool", _POOLS)
    h, single = _cnn_input(params, x)
    n_conv = sum(1 for W, _ in params if np.ndim(W) == 4)
    dense = params[n_conv:]
    if not dense:
        _validate.fail(ValueError, "params", "end with at least one dense layer (W of shape (n_in, n_out))",
                       f"{n_conv} convolution layers only")
    hh, ww = h.shape[1], h.shape[2]
    for _ in range(n_conv):
        hh, ww = _pooled(hh, pool), _pooled(ww, pool)
    n_feat = hh * ww * np.shape(params[n_conv - 1][0])[3]
    if n_feat != np.shape(dense[0][0])[0]:
        _validate.fail(ValueError, f"params[{n_conv}] W",
                       f"have shape ({n_feat}, n_out): the convolutions produce {n_feat} features for x of "
                       f"shape {tuple(np.shape(x))} (was cnn_init called with this image size and "
                       f"pool={pool!r}?)", f"shape {tuple(np.shape(dense[0][0]))}")
    return params, act, h, single, n_conv


@functools.partial(jax.jit, static_argnums=(2, 3, 4))
def _cnn_forward(params: list, h: jax.Array, act: Callable, pool: str, n_conv: int):
    pre, post = [], []
    for W, b in params[:n_conv]:
        z = conv2d(h, W, b)
        a = act(z)
        pre.append(z)
        post.append(a)
        h = _pool2(a, pool)
    h = h.reshape(h.shape[0], -1)
    dense = params[n_conv:]
    for W, b in dense[:-1]:
        z = h @ W + b
        h = act(z)
        pre.append(z)
        post.append(h)
    return pre, post, h @ dense[-1][0] + dense[-1][1]


def cnn_hidden(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    x: ArrayLike,
    *,
    activation: Union[str, Callable] = "relu",
    pool: str = "max",
) -> tuple[list[jax.Array], list[jax.Array]]:
    """Pre-activations and activations of every hidden layer of a CNN (before pooling).

    Args:
        params: list of ``(W, b)`` as returned by :func:`cnn_init`.
        x: images ``(batch, height, width, c_in)`` or one image ``(height, width, c_in)``.
        activation: a name or callable.
        pool: ``"max"``, ``"avg"`` or ``"none"``, as used in :func:`cnn_init`.

    Returns:
        ``(pre, post)``: lists with one entry per convolution layer (feature
        maps ``(batch, h, w, c_out)`` *before* pooling) and then one per
        hidden dense layer (``(batch, n)``). The batch axis is dropped for a
        single image.

    >>> import jax, jax.numpy as jnp
    >>> params = cnn_init(jax.random.key(0), (8, 8, 1), channels=(4,), hidden=(6,), n_out=3)
    >>> pre, post = cnn_hidden(params, jnp.ones((2, 8, 8, 1)))
    >>> [p.shape for p in post]
    [(2, 8, 8, 4), (2, 6)]
    """
    params, act, h, single, n_conv = _cnn_prepare(params, x, activation, pool)
    pre, post, _ = _cnn_forward(params, h, act, pool, n_conv)
    if single:
        pre = [p[0] for p in pre]
        post = [p[0] for p in post]
    return pre, post


def cnn_apply(
    params: Sequence[tuple[ArrayLike, ArrayLike]],
    x: ArrayLike,
    *,
    activation: Union[str, Callable] = "relu",
    pool: str = "max",
) -> jax.Array:
    """Evaluate a CNN from :func:`cnn_init`: ``[conv -> act -> pool]* -> flatten -> [dense -> act]* -> dense``.

    Args:
        params: list of ``(W, b)`` as returned by :func:`cnn_init`.
        x: NHWC images of shape ``(batch, height, width, c_in)``, or one image
            of shape ``(height, width, c_in)``.
        activation: a name in :data:`relulab.activations.ACTIVATIONS` or a callable.
        pool: ``"max"`` (default), ``"avg"`` or ``"none"``, as used in :func:`cnn_init`.

    Returns:
        Outputs (e.g. class logits) of shape ``(batch, n_out)``, or ``(n_out,)``
        for a single image.

    Raises:
        ValueError: wrong image shape or channels, parameters that do not
            chain, or an unknown activation or pool name.

    >>> import jax, jax.numpy as jnp
    >>> params = cnn_init(jax.random.key(0), (8, 8, 1))
    >>> cnn_apply(params, jnp.zeros((5, 8, 8, 1))).shape
    (5, 10)
    >>> cnn_apply(params, jnp.zeros((8, 8, 1)), activation="tanh").shape
    (10,)
    """
    params, act, h, single, n_conv = _cnn_prepare(params, x, activation, pool)
    out = _cnn_forward(params, h, act, pool, n_conv)[2]
    return out[0] if single else out
