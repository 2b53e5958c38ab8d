r"""2D convolution (cross-correlation), classic filters, max- and average pooling.

Deep-learning "convolution" is **cross-correlation**: the kernel slides over
the image *without being flipped*. For a single-channel image :math:`x` and a
:math:`k_h \times k_w` kernel :math:`w`,

.. math::

    y[i, j] = \sum_{u=0}^{k_h - 1} \sum_{v=0}^{k_w - 1} x[i s + u,\, j s + v]\, w[u, v],

with stride :math:`s` and the image zero-padded first as ``padding`` says.
That is what :func:`jax.lax.conv_general_dilated` computes, and what every
function here computes by default; pass ``flip_kernel=True`` to get the
convolution of signal processing (the kernel rotated by 180 degrees first).
For the symmetric :data:`FILTERS` (Laplacian, blurs) the two agree; for the
Sobel filters they differ by a sign.

Layouts are those of JAX/TensorFlow: images are ``NHWC`` (batch, height,
width, channels) and kernels ``HWIO`` (height, width, in-channels,
out-channels). :func:`conv2d_batch` takes a batch of images, :func:`conv2d_image`
one image ``(H, W, C_in)``, and :func:`filter2d` is the grayscale shortcut: a
``(H, W)`` image and a ``(kh, kw)`` kernel. None of them adds a bias; the
convolution *layer* of a CNN (``"SAME"`` padding plus a bias, on a batch) is
:func:`relulab.nets.conv_layer`. The feature-map plot is
:func:`relulab.plots.plot_feature_map` (this module does not import matplotlib).

>>> import numpy as np
>>> from relulab.conv import filter2d, get_filter
>>> step = np.repeat([[0.0, 0.0, 1.0, 1.0]], 3, axis=0)   # dark -> bright, left to right
>>> filter2d(step, get_filter("sobel_x")).tolist()         # positive on a rising edge
[[4.0, 4.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import numpy.typing as npt
from jax import lax
from jax.typing import ArrayLike

from . import _validate

__all__ = [
    "FILTERS",
    "Padding",
    "Stride",
    "active_fraction",
    "as_hwio",
    "avg_pool",
    "conv2d_batch",
    "conv2d_image",
    "filter2d",
    "get_filter",
    "max_pool",
]

Stride = int | tuple[int, int]
"""A positive ``int`` s (the same step along both axes) or ``(s_h, s_w)``."""

Padding = str | int | tuple[tuple[int, int], tuple[int, int]]
"""``"VALID"`` (no padding), ``"SAME"`` (output as large as the input when the
stride is 1), a non-negative ``int`` p (p zeros on every side), or
``((top, bottom), (left, right))``."""


def _readonly(rows: npt.ArrayLike) -> np.ndarray:
    a = np.array(rows, dtype=np.float32)
    a.setflags(write=False)
    return a


FILTERS: dict[str, np.ndarray] = {
    "sobel_x": _readonly([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "sobel_y": _readonly([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "laplacian": _readonly([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "box_blur": _readonly(np.full((3, 3), 1.0 / 9.0)),
    "gaussian_blur": _readonly(np.outer([1, 2, 1], [1, 2, 1]) / 16.0),
}
"""Classic 3x3 filters as read-only ``float32`` arrays, for cross-correlation.

* ``sobel_x``: horizontal derivative; positive where brightness *increases*
  from left to right (a vertical edge), negative where it decreases.
* ``sobel_y``: vertical derivative; positive where brightness increases from
  top to bottom (row index growing).
* ``laplacian``: sum of second differences; zero on flat or linear ramps,
  negative on a bright dot or ridge, positive on a dark one.
* ``box_blur``: mean of the 3x3 neighbourhood (entries 1/9).
* ``gaussian_blur``: binomial approximation of a Gaussian (1 2 1)/4 in each
  direction; entries sum to 1.

Edge and Laplacian kernels sum to 0 (a flat patch gives 0); blur kernels sum
to 1 (a flat patch is unchanged). Use :func:`get_filter` for a writable copy.

:meta hide-value:
"""


def get_filter(name: str) -> np.ndarray:
    """A writable copy of the classic filter called ``name``.

    Args:
        name: a key of :data:`FILTERS`.

    Returns:
        A ``(3, 3)`` ``float32`` array.

    Raises:
        ValueError: unknown name; the message lists the valid ones.

    >>> get_filter("laplacian").sum()
    np.float32(0.0)
    """
    return FILTERS[_validate.choice(name, "name", sorted(FILTERS))].copy()


# ---------------------------------------------------------------------------- validation

_PADDING = "'VALID', 'SAME', a non-negative int or ((top, bottom), (left, right))"


def _as_pair(x: ArrayLike, y: ArrayLike, xname: str, yname: str) -> tuple[jax.Array, jax.Array]:
    """Two real arrays as JAX arrays of one floating dtype (strict-promotion safe)."""
    dx, dy = _validate.real_dtype(x, xname), _validate.real_dtype(y, yname)
    if dx == dy and np.issubdtype(dx, np.floating):
        dtype = jax.dtypes.canonicalize_dtype(dx)
    else:
        dtype = jnp.result_type(float)  # the default float (float32 unless x64 is on)
    return jnp.asarray(x, dtype=dtype), jnp.asarray(y, dtype=dtype)


def _check_rank(value: Any, layout: tuple[str, ...], name: str) -> None:
    """A shape of one axis per name in ``layout`` (e.g. ``("H", "W")``), every size >= 1."""
    _validate.shape(value, name, layout, nonempty=True)


def _positive(value: Any, name: str) -> int:
    return _validate.integer(value, name, minimum=1)


def _non_negative(value: Any, name: str) -> int:
    return _validate.integer(value, name, minimum=0)


def _norm_pair(value: int | tuple[int, int], name: str) -> tuple[int, int]:
    """A positive int ``p`` or a pair ``(p_h, p_w)`` (a stride or a pooling window) as a pair."""
    return _validate.pair(value, name, _positive, scalar_ok=True, expected="a positive int or a pair of them")


def _norm_padding(padding: Padding) -> str | tuple[tuple[int, int], tuple[int, int]]:
    if isinstance(padding, str):
        _validate.check(padding.upper() in ("VALID", "SAME"), "padding", "be " + _PADDING, repr(padding))
        return padding.upper()

    def side_pair(value: Any, name: str) -> tuple[int, int]:
        return _validate.pair(value, name, _non_negative, expected="a pair (before, after) of non-negative ints")

    if isinstance(padding, (tuple, list)):
        return _validate.pair(padding, "padding", side_pair, expected=_PADDING)
    p = _validate.integer(padding, "padding", minimum=0, expected=_PADDING)
    return (p, p), (p, p)


def _check_fits(hw: tuple[int, int], khw: tuple[int, int], padding: Any, what: str) -> None:
    if isinstance(padding, str):
        if padding == "SAME":
            return
        pads = ((0, 0), (0, 0))
    else:
        pads = padding
    for axis, n, k, (lo, hi) in zip(("height", "width"), hw, khw, pads, strict=True):
        _validate.check(
            n + lo + hi >= k,
            "kernel",
            f"have {axis} <= the padded {what} {axis} {n + lo + hi} ({n} + padding {lo}+{hi}; or use padding='SAME')",
            f"{axis} {k}",
        )


# ---------------------------------------------------------------------------- convolution


@partial(jax.jit, static_argnames=("padding", "stride", "flip_kernel"))
def _conv_nhwc(
    images: jax.Array, kernel: jax.Array, padding: Any, stride: tuple[int, int], flip_kernel: bool
) -> jax.Array:
    if flip_kernel:
        kernel = kernel[::-1, ::-1]
    return lax.conv_general_dilated(
        images,
        kernel,
        window_strides=stride,
        padding=padding,
        dimension_numbers=("NHWC", "HWIO", "NHWC"),
    )


def conv2d_batch(
    images: ArrayLike,
    kernel: ArrayLike,
    *,
    padding: Padding = "VALID",
    stride: Stride = 1,
    flip_kernel: bool = False,
) -> jax.Array:
    r"""Cross-correlate a batch of images with a bank of filters.

    A thin, checked wrapper around :func:`jax.lax.conv_general_dilated` with
    ``dimension_numbers=("NHWC", "HWIO", "NHWC")``. Output channel ``o`` is
    :math:`y[n, i, j, o] = \sum_{u, v, c} x[n, i s + u, j s + v, c]\, w[u, v, c, o]`
    (after padding). No bias, no activation.

    Args:
        images: shape ``(N, H, W, C_in)``; integer images are cast to float.
        kernel: shape ``(kh, kw, C_in, C_out)``.
        padding: ``"VALID"`` (default, no padding: output ``H - kh + 1``),
            ``"SAME"`` (zero padding so the output is ``ceil(H / stride)``;
            for an even kernel the extra zero goes at the bottom/right), an
            int, or ``((top, bottom), (left, right))``.
        stride: a positive int or ``(sh, sw)``.
        flip_kernel: if True, rotate the kernel by 180 degrees first, giving
            true (signal-processing) convolution.

    Returns:
        Shape ``(N, H', W', C_out)``, floating.

    Raises:
        ValueError: wrong rank, a size < 1, mismatched channels, or a kernel
            larger than the padded image.
        TypeError: non-real dtype, or malformed ``padding``/``stride``.

    >>> import jax.numpy as jnp
    >>> conv2d_batch(jnp.ones((2, 5, 5, 3)), jnp.ones((3, 3, 3, 4))).shape
    (2, 3, 3, 4)
    """
    x, w = _as_pair(images, kernel, "images", "kernel")
    _check_rank(x, ("N", "H", "W", "C_in"), "images")
    _check_rank(w, ("kh", "kw", "C_in", "C_out"), "kernel")
    _validate.shape(w, "kernel", ("kh", "kw", x.shape[3], "C_out"), why=f"to match images of shape {tuple(x.shape)}")
    pad = _norm_padding(padding)
    strides = _norm_pair(stride, "stride")
    _check_fits((x.shape[1], x.shape[2]), (w.shape[0], w.shape[1]), pad, "image")
    return _conv_nhwc(x, w, pad, strides, bool(flip_kernel))


def _single(x: ArrayLike, name: str, layout: tuple[str, ...]) -> ArrayLike:
    """Check a single image (or kernel) of the given layout before it is given batch/channel axes."""
    _validate.real_dtype(x, name)
    _check_rank(x, layout, name)
    return x


def conv2d_image(
    image: ArrayLike,
    kernel: ArrayLike,
    *,
    padding: Padding = "VALID",
    stride: Stride = 1,
    flip_kernel: bool = False,
) -> jax.Array:
    """Cross-correlate one image ``(H, W, C_in)`` with a filter bank ``(kh, kw, C_in, C_out)``.

    The single-image form of :func:`conv2d_batch` (same maths; see there): no bias,
    ``"VALID"`` padding by default. (For a CNN layer, ``"SAME"`` padding plus a bias on a
    batch, see :func:`relulab.nets.conv_layer`.)

    Args:
        image: shape ``(H, W, C_in)``; integer images are cast to float.
        kernel: shape ``(kh, kw, C_in, C_out)``.
        padding, stride, flip_kernel: as in :func:`conv2d_batch`.

    Returns:
        Shape ``(H', W', C_out)``: one feature map per output channel.

    >>> import jax.numpy as jnp
    >>> conv2d_image(jnp.ones((4, 4, 1)), jnp.ones((3, 3, 1, 2)), padding="SAME")[..., 0].tolist()[0]
    [4.0, 6.0, 6.0, 4.0]
    """
    image = _single(image, "image", ("H", "W", "C_in"))
    out = conv2d_batch(jnp.asarray(image)[None], kernel, padding=padding, stride=stride, flip_kernel=flip_kernel)
    return out[0]


def filter2d(
    image: ArrayLike,
    kernel: ArrayLike,
    *,
    padding: Padding = "VALID",
    stride: Stride = 1,
    flip_kernel: bool = False,
) -> jax.Array:
    r"""Cross-correlate a grayscale image ``(H, W)`` with one 2D kernel ``(kh, kw)``.

    The feature map of a single filter, as in the first layer of a CNN on a
    one-channel image, without bias or activation:
    :math:`y[i, j] = \sum_{u, v} x[i s + u, j s + v]\, w[u, v]` after padding.

    Args:
        image: shape ``(H, W)``; integer images are cast to float.
        kernel: shape ``(kh, kw)``, e.g. one of :data:`FILTERS`.
        padding, stride, flip_kernel: as in :func:`conv2d_batch`.

    Returns:
        Shape ``(H', W')``.

    >>> import numpy as np
    >>> filter2d(np.arange(16.0).reshape(4, 4), np.ones((2, 2))).tolist()
    [[10.0, 14.0, 18.0], [26.0, 30.0, 34.0], [42.0, 46.0, 50.0]]
    """
    image = _single(image, "image", ("H", "W"))
    kernel = _single(kernel, "kernel", ("kh", "kw"))
    out = conv2d_batch(
        jnp.asarray(image)[None, :, :, None],
        jnp.asarray(kernel)[:, :, None, None],
        padding=padding,
        stride=stride,
        flip_kernel=flip_kernel,
    )
    return out[0, :, :, 0]


def as_hwio(kernels: ArrayLike | Sequence[ArrayLike]) -> jax.Array:
    """Stack 2D kernels into an ``HWIO`` bank for a one-channel image.

    Args:
        kernels: shape ``(K, kh, kw)``, or a sequence of ``K`` arrays ``(kh, kw)``.

    Returns:
        Shape ``(kh, kw, 1, K)``: output channel ``k`` is ``kernels[k]``.

    >>> from relulab.conv import FILTERS
    >>> as_hwio([FILTERS["sobel_x"], -FILTERS["sobel_x"]]).shape
    (3, 3, 1, 2)
    """
    if isinstance(kernels, (list, tuple)):
        _validate.sequence(kernels, "kernels", min_len=1, expected="a sequence of 2D kernels")
        shapes = {np.shape(k) for k in kernels}
        _validate.check(len(shapes) == 1, "kernels", "all have the same shape (kh, kw)", f"shapes {sorted(shapes)}")
        kernels = jnp.stack([_validate.float_array(k, f"kernels[{i}]") for i, k in enumerate(kernels)])
    k = _validate.float_array(kernels, "kernels")
    _check_rank(k, ("K", "kh", "kw"), "kernels")
    return jnp.transpose(k, (1, 2, 0))[:, :, None, :]


# ---------------------------------------------------------------------------- pooling, sparsity


@partial(jax.jit, static_argnames=("kind", "size", "stride"))
def _pool_nhwc(x: jax.Array, kind: str, size: tuple[int, int], stride: tuple[int, int]) -> jax.Array:
    if size == stride:
        # non-overlapping windows as a reshape (rows/columns that do not fill a window are
        # dropped); its gradient is cheaper on CPU than that of lax.reduce_window
        n, h, w, c = x.shape
        (ph, pw), (oh, ow) = size, (h // size[0], w // size[1])
        blocks = x[:, : oh * ph, : ow * pw, :].reshape(n, oh, ph, ow, pw, c)
        return blocks.max(axis=(2, 4)) if kind == "max" else blocks.mean(axis=(2, 4))
    window, strides = (1, *size, 1), (1, *stride, 1)
    if kind == "max":
        return lax.reduce_window(x, -jnp.inf, lax.max, window, strides, "VALID")
    total = lax.reduce_window(x, 0.0, lax.add, window, strides, "VALID")
    return total / (size[0] * size[1])


def _pool(x: ArrayLike, kind: str, size: Any, stride: Any) -> jax.Array:
    a = _validate.float_array(x, "x")
    _validate.shape(a, "x", ("H", "W"), ("H", "W", "C"), ("N", "H", "W", "C"), nonempty=True)
    win = _norm_pair(size, "size")
    step = win if stride is None else _norm_pair(stride, "stride")
    hw = a.shape[:2] if a.ndim in (2, 3) else a.shape[1:3]
    _validate.check(
        hw[0] >= win[0] and hw[1] >= win[1], "size", f"fit in the spatial size {tuple(hw)}", f"window {win}"
    )
    if a.ndim == 2:
        return _pool_nhwc(a[None, :, :, None], kind, win, step)[0, :, :, 0]
    if a.ndim == 3:
        return _pool_nhwc(a[None], kind, win, step)[0]
    return _pool_nhwc(a, kind, win, step)


def max_pool(
    x: ArrayLike,
    size: int | tuple[int, int] = 2,
    *,
    stride: int | tuple[int, int] | None = None,
) -> jax.Array:
    r"""Max-pooling over non-padded spatial windows.

    :math:`y[i, j] = \max_{0 \le u < p_h,\, 0 \le v < p_w} x[i s_h + u, j s_w + v]`
    per channel. Rows/columns that do not fill a whole window are dropped
    (``VALID``), so a ``(7, 7)`` map pooled by 2 becomes ``(3, 3)``.

    Args:
        x: ``(H, W)``, ``(H, W, C)`` or ``(N, H, W, C)``; the rank says which.
        size: window ``p`` or ``(p_h, p_w)``.
        stride: default ``size`` (non-overlapping windows).

    Returns:
        The pooled array, same rank as ``x``, floating.

    >>> import numpy as np
    >>> max_pool(np.array([[1.0, -2.0], [-3.0, 0.5]])).tolist()
    [[1.0]]
    """
    return _pool(x, "max", size, stride)


def avg_pool(
    x: ArrayLike,
    size: int | tuple[int, int] = 2,
    *,
    stride: int | tuple[int, int] | None = None,
) -> jax.Array:
    r"""Average pooling over non-padded spatial windows.

    :math:`y[i, j] = \frac{1}{p_h p_w} \sum_{0 \le u < p_h,\, 0 \le v < p_w} x[i s_h + u, j s_w + v]`
    per channel. The arguments, the windows (``VALID``: rows and columns that do not fill
    one are dropped) and the result are those of :func:`max_pool`. Unlike max-pooling,
    averaging does not commute with ReLU: ``avg_pool(relu(x))`` can differ from
    ``relu(avg_pool(x))`` where a window mixes signs.

    >>> import numpy as np
    >>> avg_pool(np.array([[1.0, -2.0], [-3.0, 0.5]])).tolist()
    [[-0.875]]
    """
    return _pool(x, "avg", size, stride)


def active_fraction(x: ArrayLike, threshold: float = 0.0) -> float:
    """Fraction of entries strictly greater than ``threshold``.

    With the default threshold this is the fraction of a ReLU's inputs that it
    lets through; ``1 - active_fraction(z)`` is the fraction of exact zeros in
    ``relu(z)`` (its sparsity).

    Args:
        x: an array of any shape with at least one entry.
        threshold: a real number.

    Returns:
        A Python float in ``[0, 1]``.

    >>> active_fraction([-1.0, 0.0, 2.0, 3.0])
    0.5
    """
    a = _validate.float_array(x, "x")
    _validate.check(a.size > 0, "x", "have at least one entry", f"an empty array of shape {a.shape}")
    threshold = _validate.number(threshold, "threshold", finite=False, expected="a real number")
    return int(jnp.count_nonzero(a > jnp.asarray(threshold, dtype=a.dtype))) / a.size
