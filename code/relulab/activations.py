r"""Activation functions as pure, elementwise ``jax.numpy`` functions.

Every function here takes an array-like ``x`` of any shape and returns a
``jax.Array`` of the same shape, computed elementwise. They are plain functions,
so they compose with ``jax.jit``, ``jax.grad`` and ``jax.vmap``.

The registry :data:`ACTIVATIONS` maps a name to each function, and
:func:`resolve` turns a name *or* a callable into a callable: every other
module of :mod:`relulab` accepts an activation either way through it.

>>> from relulab.activations import relu, derivative
>>> relu([-1.0, 0.0, 2.0]).tolist()
[0.0, 0.0, 2.0]
>>> derivative("relu")([-1.0, 0.0, 2.0]).tolist()
[0.0, 0.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from . import _validate

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "derivative",
    "elu",
    "gelu",
    "leaky_relu",
    "prelu",
    "relu",
    "resolve",
    "sigmoid",
    "silu",
    "softplus",
    "switch",
    "tanh",
]

Activation = Callable[[jax.Array], jax.Array]
"""An elementwise function from an array to an array of the same shape."""


def _as_float_array(x: ArrayLike, name: str = "x") -> jax.Array:
    """``x`` as a floating JAX array (integers promoted); ``TypeError`` naming it otherwise."""
    return _validate.float_array(x, name)


def relu(x: ArrayLike) -> jax.Array:
    r"""Rectified linear unit, :math:`\mathrm{relu}(x) = \max(x, 0)`.

    Args:
        x: input of any shape.

    Returns:
        An array of the same shape as ``x``.

    The derivative at exactly 0 is taken to be 0 (the convention of
    ``jax.nn.relu``); any value in :math:`[0, 1]` is a valid subgradient there.

    >>> relu([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 3.0]
    """
    return jax.nn.relu(_as_float_array(x))


def leaky_relu(x: ArrayLike, negative_slope: float | jax.Array = 0.01) -> jax.Array:
    r"""Leaky ReLU, :math:`x` for :math:`x \ge 0` and :math:`a x` otherwise.

    Args:
        x: input of any shape.
        negative_slope: the slope :math:`a` for negative inputs; ``0`` gives
            :func:`relu` and ``1`` the identity.

    Returns:
        An array of the same shape as ``x``.

    >>> leaky_relu([-2.0, 3.0], negative_slope=0.1).tolist()
    [-0.2..., 3.0]
    """
    x = _as_float_array(x)
    if not isinstance(negative_slope, (jax.Array, jax.core.Tracer)):  # a traced slope is fine
        negative_slope = _validate.number(negative_slope, "negative_slope", expected="a real number")
    return jnp.where(x >= 0, x, negative_slope * x)


def prelu(x: ArrayLike, slope: ArrayLike) -> jax.Array:
    r"""Parametric ReLU, :math:`x` for :math:`x \ge 0` and :math:`a x` otherwise, with a learned slope :math:`a`.

    The function is :func:`leaky_relu`; what makes it PReLU (He et al. 2015) is that ``slope`` is a
    parameter trained with the weights, one per channel (the last axis of ``x``) or one shared by all;
    He et al. start it at 0.25. It is not in :data:`ACTIVATIONS`, which holds functions without
    parameters: pass it with its slope, e.g. ``lambda z: prelu(z, params_slope)``.

    Args:
        x: input of any shape.
        slope: the slope for negative inputs, a scalar or an array that broadcasts against ``x``
            (shape ``(channels,)`` for one slope per channel).

    Returns:
        An array of the same shape as ``x``.

    Raises:
        ValueError: ``slope`` does not broadcast to the shape of ``x``.

    >>> prelu([[-2.0, -2.0], [1.0, 3.0]], slope=[0.25, 0.5]).tolist()
    [[-0.5, -1.0], [1.0, 3.0]]
    >>> float(derivative(lambda z: prelu(z, 0.25))(-1.0))
    0.25
    """
    x = _as_float_array(x)
    slope = _as_float_array(slope, "slope")
    try:
        fits = jnp.broadcast_shapes(x.shape, slope.shape) == x.shape
    except ValueError:
        fits = False
    _validate.check(fits, "slope", f"broadcast to the shape of x, {x.shape}", f"shape {slope.shape}")
    return jnp.where(x >= 0, x, slope * x)


def elu(x: ArrayLike, alpha: float = 1.0) -> jax.Array:
    r"""Exponential linear unit, :math:`x` for :math:`x > 0`, :math:`\alpha(e^x - 1)` otherwise.

    Args:
        x: input of any shape.
        alpha: the negative saturation value is :math:`-\alpha`.

    Returns:
        An array of the same shape as ``x``.

    >>> round(float(elu(-30.0)), 6)
    -1.0
    """
    return jax.nn.elu(_as_float_array(x), alpha=alpha)


def gelu(x: ArrayLike) -> jax.Array:
    r"""Gaussian error linear unit, :math:`x\,\Phi(x)` with :math:`\Phi` the normal CDF.

    The exact form (not the tanh approximation) is used.

    Args:
        x: input of any shape.

    Returns:
        An array of the same shape as ``x``.

    >>> round(float(gelu(1.0)), 4)
    0.8413
    """
    return jax.nn.gelu(_as_float_array(x), approximate=False)


def silu(x: ArrayLike) -> jax.Array:
    r"""Sigmoid linear unit (also called Swish), :math:`x\,\sigma(x)` with :math:`\sigma` the logistic sigmoid.

    Smooth and non-monotonic: it dips to about :math:`-0.278` near :math:`x = -1.278` and approaches
    ReLU for large :math:`|x|`; its derivative :math:`\sigma(x)\,(1 + x(1 - \sigma(x)))` overshoots 1
    (about 1.0998 near :math:`x = 2.4`).

    Args:
        x: input of any shape.

    Returns:
        An array of the same shape as ``x``.

    >>> round(float(silu(1.0)), 4)
    0.7311
    """
    return jax.nn.silu(_as_float_array(x))


def softplus(x: ArrayLike) -> jax.Array:
    r"""Softplus, :math:`\log(1 + e^x)`, a smooth version of ReLU.

    Args:
        x: input of any shape.

    Returns:
        An array of the same shape as ``x``.

    >>> round(float(softplus(0.0)), 6)  # log 2
    0.693147
    """
    return jax.nn.softplus(_as_float_array(x))


def sigmoid(x: ArrayLike) -> jax.Array:
    r"""Logistic sigmoid, :math:`1 / (1 + e^{-x})`.

    Args:
        x: input of any shape.

    Returns:
        An array of the same shape as ``x``, with values in :math:`(0, 1)`.

    >>> float(sigmoid(0.0))
    0.5
    """
    return jax.nn.sigmoid(_as_float_array(x))


def tanh(x: ArrayLike) -> jax.Array:
    r"""Hyperbolic tangent, :math:`(e^x - e^{-x}) / (e^x + e^{-x})`.

    Args:
        x: input of any shape.

    Returns:
        An array of the same shape as ``x``, with values in :math:`(-1, 1)`.

    >>> float(tanh(0.0))
    0.0
    """
    return jnp.tanh(_as_float_array(x))


ACTIVATIONS: dict[str, Activation] = {
    "relu": relu,
    "leaky_relu": leaky_relu,
    "elu": elu,
    "gelu": gelu,
    "silu": silu,
    "softplus": softplus,
    "sigmoid": sigmoid,
    "tanh": tanh,
}
"""The activations by name: ``relu``, ``leaky_relu``, ``elu``, ``gelu``, ``silu``,
``softplus``, ``sigmoid``, ``tanh``. (:func:`prelu` is not here: its slope is a parameter.)"""


def resolve(act: str | Callable, name: str = "activation") -> Callable:
    """Return the activation function for a name in :data:`ACTIVATIONS` or a callable.

    Args:
        act: a key of :data:`ACTIVATIONS` or any callable.
        name: the argument name to use in error messages.

    Raises:
        ValueError: ``act`` is a string that is not a known name; the message
            lists the valid names.
        TypeError: ``act`` is neither a string nor callable.

    >>> resolve("tanh") is tanh
    True
    """
    act = _validate.choice(act, name, sorted(ACTIVATIONS), callable_ok=True)
    return ACTIVATIONS[act] if isinstance(act, str) else act


def switch(index: ArrayLike, acts: Sequence[str | Callable]) -> Activation:
    r"""The activation ``acts[index]``, where ``index`` may be traced (inside ``jit`` or ``vmap``).

    One compiled program can then run several activations, chosen per run by an integer:
    the result calls :func:`jax.lax.switch`. Under ``vmap`` with a batched ``index``,
    ``lax.switch`` evaluates every listed activation and selects, so listing many costs
    compute on every call. Out-of-range indices are clamped, as ``lax.switch`` does.

    Args:
        index: an integer scalar (Python int, or an int32 array, traced or not).
        acts: a non-empty sequence of names in :data:`ACTIVATIONS` or callables.

    Returns:
        An elementwise function ``z -> acts[index](z)``.

    Raises:
        ValueError: ``acts`` is empty or names an unknown activation.
        TypeError: ``acts`` is not a sequence, or an entry is neither a name nor a callable.

    >>> import jax, jax.numpy as jnp
    >>> f = jax.jit(lambda k, z: switch(k, ["relu", "tanh"])(z))
    >>> f(0, jnp.array([-1.0, 2.0])).tolist(), round(float(f(1, 0.5)), 4)
    ([0.0, 2.0], 0.4621)
    """
    _validate.sequence(acts, "acts", min_len=1, expected="a sequence of activation names or callables")
    fns = tuple(resolve(a, name=f"acts[{i}]") for i, a in enumerate(acts))

    def switched(z: ArrayLike) -> jax.Array:
        return jax.lax.switch(index, fns, z)

    return switched


def derivative(act: str | Callable) -> Callable[[ArrayLike], jax.Array]:
    r"""The elementwise derivative :math:`\sigma'(x)` of an activation.

    It is computed with ``jax.grad`` of the scalar function, mapped over every
    element with ``jax.vmap``, so it is exact (not a finite difference) and
    jittable. At a kink it returns whatever the activation's autodiff rule
    gives: 0 for :func:`relu` at 0.

    Args:
        act: a name in :data:`ACTIVATIONS` or an elementwise callable.

    Returns:
        A function taking ``x`` of any shape and returning an array of the
        same shape.

    >>> d = derivative("sigmoid")
    >>> float(d(0.0))
    0.25
    >>> derivative(lambda x: x ** 2)([1.0, 3.0]).tolist()
    [2.0, 6.0]
    """
    fn = resolve(act)
    scalar_grad = jax.grad(lambda s: fn(s).reshape(()))

    def d(x: ArrayLike) -> jax.Array:
        x = _as_float_array(x)
        flat = jax.vmap(scalar_grad)(x.reshape(-1))
        return flat.reshape(x.shape)

    d.__name__ = f"d_{getattr(fn, '__name__', 'activation')}"
    d.__doc__ = f"Elementwise derivative of {getattr(fn, '__name__', 'the activation')}."
    return d
