"""Optimisers and the one jitted training step of :mod:`relulab.train` (private module)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import optax

from .. import _validate
from ..activations import resolve
from ..nets import mlp_apply
from ._losses import bind_activation, check_apply, check_loss, loss_acc

__all__ = ["OPTIMIZERS", "check_lr", "make_step", "make_update", "opt_factory"]


def _momentum(learning_rate: float) -> optax.GradientTransformation:
    return optax.sgd(learning_rate, momentum=0.9)


OPTIMIZERS: dict[str, Callable[[float], optax.GradientTransformation]] = {
    "sgd": optax.sgd,
    "momentum": _momentum,
    "adam": optax.adam,
}
"""Optimiser names: each maps a learning rate to an optax transformation."""


def make_update(forward: Callable, loss: str, opt: optax.GradientTransformation) -> Callable:
    def objective(params, X, y):
        value, acc = loss_acc(forward(params, X), y, loss)
        return value, acc

    grad_fn = jax.value_and_grad(objective, has_aux=True)

    def update(params, opt_state, X, y):
        (value, acc), grads = grad_fn(params, X, y)
        # optax itself mixes int32 step counts with floats (e.g. Adam's bias correction), which
        # jax_numpy_dtype_promotion="strict" rejects; our own code stays strict.
        with jax.numpy_dtype_promotion("standard"):
            updates, opt_state = opt.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, value, acc

    return update


def make_step(
    optimizer: optax.GradientTransformation,
    *,
    apply: Callable = mlp_apply,
    activation: str | Callable | None = "relu",
    loss: str = "cross_entropy",
) -> Callable:
    """One jitted optax training step.

    Args:
        optimizer: an ``optax.GradientTransformation``, e.g. ``optax.sgd(0.1)``.
        apply: model function, as in :func:`loss_and_accuracy`.
        activation: passed to ``apply``.
        loss: ``"cross_entropy"`` or ``"mse"``.

    Returns:
        ``step(params, opt_state, X, y) -> (params, opt_state, loss, accuracy)``,
        jitted, where ``loss`` and ``accuracy`` are those of the parameters
        *before* the update, on the batch ``(X, y)``. Start with
        ``opt_state = optimizer.init(params)``. ``X``/``y`` are not validated
        here (it is the inner loop); :func:`fit` validates them once.

    >>> import jax, jax.numpy as jnp, optax
    >>> from relulab.nets import mlp_init
    >>> params = mlp_init(jax.random.key(0), [2, 8, 1])
    >>> opt = optax.sgd(0.01)
    >>> step = make_step(opt, loss="mse")
    >>> X, y = jnp.ones((4, 2)), jnp.zeros((4, 1))
    >>> params, state, l0, _ = step(params, opt.init(params), X, y)
    >>> params, state, l1, _ = step(params, state, X, y)
    >>> bool(l1 < l0)
    True
    """
    if not isinstance(optimizer, optax.GradientTransformation):
        _validate.fail(
            TypeError,
            "optimizer",
            "be an optax.GradientTransformation such as optax.sgd(0.1)",
            type(optimizer).__name__,
        )
    loss = check_loss(loss)
    if activation is not None:
        resolve(activation)
    forward = bind_activation(check_apply(apply), activation)
    return jax.jit(make_update(forward, loss, optimizer))


def opt_factory(optimizer: Any, learning_rate: Any, *, allow_instance: bool) -> Any:
    """Return a hashable optimiser spec: a factory lr -> transformation, or a transformation."""
    if isinstance(optimizer, optax.GradientTransformation):
        if not allow_instance:
            _validate.fail(
                TypeError,
                "optimizer",
                "be a name or a callable learning_rate -> "
                "optax.GradientTransformation here (the learning rate is swept)",
                "a GradientTransformation instance",
            )
        if learning_rate is not None:
            _validate.fail(
                ValueError,
                "learning_rate",
                "be None when optimizer is an optax.GradientTransformation (it already holds its learning rate)",
                repr(learning_rate),
            )
        return optimizer
    if isinstance(optimizer, str):
        return OPTIMIZERS[_validate.choice(optimizer, "optimizer", tuple(OPTIMIZERS))]
    if not callable(optimizer):
        _validate.fail(
            TypeError,
            "optimizer",
            f"be a name ({', '.join(OPTIMIZERS)}), a callable learning_rate -> "
            "optax.GradientTransformation, or a GradientTransformation",
            type(optimizer).__name__,
        )
    return optimizer


def check_lr(lr: object, name: str = "learning_rate") -> float:
    return _validate.number(lr, name, low=0.0, low_open=True, expected="a positive finite number")
