"""Weight initialisation shared by the MLPs and CNNs of :mod:`relulab.nets` (private module)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from .. import _validate

__all__ = ["INITS", "check_init", "init_std", "n_params", "normal_weights", "random_mlp"]

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
    for shape, size in zip(shapes, sizes, strict=True):
        out.append(z[start : start + size].reshape(shape))
        start += size
    return out


def random_mlp(
    rng: np.random.Generator | int,
    sizes: Sequence[int],
    *,
    init: str = "he",
    bias_std: float = 0.5,
    bias_mean: float = 0.0,
    dtype: type = np.float64,
) -> list[tuple[np.ndarray, np.ndarray]]:
    r"""A random MLP with non-zero biases, as NumPy arrays (for counting pieces and regions).

    Layer :math:`\ell` gets weights :math:`W_\ell \sim \mathcal{N}(0, s^2)` with :math:`s`
    from :func:`init_std` (He by default) and biases :math:`b_\ell \sim
    \mathcal{N}(\mu_b, \sigma_b^2)`, drawn layer after layer (``W`` then ``b``) from
    ``rng``. Unlike :func:`mlp_init`, whose biases are zero (every region of such a ReLU
    network is a cone through the origin), the biases spread the kinks over the input space.
    NumPy rather than JAX: no compilation per network shape, and float64 for the exact
    algorithms of :mod:`relulab.regions`.

    Args:
        rng: a NumPy generator (in a chapter, ``relulab.seeding.rng("stream")``) or an int seed
            for ``np.random.default_rng``.
        sizes: widths ``[n_0, n_1, ..., n_L]``, at least two, each >= 1.
        init: ``"he"``, ``"glorot"`` or ``"lecun"`` (the weights' standard deviation).
        bias_std: standard deviation :math:`\sigma_b \ge 0` of the biases.
        bias_mean: mean :math:`\mu_b` of the biases (negative values make units dead more often).
        dtype: NumPy floating dtype of the arrays.

    Returns:
        A list of ``(W, b)`` with ``W`` of shape ``(n_{l-1}, n_l)`` and ``b`` of shape ``(n_l,)``.

    >>> params = random_mlp(0, [2, 8, 1], bias_std=0.5)
    >>> [(W.shape, b.shape) for W, b in params], bool(np.all(params[0][1] != 0))
    ([((2, 8), (8,)), ((8, 1), (1,))], True)
    """
    if not isinstance(rng, np.random.Generator):
        seed = _validate.integer(rng, "rng", minimum=0, expected="a numpy.random.Generator or a non-negative int seed")
        rng = np.random.default_rng(seed)
    sizes = _validate.integers(sizes, "sizes", min_len=2)
    init = check_init(init)
    bias_std = _validate.number(bias_std, "bias_std", low=0.0, expected="a non-negative number")
    bias_mean = _validate.number(bias_mean, "bias_mean")
    float_dtype = _validate.float_dtype(dtype)
    return [
        (
            rng.normal(0.0, init_std(n_in, n_out, init), (n_in, n_out)).astype(float_dtype),
            rng.normal(bias_mean, bias_std, n_out).astype(float_dtype),
        )
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]
