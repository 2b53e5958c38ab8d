"""Training one model: :func:`fit`, the whole loop one jitted ``lax.scan`` (private module)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import optax
from jax.typing import ArrayLike

from .. import _validate, activations
from ..activations import resolve
from ..nets import mlp_apply
from ._losses import bind_activation, check_apply, check_data, check_loss, loss_acc
from ._scan import History, minibatches, scan_fit
from ._step import check_lr, opt_factory

__all__ = ["RUN_STATIC", "check_batch", "check_eval", "evaluate_sets", "fit", "model", "prepare", "run"]

# The arguments of run() that are static under jax.jit (jit's own cache keeps one program per
# combination); the learning rate and the data are traced, so a new learning rate never recompiles.
RUN_STATIC = ("apply", "activation", "loss", "optimizer", "steps", "eval_every", "record")


def model(apply: Callable, activation: Any, act_idx: jax.Array) -> Callable:
    """``forward(params, X)``: ``apply`` with ``activation``, or, for a tuple of activations, with
    the one that ``act_idx`` picks (:func:`relulab.activations.switch`; under ``vmap`` every run
    can use a different one)."""
    if isinstance(activation, tuple):
        distinct = tuple(dict.fromkeys(activation))  # a name listed twice is computed once
        position = jnp.asarray([distinct.index(a) for a in activation], dtype=jnp.int32)
        return bind_activation(apply, activations.switch(position[act_idx], distinct))
    return bind_activation(apply, activation)


def evaluate_sets(
    params: Any, act_idx: jax.Array, eval_sets: dict, *, apply: Callable, activation: Any, loss: str
) -> dict[str, jax.Array]:
    """``{"<name>_loss": ..., "<name>_accuracy": ...}`` of the model on every evaluation set.

    The sets go through the model together, as one batch: one forward pass in the compiled
    program instead of one per set (XLA's compile time grows with every copy).
    """
    if not eval_sets:
        return {}
    forward = model(apply, activation, act_idx)
    outputs = forward(params, jnp.concatenate([X_eval for X_eval, _ in eval_sets.values()]))
    out, start = {}, 0
    for name, (X_eval, y_eval) in eval_sets.items():
        part = outputs[start : start + X_eval.shape[0]]
        out[f"{name}_loss"], out[f"{name}_accuracy"] = loss_acc(part, y_eval, loss)
        start += X_eval.shape[0]
    return out


def run(
    params: Any,
    X: jax.Array,
    y: jax.Array,
    batches: jax.Array | None,
    lr: jax.Array,
    act_idx: jax.Array,
    eval_sets: dict[str, tuple[jax.Array, jax.Array]],
    *,
    apply: Callable,
    activation: Any,
    loss: str,
    optimizer: Any,
    steps: int,
    eval_every: int | None,
    record: Callable | None,
) -> tuple[Any, History]:
    """One training run of :func:`fit` (and of every run of :func:`sweep`): :func:`scan_fit` on a dataset.

    ``activation`` is as in :func:`model`. ``optimizer`` is a factory ``lr -> transformation`` or
    a transformation. ``batches`` holds the example indices of every step, ``(steps, batch_size)``
    from :func:`minibatches`, or is ``None`` for full batch. With ``eval_every=None`` nothing is
    evaluated. Arguments are validated by the callers.
    """
    forward = model(apply, activation, act_idx)
    opt = optimizer if isinstance(optimizer, optax.GradientTransformation) else optimizer(lr)

    def loss_fn(p, batch):
        value, acc = loss_acc(forward(p, X if batches is None else X[batch]), y if batches is None else y[batch], loss)
        return value, {"accuracy": acc}

    def evaluate(p):
        return evaluate_sets(p, act_idx, eval_sets, apply=apply, activation=activation, loss=loss)

    return scan_fit(
        loss_fn,
        params,
        opt,
        steps if batches is None else batches,
        has_aux=True,
        record=record,
        evaluate=None if eval_every is None else evaluate,
        eval_every=eval_every,
    )


jitted_run = jax.jit(run, static_argnames=RUN_STATIC)


def check_eval(
    eval_data: Any, eval_every: Any, steps: int, params: Any, forward: Callable, loss: str
) -> tuple[int | None, dict[str, tuple[jax.Array, jax.Array]]]:
    """``(eval_every, sets)``: the evaluation interval and the named evaluation sets ({} for none)."""
    if eval_data is None:
        _validate.check(
            eval_every is None,
            "eval_every",
            "be None without eval_data (it is only meaningful with eval_data=(X_eval, y_eval))",
            repr(eval_every),
        )
        return None, {}
    expected = "be a pair (X_eval, y_eval) or a dict of such pairs, e.g. {'test': (X_test, y_test)}"
    if isinstance(eval_data, Mapping):
        _validate.check(len(eval_data) != 0, "eval_data", expected, "an empty dict")
        pairs = dict(eval_data)
    else:
        pairs = {"eval": eval_data}
    sets = {}
    for name, pair in pairs.items():
        _validate.check_type(
            isinstance(name, str) and name.isidentifier(),
            "eval_data",
            expected + " with names such as 'test'",
            f"the name {name!r}",
        )
        where = "eval_data" if name == "eval" and not isinstance(eval_data, Mapping) else f"eval_data[{name!r}]"
        _validate.check_type(
            isinstance(pair, (tuple, list)) and len(pair) == 2, where, "be a pair (X_eval, y_eval)", type(pair).__name__
        )
        names = ("X_eval", "y_eval") if where == "eval_data" else (f"{where}[0]", f"{where}[1]")
        sets[name] = check_data(params, pair[0], pair[1], forward, loss, names=names)
    eval_every = 1 if eval_every is None else _validate.integer(eval_every, "eval_every", minimum=1)
    _validate.check(steps % eval_every == 0, "eval_every", f"divide steps={steps}", f"eval_every={eval_every}")
    return eval_every, sets


def prepare(
    params: Any,
    X: ArrayLike,
    y: ArrayLike,
    apply: Callable,
    activation: Any,
    loss: str,
    optimizer: Any,
    steps: int,
    batch_size: Any,
    eval_data: Any,
    eval_every: Any,
    record: Any,
) -> tuple[jax.Array, jax.Array, int | None, dict, dict[str, Any]]:
    """The checks :func:`fit` and :func:`sweep` share, once their own are done (``params`` may be shapes
    only; for a tuple of activations the first is tried): ``(X, y, batch_size, eval_sets, spec)``,
    ``spec`` the static arguments of :func:`run`."""
    forward = bind_activation(apply, activation[0] if isinstance(activation, tuple) else activation)
    X, y = check_data(params, X, y, forward, loss)
    batch_size = check_batch(batch_size, X.shape[0])
    eval_every, eval_sets = check_eval(eval_data, eval_every, steps, params, forward, loss)
    _validate.check_type(
        record is None or callable(record),
        "record",
        "be a function record(params, grads) -> dict, or None",
        type(record).__name__,
    )
    spec = dict(
        apply=apply,
        activation=activation,
        loss=loss,
        optimizer=optimizer,
        steps=steps,
        eval_every=eval_every,
        record=record,
    )
    return X, y, batch_size, eval_sets, spec


def check_batch(batch_size: Any, n: int) -> int | None:
    if batch_size is None:
        return None
    batch_size = _validate.integer(batch_size, "batch_size", minimum=1)
    _validate.check(batch_size <= n, "batch_size", f"be at most the number of examples {n}", str(batch_size))
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
    eval_data: tuple[ArrayLike, ArrayLike] | Mapping[str, tuple[ArrayLike, ArrayLike]] | None = None,
    eval_every: int | None = None,
    record: Callable[[Any, Any], Mapping[str, Any]] | None = None,
) -> tuple[Any, History]:
    r"""Train a model for ``steps`` optimiser steps; the whole loop is one jitted ``lax.scan``.

    Step :math:`t` computes the loss on a batch, its gradient, and applies
    the optax update: :func:`scan_fit` with the loss of a model ``apply`` on a dataset.
    Full-batch by default; with ``batch_size`` the data are reshuffled every epoch
    (``minibatches(key, n, batch_size, steps)``: a permutation every epoch, drawn with NumPy
    from the key's bits, cut into ``n // batch_size`` batches, the remainder dropped). The learning rate is traced: a
    new value reuses the compiled program.

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
            ``eval_every`` steps; or a dict of such pairs by name, e.g.
            ``{"train": (X, y), "test": (X_test, y_test)}``.
        eval_every: a divisor of ``steps`` (default 1); only with ``eval_data``.
        record: optional ``record(params, grads) -> dict`` of named arrays, called at every
            step (see :func:`scan_fit`); its entries join the history.

    Returns:
        ``(params, history)``: the trained parameters and a dict of arrays.
        ``"loss"`` and ``"accuracy"``, shape ``(steps,)``: entry ``t`` is on the
        batch of step ``t``, for the parameters *before* that step's update (for
        full batch: the training loss and accuracy after ``t`` updates). With
        ``eval_data``, ``"eval_loss"`` and ``"eval_accuracy"`` (for a dict:
        ``"<name>_loss"`` and ``"<name>_accuracy"`` per set) of shape
        ``(steps // eval_every + 1,)``: entry ``i`` is after ``i * eval_every``
        updates, so the first is at initialisation and the last after training.
        The entries of ``record``, shape ``(steps, ...)``.

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
    X, y, batch_size, eval_sets, spec = prepare(
        params, X, y, apply, activation, loss, opt, steps, batch_size, eval_data, eval_every, record
    )
    _validate.check(
        batch_size is None or key is not None,
        "key",
        "be given (e.g. key=jax.random.key(0)) when batch_size is set",
        "None",
    )
    if key is not None:
        key = _validate.key(key)
    batches = None if batch_size is None or key is None else minibatches(key, X.shape[0], batch_size, steps)
    return jitted_run(params, X, y, batches, jnp.float32(lr), jnp.int32(0), eval_sets, **spec)
