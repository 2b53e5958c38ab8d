"""Losses, accuracy and dataset checks of :mod:`relulab.train` (private module)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.typing import ArrayLike

from .. import _validate
from ..activations import resolve
from ..nets import mlp_apply

__all__ = [
    "LOSSES",
    "bind_activation",
    "check_apply",
    "check_data",
    "check_loss",
    "loss_acc",
    "loss_and_accuracy",
]

LOSSES: tuple[str, ...] = ("cross_entropy", "mse")
"""Loss names understood by :mod:`relulab.train`."""


def loss_acc(out: jax.Array, y: jax.Array, loss: str) -> tuple[jax.Array, jax.Array]:
    """Mean loss and accuracy of outputs ``out`` (n, k) against ``y`` (already validated)."""
    k = out.shape[1]
    if loss == "cross_entropy":
        if k == 1:
            logit = out[:, 0]
            value = optax.sigmoid_binary_cross_entropy(logit, y.astype(out.dtype)).mean()
            acc = jnp.mean(((logit > 0).astype(jnp.int32) == y).astype(out.dtype))
        else:
            value = optax.softmax_cross_entropy_with_integer_labels(out, y).mean()
            acc = jnp.mean((jnp.argmax(out, axis=1) == y).astype(out.dtype))
        return value, acc
    if jnp.issubdtype(y.dtype, jnp.integer):
        target = jax.nn.one_hot(y, k, dtype=out.dtype)
        acc = jnp.mean((jnp.argmax(out, axis=1) == y).astype(out.dtype))
    else:
        target = y
        acc = jnp.array(jnp.nan, dtype=out.dtype)
    return jnp.mean((out - target) ** 2), acc


def check_loss(loss: object) -> str:
    return _validate.choice(loss, "loss", LOSSES)


def check_apply(apply: object) -> Callable:
    _validate.check_type(
        callable(apply),
        "apply",
        "be a function apply(params, x, activation=...) such as relulab.nets.mlp_apply",
        type(apply).__name__,
    )
    return cast(Callable, apply)


def bind_activation(apply: Callable, activation: Any) -> Callable:
    if activation is None:
        return apply
    return functools.partial(apply, activation=activation)


def check_data(
    params: Any, X: ArrayLike, y: ArrayLike, forward: Callable, loss: str, names: tuple[str, str] = ("X", "y")
) -> tuple[jax.Array, jax.Array]:
    """Validate a dataset against the model's output shape and the loss."""
    xname, yname = names
    X = _validate.float_array(X, xname)
    _validate.check(
        X.ndim >= 2 and X.shape[0] >= 1,
        xname,
        "be a batch of inputs with a leading example axis, shape (n, ...) with n >= 1",
        f"shape {X.shape}",
    )
    n = X.shape[0]
    _validate.check_type(
        _validate.real_dtype(y, yname, quiet=True) is not None,
        yname,
        "hold integer labels or float targets",
        f"dtype {(y.dtype if hasattr(y, 'dtype') else np.asarray(y).dtype)}",
    )
    y = jnp.asarray(y)
    try:
        out = jax.eval_shape(forward, params, jax.ShapeDtypeStruct((1, *X.shape[1:]), X.dtype))
    except (ValueError, TypeError) as err:
        raise type(err)(f"{xname} of shape {X.shape} does not fit the model: {err}") from None
    _validate.check(
        len(out.shape) == 2,
        "apply",
        f"return outputs of shape (batch, n_out) for {xname} of shape (batch, ...)",
        f"{out.shape} for a batch of one",
    )
    k = out.shape[1]
    if loss == "cross_entropy" or jnp.issubdtype(y.dtype, jnp.integer):
        _validate.check_type(
            jnp.issubdtype(y.dtype, jnp.integer),
            yname,
            f"hold integer class labels for loss {loss!r}",
            f"dtype {y.dtype}",
        )
        _validate.check(
            y.shape == (n,), yname, f"be integer labels of shape ({n},) to match {xname}", f"shape {y.shape}"
        )
        y = y.astype(jnp.int32)
        if not isinstance(y, jax.core.Tracer):
            n_classes = 2 if k == 1 else k
            labels = np.asarray(y)  # NumPy: an eager jnp.min would compile a program
            lo, hi = int(labels.min()), int(labels.max())
            _validate.check(
                lo >= 0 and hi < n_classes,
                f"{yname} labels",
                f"lie in 0..{n_classes - 1} for a model with {k} output(s)",
                f"labels in {lo}..{hi}",
            )
        return X, y
    _validate.check(
        y.shape == (n, k),
        yname,
        f"be float targets of shape ({n}, {k}) to match the model's output for {xname}",
        f"shape {y.shape}" + (f"; reshape with {yname}[:, None]" if y.shape == (n,) and k == 1 else ""),
    )
    return X, y.astype(out.dtype)


def loss_and_accuracy(
    params: Any,
    X: ArrayLike,
    y: ArrayLike,
    *,
    apply: Callable = mlp_apply,
    activation: str | Callable | None = "relu",
    loss: str = "cross_entropy",
) -> tuple[jax.Array, jax.Array]:
    """Mean loss and accuracy of a model on a dataset (see the module docstring for the losses).

    Args:
        params: model parameters.
        X: inputs, shape ``(n, ...)``.
        y: integer labels ``(n,)``, or float targets ``(n, n_out)`` for ``"mse"``.
        apply: ``apply(params, X, activation=...)`` returning ``(n, n_out)``,
            e.g. :func:`relulab.nets.mlp_apply` (default) or :func:`relulab.nets.cnn_apply`.
        activation: passed to ``apply``; ``None`` calls ``apply(params, X)``.
        loss: ``"cross_entropy"`` or ``"mse"``.

    Returns:
        ``(loss, accuracy)`` as scalar arrays (accuracy ``nan`` for real-valued targets).

    >>> import jax.numpy as jnp
    >>> params = [(jnp.eye(2), jnp.zeros(2))]      # a linear model: logits = x
    >>> X = jnp.array([[2.0, 0.0], [0.0, 1.0]])
    >>> loss, acc = loss_and_accuracy(params, X, jnp.array([0, 0]))
    >>> float(acc)
    0.5
    """
    loss = check_loss(loss)
    forward = bind_activation(check_apply(apply), activation)
    if activation is not None:
        resolve(activation)
    X, y = check_data(params, X, y, forward, loss)
    return loss_acc(forward(params, X), y, loss)
