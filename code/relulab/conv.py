r"""2D convolution, classic filters, max-pooling and feature-map plots.

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
out-channels). :func:`filter2d` is the grayscale shortcut: a ``(H, W)`` image
and a ``(kh, kw)`` kernel.

>>> import numpy as np
>>> from relulab.conv import filter2d, get_filter
>>> step = np.repeat([[0.0, 0.0, 1.0, 1.0]], 3, axis=0)   # dark -> bright, left to right
>>> filter2d(step, get_filter("sobel_x")).tolist()         # positive on a rising edge
[[4.0, 4.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, Union

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.typing import ArrayLike
from matplotlib.axes import Axes
from matplotlib.image import AxesImage

__all__ = [
    "FILTERS",
    "Padding",
    "active_fraction",
    "as_hwio",
    "conv2d",
    "conv2d_batch",
    "filter2d",
    "get_filter",
    "max_pool",
    "plot_feature_map",
]

Padding = Union[str, int, tuple[tuple[int, int], tuple[int, int]]]
"""``"VALID"`` (no padding), ``"SAME"`` (output as large as the input when the
stride is 1), a non-negative ``int`` p (p zeros on every side), or
``((top, bottom), (left, right))``."""


def _readonly(rows: Sequence[Sequence[float]]) -> np.ndarray:
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
    if not isinstance(name, str) or name not in FILTERS:
        raise ValueError(f"unknown filter name {name!r}; valid names are: {', '.join(sorted(FILTERS))}")
    return FILTERS[name].copy()


# ---------------------------------------------------------------------------- validation


def _dtype_of(x: Any, name: str) -> np.dtype:
    if isinstance(x, (jax.Array, jax.core.Tracer)):
        return np.dtype(x.dtype)
    try:
        return np.asarray(x).dtype
    except Exception as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} must be an array of real numbers, got {type(x).__name__}") from exc


def _check_real(x: Any, name: str) -> np.dtype:
    dtype = _dtype_of(x, name)
    if dtype == np.bool_ or not (np.issubdtype(dtype, np.floating) or np.issubdtype(dtype, np.integer)):
        raise TypeError(
            f"{name} must hold real numbers (integer or floating dtype), got dtype {dtype}"
        )
    return dtype


def _as_pair(x: ArrayLike, y: ArrayLike, xname: str, yname: str) -> tuple[jax.Array, jax.Array]:
    """Two real arrays as JAX arrays of one floating dtype (strict-promotion safe)."""
    dx, dy = _check_real(x, xname), _check_real(y, yname)
    if dx == dy and np.issubdtype(dx, np.floating):
        dtype = jax.dtypes.canonicalize_dtype(dx)
    else:
        dtype = jnp.result_type(float)  # the default float (float32 unless x64 is on)
    return jnp.asarray(x, dtype=dtype), jnp.asarray(y, dtype=dtype)


def _as_float(x: ArrayLike, name: str) -> jax.Array:
    dtype = _check_real(x, name)
    if not np.issubdtype(dtype, np.floating):
        dtype = jnp.result_type(float)
    return jnp.asarray(x, dtype=jax.dtypes.canonicalize_dtype(dtype))


def _check_rank(shape: tuple[int, ...], rank: int, name: str, layout: str) -> None:
    if len(shape) != rank:
        raise ValueError(f"{name} must have rank {rank} with layout {layout}, got shape {tuple(shape)}")
    if any(s < 1 for s in shape):
        raise ValueError(f"{name} must have every size >= 1 ({layout}), got shape {tuple(shape)}")


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _norm_stride(stride: Union[int, tuple[int, int]]) -> tuple[int, int]:
    if _is_int(stride):
        pair = (int(stride), int(stride))
    elif isinstance(stride, (tuple, list)) and len(stride) == 2 and all(_is_int(s) for s in stride):
        pair = (int(stride[0]), int(stride[1]))
    else:
        raise TypeError(f"stride must be a positive int or a pair of them, got {stride!r}")
    if min(pair) < 1:
        raise ValueError(f"stride must be >= 1, got {stride!r}")
    return pair


def _norm_padding(padding: Padding) -> Union[str, tuple[tuple[int, int], tuple[int, int]]]:
    if isinstance(padding, str):
        p = padding.upper()
        if p not in ("VALID", "SAME"):
            raise ValueError(
                f"padding must be 'VALID', 'SAME', a non-negative int or ((top, bottom), (left, right)), "
                f"got {padding!r}"
            )
        return p
    if _is_int(padding):
        if padding < 0:
            raise ValueError(f"padding must be >= 0, got {padding!r}")
        p = int(padding)
        return ((p, p), (p, p))
    ok = (
        isinstance(padding, (tuple, list))
        and len(padding) == 2
        and all(isinstance(q, (tuple, list)) and len(q) == 2 and all(_is_int(v) for v in q) for q in padding)
    )
    if not ok:
        raise TypeError(
            f"padding must be 'VALID', 'SAME', a non-negative int or ((top, bottom), (left, right)), "
            f"got {padding!r}"
        )
    pads = tuple((int(a), int(b)) for a, b in padding)
    if min(min(q) for q in pads) < 0:
        raise ValueError(f"padding amounts must be >= 0, got {padding!r}")
    return pads  # type: ignore[return-value]


def _check_fits(hw: tuple[int, int], khw: tuple[int, int], padding: Any, what: str) -> None:
    if isinstance(padding, str):
        if padding == "SAME":
            return
        pads = ((0, 0), (0, 0))
    else:
        pads = padding
    for axis, n, k, (lo, hi) in zip(("height", "width"), hw, khw, pads):
        if n + lo + hi < k:
            raise ValueError(
                f"kernel {axis} {k} exceeds the padded {what} {axis} {n + lo + hi} "
                f"({n} + padding {lo}+{hi}); use padding='SAME' or a smaller kernel"
            )


# ---------------------------------------------------------------------------- convolution


@partial(jax.jit, static_argnames=("padding", "stride", "flip_kernel"))
def _conv_nhwc(images: jax.Array, kernel: jax.Array, padding: Any, stride: tuple[int, int], flip_kernel: bool) -> jax.Array:
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
    stride: Union[int, tuple[int, int]] = 1,
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
    _check_rank(x.shape, 4, "images", "(N, H, W, C_in)")
    _check_rank(w.shape, 4, "kernel", "(kh, kw, C_in, C_out)")
    if x.shape[3] != w.shape[2]:
        raise ValueError(
            f"images have {x.shape[3]} channels (shape {tuple(x.shape)}) but kernel expects "
            f"C_in={w.shape[2]} (shape {tuple(w.shape)})"
        )
    pad = _norm_padding(padding)
    strides = _norm_stride(stride)
    _check_fits(x.shape[1:3], w.shape[:2], pad, "image")
    return _conv_nhwc(x, w, pad, strides, bool(flip_kernel))


def conv2d(
    image: ArrayLike,
    kernel: ArrayLike,
    *,
    padding: Padding = "VALID",
    stride: Union[int, tuple[int, int]] = 1,
    flip_kernel: bool = False,
) -> jax.Array:
    """Cross-correlate one image ``(H, W, C_in)`` with a filter bank ``(kh, kw, C_in, C_out)``.

    The single-image form of :func:`conv2d_batch` (same maths; see there).

    Args:
        image: shape ``(H, W, C_in)``; integer images are cast to float.
        kernel: shape ``(kh, kw, C_in, C_out)``.
        padding: ``"VALID"`` (default), ``"SAME"``, an int, or ``((top, bottom), (left, right))``.
        stride: a positive int or ``(sh, sw)``.
        flip_kernel: if True, true convolution instead of cross-correlation.

    Returns:
        Shape ``(H', W', C_out)``: one feature map per output channel.

    >>> import jax.numpy as jnp
    >>> conv2d(jnp.ones((4, 4, 1)), jnp.ones((3, 3, 1, 2)), padding="SAME")[..., 0].tolist()[0]
    [4.0, 6.0, 6.0, 4.0]
    """
    _check_real(image, "image")
    _check_rank(np.shape(image), 3, "image", "(H, W, C_in)")
    out = conv2d_batch(
        jnp.asarray(image)[None], kernel, padding=padding, stride=stride, flip_kernel=flip_kernel
    )
    return out[0]


def filter2d(
    image: ArrayLike,
    kernel: ArrayLike,
    *,
    padding: Padding = "VALID",
    stride: Union[int, tuple[int, int]] = 1,
    flip_kernel: bool = False,
) -> jax.Array:
    r"""Cross-correlate a grayscale image ``(H, W)`` with one 2D kernel ``(kh, kw)``.

    The feature map of a single filter, as in the first layer of a CNN on a
    one-channel image, without bias or activation:
    :math:`y[i, j] = \sum_{u, v} x[i s + u, j s + v]\, w[u, v]` after padding.

    Args:
        image: shape ``(H, W)``; integer images are cast to float.
        kernel: shape ``(kh, kw)``, e.g. one of :data:`FILTERS`.
        padding: ``"VALID"`` (default), ``"SAME"``, an int, or ``((top, bottom), (left, right))``.
        stride: a positive int or ``(sh, sw)``.
        flip_kernel: if True, true convolution instead of cross-correlation.

    Returns:
        Shape ``(H', W')``.

    >>> import numpy as np
    >>> filter2d(np.arange(16.0).reshape(4, 4), np.ones((2, 2))).tolist()
    [[10.0, 14.0, 18.0], [26.0, 30.0, 34.0], [42.0, 46.0, 50.0]]
    """
    _check_real(image, "image")
    _check_real(kernel, "kernel")
    ishape, kshape = np.shape(image), np.shape(kernel)
    _check_rank(ishape, 2, "image", "(H, W)")
    _check_rank(kshape, 2, "kernel", "(kh, kw)")
    out = conv2d_batch(
        jnp.asarray(image)[None, :, :, None],
        jnp.asarray(kernel)[:, :, None, None],
        padding=padding,
        stride=stride,
        flip_kernel=flip_kernel,
    )
    return out[0, :, :, 0]


def as_hwio(kernels: Union[ArrayLike, Sequence[ArrayLike]]) -> jax.Array:
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
        if len(kernels) == 0:
            raise ValueError("kernels must hold at least one kernel, got an empty sequence")
        shapes = {np.shape(k) for k in kernels}
        if len(shapes) != 1:
            raise ValueError(f"kernels must all have the same shape (kh, kw), got shapes {sorted(shapes)}")
        for k in kernels:
            _check_real(k, "kernels")
        kernels = jnp.stack([_as_float(k, "kernels") for k in kernels])
    k = _as_float(kernels, "kernels")
    _check_rank(k.shape, 3, "kernels", "(K, kh, kw)")
    return jnp.transpose(k, (1, 2, 0))[:, :, None, :]


# ---------------------------------------------------------------------------- pooling, sparsity


@partial(jax.jit, static_argnames=("size", "stride"))
def _max_pool_nhwc(x: jax.Array, size: tuple[int, int], stride: tuple[int, int]) -> jax.Array:
    return lax.reduce_window(
        x, -jnp.inf, lax.max, (1, *size, 1), (1, *stride, 1), "VALID"
    )


def max_pool(
    x: ArrayLike,
    size: Union[int, tuple[int, int]] = 2,
    *,
    stride: Union[int, tuple[int, int], None] = None,
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
    a = _as_float(x, "x")
    if a.ndim not in (2, 3, 4) or any(s < 1 for s in a.shape):
        raise ValueError(f"x must have shape (H, W), (H, W, C) or (N, H, W, C) with sizes >= 1, got shape {tuple(a.shape)}")
    try:
        win = _norm_stride(size)
    except (TypeError, ValueError) as exc:
        raise type(exc)(str(exc).replace("stride", "size")) from None
    step = win if stride is None else _norm_stride(stride)
    hw = a.shape[:2] if a.ndim in (2, 3) else a.shape[1:3]
    if hw[0] < win[0] or hw[1] < win[1]:
        raise ValueError(f"pooling window {win} is larger than the spatial size {tuple(hw)}")
    if a.ndim == 2:
        return _max_pool_nhwc(a[None, :, :, None], win, step)[0, :, :, 0]
    if a.ndim == 3:
        return _max_pool_nhwc(a[None], win, step)[0]
    return _max_pool_nhwc(a, win, step)


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
    a = _as_float(x, "x")
    if a.size == 0:
        raise ValueError("x must have at least one entry, got an empty array")
    if isinstance(threshold, (bool, np.bool_)) or not isinstance(threshold, (int, float, np.integer, np.floating)):
        raise TypeError(f"threshold must be a real number, got {threshold!r}")
    return int(jnp.count_nonzero(a > jnp.asarray(threshold, dtype=a.dtype))) / a.size


# ---------------------------------------------------------------------------- plotting


def plot_feature_map(
    fmap: ArrayLike,
    *,
    ax: Union[Axes, None] = None,
    vmax: Union[float, None] = None,
    cmap: str = "RdBu_r",
    colorbar: bool = False,
    **kwargs: Any,
) -> AxesImage:
    """Show a 2D feature map with a diverging colour map centred at zero.

    The colour limits are symmetric, ``[-vmax, vmax]``, so zero is always the
    neutral middle colour (white for ``RdBu_r``), negative values are blue and
    positive ones red. Pass the same ``vmax`` to several maps (e.g. before and
    after ReLU) to compare them on one scale. ``RdBu_r`` and ``PuOr`` are
    colour-blind-safe diverging maps.

    Args:
        fmap: shape ``(H, W)``.
        ax: the axes to draw on (default: the current pyplot axes).
        vmax: positive half-range of the colour scale; default ``max |fmap|``
            (1 if the map is all zeros).
        cmap: a diverging matplotlib colour map name.
        colorbar: add a colour bar next to ``ax``; it is then ``image.colorbar``.
        **kwargs: passed to :meth:`matplotlib.axes.Axes.imshow`.

    Returns:
        The :class:`~matplotlib.image.AxesImage`.

    >>> from relulab.plots import figure
    >>> fig, ax = figure()
    >>> im = plot_feature_map([[-2.0, 1.0], [0.0, 0.5]], ax=ax)
    >>> im.get_clim()
    (-2.0, 2.0)
    """
    _check_real(fmap, "fmap")
    m = np.asarray(fmap, dtype=float)
    if m.ndim != 2 or min(m.shape) < 1:
        raise ValueError(f"fmap must be a 2D array (H, W), got shape {m.shape}")
    if vmax is None:
        finite = m[np.isfinite(m)]
        vmax = float(np.max(np.abs(finite))) if finite.size else 0.0
        if vmax == 0.0:
            vmax = 1.0
    elif isinstance(vmax, (bool, np.bool_)) or not np.isscalar(vmax) or not np.isfinite(vmax) or vmax <= 0:
        raise ValueError(f"vmax must be a positive finite number, got {vmax!r}")
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    opts = {"cmap": cmap, "interpolation": "nearest", **kwargs}
    image = ax.imshow(m, vmin=-float(vmax), vmax=float(vmax), **opts)
    ax.set_xticks([])
    ax.set_yticks([])
    if colorbar:
        ax.figure.colorbar(image, ax=ax)
    return image
