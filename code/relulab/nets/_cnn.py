"""Convolutional networks of :mod:`relulab.nets`: init, convolution layer, forward pass (private module)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from .. import _validate, conv
from ..activations import resolve
from ._init import check_init, init_std, normal_weights
from ._mlp import Params, check_params

__all__ = ["cnn_apply", "cnn_hidden", "cnn_init", "conv_layer"]


_POOLS = ("max", "avg", "none")


def _check_shape3(in_shape: object) -> tuple[int, int, int]:
    _validate.sequence(in_shape, "in_shape", length=3, expected="(height, width, channels), e.g. (8, 8, 1)")
    h, w, c = _validate.integers(in_shape, "in_shape", min_len=3)
    return h, w, c


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
    init = check_init(init)
    hh, ww = h, w
    for i in range(len(channels)):
        hh, ww = _pooled(hh, pool), _pooled(ww, pool)
        _validate.check(
            hh >= 1 and ww >= 1,
            "in_shape",
            f"be large enough for {len(channels)} pooling steps (after convolution {i} the feature map would be empty)",
            repr((h, w, c)),
        )
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
    shapes = [(k, k, ci, co) for ci, co in zip(cins, channels, strict=True)] + list(
        zip(dense[:-1], dense[1:], strict=True)
    )
    params = []
    for shape, Z in zip(shapes, normal_weights(key, shapes, dtype), strict=True):
        if len(shape) == 4:
            std = init_std(k * k * shape[2], k * k * shape[3], init)
        else:
            std = init_std(shape[0], shape[1], init)
        params.append((std * Z, jnp.zeros((shape[-1],), dtype=dtype)))
    return params


def _pool(x: jax.Array, pool: str) -> jax.Array:
    """2x2 pooling with stride 2 (:func:`relulab.conv.max_pool` / :func:`relulab.conv.avg_pool`)."""
    if pool == "none":
        return x
    return conv.max_pool(x, 2) if pool == "max" else conv.avg_pool(x, 2)


def conv_layer(x: ArrayLike, W: ArrayLike, b: ArrayLike) -> jax.Array:
    r"""A CNN's convolution layer: stride 1, ``"SAME"`` padding, plus a bias, on a batch (NHWC/HWIO).

    .. math::

        y_{n,i,j,o} = b_o + \sum_{u,v,c} x_{n,\,i+u-p,\,j+v-p,\,c}\, W_{u,v,c,o}

    (zero padding ``p`` so that the output has the input's height and width),
    as deep-learning libraries define "convolution" (the kernel is not flipped). It is
    :func:`relulab.conv.conv2d_batch` with ``padding="SAME"`` plus ``b``; for one image,
    ``"VALID"`` padding and no bias see :func:`relulab.conv.conv2d_image`.

    Args:
        x: images of shape ``(batch, height, width, c_in)``.
        W: kernels of shape ``(k_h, k_w, c_in, c_out)``.
        b: bias of shape ``(c_out,)``.

    Returns:
        Feature maps of shape ``(batch, height, width, c_out)``.

    Raises:
        ValueError: wrong ranks, channels that do not match, or ``b`` not of shape ``(c_out,)``.

    >>> import jax.numpy as jnp
    >>> x = jnp.arange(9.0).reshape(1, 3, 3, 1)
    >>> conv_layer(x, jnp.ones((3, 3, 1, 1)), jnp.zeros(1))[0, 1, 1, 0].item()  # sum of all 9
    36.0
    """
    y = conv.conv2d_batch(x, W, padding="SAME")
    _validate.shape(b, "b", (y.shape[-1],), why=f"to match W of shape {tuple(np.shape(W))}")
    return y + jnp.asarray(b, dtype=y.dtype)


def _cnn_input(params: list, x: ArrayLike) -> tuple[jax.Array, bool]:
    x = _validate.float_array(x, "x")
    W0 = params[0][0]
    _validate.shape(
        W0, "params[0] W", ("k_h", "k_w", "c_in", "c_out"), why="(a convolution layer; for an MLP use mlp_apply)"
    )
    c_in = np.shape(W0)[2]
    _validate.shape(
        x, "x", ("batch", "height", "width", c_in), ("height", "width", c_in), why="(NHWC images, or one image)"
    )
    single = x.ndim == 3
    if single:
        x = x[None]
    return x.astype(W0.dtype), single


def _cnn_prepare(params, x, activation, pool):
    params = check_params(params, conv=True)
    act = resolve(activation)
    pool = _validate.choice(pool, "pool", _POOLS)
    h, single = _cnn_input(params, x)
    n_conv = sum(1 for W, _ in params if np.ndim(W) == 4)
    dense = params[n_conv:]
    _validate.check(
        len(dense) > 0,
        "params",
        "end with at least one dense layer (W of shape (n_in, n_out))",
        f"{n_conv} convolution layers only",
    )
    hh, ww = h.shape[1], h.shape[2]
    for _ in range(n_conv):
        hh, ww = _pooled(hh, pool), _pooled(ww, pool)
    n_feat = hh * ww * np.shape(params[n_conv - 1][0])[3]
    _validate.shape(
        dense[0][0],
        f"params[{n_conv}] W",
        (n_feat, "n_out"),
        why=f"since the convolutions produce {n_feat} features for x of shape {tuple(np.shape(x))} "
        f"(was cnn_init called with this image size and pool={pool!r}?)",
    )
    return params, act, h, single, n_conv


@functools.partial(jax.jit, static_argnums=(2, 3, 4))
def _cnn_forward(
    params: list, h: jax.Array, act: Callable, pool: str, n_conv: int
) -> tuple[list[jax.Array], list[jax.Array], jax.Array]:
    pre, post = [], []
    for W, b in params[:n_conv]:
        z = conv_layer(h, W, b)
        a = act(z)
        pre.append(z)
        post.append(a)
        h = _pool(a, pool)
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
    activation: str | Callable = "relu",
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
    activation: str | Callable = "relu",
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
