"""Optimisers and the one jitted training step of :mod:`relulab.train` (private module)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
import optax
from jax.typing import ArrayLike

from .. import _validate
from ..activations import resolve
from ..nets import mlp_apply
from ._losses import bind_activation, check_apply, check_loss, loss_acc
from ._scan import check_transformation, make_update

__all__ = ["OPTIMIZERS", "check_lr", "make_step", "opt_factory", "switch_optimizer"]


def _momentum(learning_rate: float) -> optax.GradientTransformation:
    return optax.sgd(learning_rate, momentum=0.9)


OPTIMIZERS: dict[str, Callable[[float], optax.GradientTransformation]] = {
    "sgd": optax.sgd,
    "momentum": _momentum,
    "adam": optax.adam,
}
"""Optimiser names: each maps a learning rate to an optax transformation."""


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
    check_transformation(optimizer)
    loss = check_loss(loss)
    if activation is not None:
        resolve(activation)
    forward = bind_activation(check_apply(apply), activation)

    def loss_fn(params, batch):
        value, acc = loss_acc(forward(params, batch[0]), batch[1], loss)
        return value, {"accuracy": acc}

    update = make_update(loss_fn, optimizer, has_aux=True)

    @jax.jit
    def step(params, opt_state, X, y):
        params, opt_state, value, aux, _ = update(params, opt_state, (X, y))
        return params, opt_state, value, aux["accuracy"]

    return step


def opt_factory(optimizer: Any, learning_rate: Any, *, allow_instance: bool) -> Any:
    """Return a hashable optimiser spec: a factory lr -> transformation, or a transformation."""
    if isinstance(optimizer, optax.GradientTransformation):
        _validate.check_type(
            allow_instance,
            "optimizer",
            "be a name or a callable learning_rate -> optax.GradientTransformation here (the learning rate is swept)",
            "a GradientTransformation instance",
        )
        _validate.check(
            learning_rate is None,
            "learning_rate",
            "be None when optimizer is an optax.GradientTransformation (it already holds its learning rate)",
            repr(learning_rate),
        )
        return optimizer
    if isinstance(optimizer, str):
        return OPTIMIZERS[_validate.choice(optimizer, "optimizer", tuple(OPTIMIZERS))]
    _validate.check_type(
        callable(optimizer),
        "optimizer",
        f"be a name ({', '.join(OPTIMIZERS)}), a callable learning_rate -> optax.GradientTransformation,"
        " or a GradientTransformation",
        type(optimizer).__name__,
    )
    return optimizer


def check_lr(lr: object, name: str = "learning_rate") -> float:
    return _validate.number(lr, name, low=0.0, low_open=True, expected="a positive finite number")


def switch_optimizer(
    index: ArrayLike, optimizers: Sequence[optax.GradientTransformation]
) -> optax.GradientTransformation:
    """The optimiser ``optimizers[index]``, where ``index`` may be traced (inside ``jit`` or ``vmap``).

    The optimiser counterpart of :func:`relulab.activations.switch`: one compiled program can
    train some runs with Adam and others with SGD, chosen per run by an integer. Every listed
    optimiser keeps its own state and computes its update at every step; the update of
    ``optimizers[index]`` is applied (so listing many costs compute). Out-of-range indices are
    clamped, as ``jax.lax.switch`` does.

    Args:
        index: an integer scalar (Python int, or an int32 array, traced or not).
        optimizers: a non-empty sequence of ``optax.GradientTransformation``.

    Returns:
        An ``optax.GradientTransformation`` whose state is the tuple of the listed ones' states.

    Raises:
        TypeError: ``optimizers`` is not a sequence of GradientTransformations.
        ValueError: ``optimizers`` is empty.

    Two runs in one program, the first with SGD, the second with Adam:

    >>> import jax, jax.numpy as jnp, numpy as np, optax
    >>> from relulab.train import scan_fit
    >>> target = jnp.array([1.0, -2.0])
    >>> def losses(k):
    ...     opt = switch_optimizer(k, [optax.sgd(0.1), optax.adam(0.1)])
    ...     _, hist = scan_fit(lambda p, t: jnp.sum((p - target) ** 2), jnp.zeros(2), opt, 3)
    ...     return hist["loss"]
    >>> np.asarray(jax.vmap(losses)(jnp.array([0, 1])), dtype=float).round(2).tolist()
    [[5.0, 3.2, 2.05], [5.0, 4.42, 3.88]]
    """
    # a GradientTransformation is itself a (named) tuple: reject it by name
    _validate.check_type(
        not isinstance(optimizers, (str, bytes, optax.GradientTransformation)) and isinstance(optimizers, Sequence),
        "optimizers",
        "be a sequence of optax.GradientTransformation (a list, even of one)",
        type(optimizers).__name__,
    )
    _validate.check(len(optimizers) != 0, "optimizers", "be a non-empty sequence of optax.GradientTransformation", "[]")
    opts = tuple(check_transformation(opt, f"optimizers[{i}]") for i, opt in enumerate(optimizers))

    def init(params):
        return tuple(opt.init(params) for opt in opts)

    def update(grads, state, params=None):
        outs = [opt.update(grads, s, params) for opt, s in zip(opts, state, strict=True)]
        chosen = jax.lax.switch(index, [lambda k=k: outs[k][0] for k in range(len(opts))])
        return chosen, tuple(s for _, s in outs)

    return optax.GradientTransformation(init, update)
