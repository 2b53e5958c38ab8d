"""Training one model: :func:`fit`, the whole loop one jitted ``lax.scan`` (private module)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import optax
from jax.typing import ArrayLike

from .. import _validate, activations
from ..activations import resolve
from ..nets import mlp_apply
from ._losses import History, bind_activation, check_apply, check_data, check_loss, loss_acc
from ._step import check_lr, make_update, opt_factory

__all__ = ["check_batch", "check_eval", "fit", "runner"]


@functools.lru_cache(maxsize=128)
def runner(
    apply: Callable,
    activation: Any,
    loss: str,
    optimizer: Any,
    steps: int,
    batch_size: int | None,
    eval_every: int | None,
) -> Callable:
    """An (unjitted) function run(params, X, y, key, lr, act_idx, X_eval, y_eval) -> (params, history).

    ``activation`` is a name/callable/None, or a tuple of names/callables (then
    ``act_idx``, an int32 scalar, picks one with ``lax.switch``; under ``vmap``
    every run can use a different one). ``eval_every`` is ``None`` (no
    evaluation) or a divisor of ``steps``.
    """
    multi = isinstance(activation, tuple)

    def run(params, X, y, key, lr, act_idx, X_eval, y_eval):
        if multi:
            forward = bind_activation(apply, activations.switch(act_idx, activation))
        else:
            forward = bind_activation(apply, activation)
        opt = optimizer if isinstance(optimizer, optax.GradientTransformation) else optimizer(lr)
        update = make_update(forward, loss, opt)
        n = X.shape[0]
        n_batches = 1 if batch_size is None else n // batch_size
        if batch_size is not None:
            # one permutation per epoch, drawn up front (sorting inside every step is costly)
            n_epochs = -(-steps // n_batches)
            perms = jax.vmap(lambda e: jax.random.permutation(jax.random.fold_in(key, e), n))(jnp.arange(n_epochs))

        def body(carry, t):
            params, opt_state = carry
            if batch_size is None:
                Xb, yb = X, y
            else:
                epoch, b = t // n_batches, t % n_batches
                idx = jax.lax.dynamic_slice(perms[epoch], (b * batch_size,), (batch_size,))
                Xb, yb = X[idx], y[idx]
            params, opt_state, value, acc = update(params, opt_state, Xb, yb)
            return (params, opt_state), {"loss": value, "accuracy": acc}

        carry = (params, opt.init(params))
        if eval_every is None:
            (params, _), hist = jax.lax.scan(body, carry, jnp.arange(steps))
            return params, hist

        def evaluate(params):
            return loss_acc(forward(params, X_eval), y_eval, loss)

        def block(carry, first):
            ev = evaluate(carry[0])
            carry, rec = jax.lax.scan(body, carry, first + jnp.arange(eval_every))
            return carry, (rec, ev)

        (params, _), (rec, ev) = jax.lax.scan(block, carry, jnp.arange(0, steps, eval_every))
        hist = {name: v.reshape(steps) for name, v in rec.items()}
        last = evaluate(params)
        hist["eval_loss"] = jnp.append(ev[0], last[0])
        hist["eval_accuracy"] = jnp.append(ev[1], last[1])
        return params, hist

    return run


@functools.lru_cache(maxsize=128)
def jitted_runner(*spec: Any) -> Callable:
    return jax.jit(runner(*spec))


def check_eval(
    eval_data: Any, eval_every: Any, steps: int, params: Any, forward: Callable, loss: str
) -> tuple[int | None, jax.Array | None, jax.Array | None]:
    if eval_data is None:
        if eval_every is not None:
            _validate.fail(
                ValueError,
                "eval_every",
                "be None without eval_data (it is only meaningful with eval_data=(X_eval, y_eval))",
                repr(eval_every),
            )
        return None, None, None
    if not isinstance(eval_data, (tuple, list)) or len(eval_data) != 2:
        _validate.fail(TypeError, "eval_data", "be a pair (X_eval, y_eval)", type(eval_data).__name__)
    eval_every = 1 if eval_every is None else _validate.integer(eval_every, "eval_every", minimum=1)
    if steps % eval_every:
        _validate.fail(ValueError, "eval_every", f"divide steps={steps}", f"eval_every={eval_every}")
    X_eval, y_eval = check_data(params, *eval_data, forward, loss, names=("X_eval", "y_eval"))
    return eval_every, X_eval, y_eval


def check_batch(batch_size: Any, n: int) -> int | None:
    if batch_size is None:
        return None
    batch_size = _validate.integer(batch_size, "batch_size", minimum=1)
    if batch_size > n:
        _validate.fail(ValueError, "batch_size", f"be at most the number of examples {n}", str(batch_size))
    return batch_size


def fit(
    params: Any,
    X: ArrayLike,
    y: ArrayLike,
    *,
    key: jax.Array | None = None,
    apply: Callable = mlp_apply,
    activation: str | Callable | None = "relu",
    loss: str = "cross_entropy",
    learning_rate: float | None = 0.1,
    optimizer: str | Callable | optax.GradientTransformation = "sgd",
    steps: int = 500,
    batch_size: int | None = None,
    eval_data: tuple[ArrayLike, ArrayLike] | None = None,
    eval_every: int | None = None,
) -> tuple[Any, History]:
    r"""Train a model for ``steps`` optimiser steps; the whole loop is one jitted ``lax.scan``.

    Step :math:`t` computes the loss on a batch, its gradient, and applies
    the optax update. Full-batch by default; with ``batch_size`` the data are
    reshuffled every epoch (a permutation drawn from ``fold_in(key, epoch)``)
    and cut into ``n // batch_size`` batches (the remainder is dropped).

    Args:
        params: initial parameters (e.g. from :func:`relulab.nets.mlp_init`).
        X: inputs, shape ``(n, ...)``: ``(n, n_in)`` for an MLP, ``(n, h, w, c)`` for a CNN.
        y: integer labels ``(n,)`` (classification, or ``"mse"`` on one-hot
            targets), or float targets ``(n, n_out)`` for ``"mse"``.
        key: a PRNG key; required for minibatches, unused for full batch.
        apply: ``apply(params, X, activation=...) -> (n, n_out)``; default
            :func:`relulab.nets.mlp_apply`, or :func:`relulab.nets.cnn_apply`.
        activation: a name or callable passed to ``apply``; ``None`` calls ``apply(params, X)``.
        loss: ``"cross_entropy"`` (default) or ``"mse"``.
        learning_rate: step size for a named or callable ``optimizer``.
        optimizer: ``"sgd"`` (default), ``"momentum"``, ``"adam"``, a callable
            ``learning_rate -> optax.GradientTransformation``, or a
            GradientTransformation (with ``learning_rate=None``).
        steps: number of optimiser steps, >= 1.
        batch_size: examples per step, ``1 <= batch_size <= n``; ``None`` for full batch.
        eval_data: optional ``(X_eval, y_eval)``, e.g. a test set or a fixed
            part of the training set, evaluated on the whole set every
            ``eval_every`` steps.
        eval_every: a divisor of ``steps`` (default 1); only with ``eval_data``.

    Returns:
        ``(params, history)``: the trained parameters and a dict of arrays.
        ``"loss"`` and ``"accuracy"``, shape ``(steps,)``: entry ``t`` is on the
        batch of step ``t``, for the parameters *before* that step's update (for
        full batch: the training loss and accuracy after ``t`` updates). With
        ``eval_data``, ``"eval_loss"`` and ``"eval_accuracy"`` of shape
        ``(steps // eval_every + 1,)``: entry ``i`` is after ``i * eval_every``
        updates, so the first is at initialisation and the last after training.

    Raises:
        TypeError / ValueError: bad shapes, labels out of range, unknown
        loss/optimizer/activation names, ``steps`` or ``batch_size`` < 1, a
        missing key for minibatches, ``eval_every`` not dividing ``steps``.

    >>> import jax
    >>> from relulab import data, nets
    >>> x, t = data.curve(jax.random.key(0), 64, kind="abs", grid=True)
    >>> params = nets.mlp_init(jax.random.key(1), [1, 16, 1])
    >>> params, hist = fit(params, x, t, loss="mse", optimizer="adam", learning_rate=0.01,
    ...                    steps=400, batch_size=16, key=jax.random.key(2),
    ...                    eval_data=(x, t), eval_every=100)
    >>> hist["loss"].shape, hist["eval_loss"].shape
    ((400,), (5,))
    >>> bool(hist["eval_loss"][-1] < 0.01)
    True
    """
    loss = check_loss(loss)
    apply = check_apply(apply)
    if activation is not None:
        resolve(activation)
    steps = _validate.integer(steps, "steps", minimum=1)
    opt = opt_factory(optimizer, learning_rate, allow_instance=True)
    lr = 0.0 if isinstance(opt, optax.GradientTransformation) else check_lr(learning_rate)
    forward = bind_activation(apply, activation)
    X, y = check_data(params, X, y, forward, loss)
    batch_size = check_batch(batch_size, X.shape[0])
    if batch_size is not None and key is None:
        _validate.fail(ValueError, "key", "be given (e.g. key=jax.random.key(0)) when batch_size is set", "None")
    key = _validate.key(jax.random.key(0) if key is None else key)
    eval_every, X_eval, y_eval = check_eval(eval_data, eval_every, steps, params, forward, loss)
    run = jitted_runner(apply, activation, loss, opt, steps, batch_size, eval_every)
    return run(params, X, y, key, jnp.float32(lr), jnp.int32(0), X_eval, y_eval)
