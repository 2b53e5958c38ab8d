r"""Data and JAX replays for the training explorables ("Kill a network", "The race").

The explorables train in the reader's browser (``train.mjs``). A chapter that embeds one also wants to
say what the reader will see, with numbers computed rather than typed. This module gives it:

* the data the browser trains on, in the compact form the page carries (:func:`digits_payload`,
  :func:`curve_payload`) and as the float64 arrays the browser computes from it
  (:func:`digits_arrays`, :func:`curve_arrays`);
* :func:`replay`: the browser's training run in JAX and optax, from the same initial weights
  (:func:`relulab.explorables.seeded.init_params`), on the same minibatches
  (:func:`relulab.explorables.seeded.batch_order`), in float64, with the loss of
  :mod:`relulab.train` and the dead units of :mod:`relulab.dead`. ``tests/test_train_js.py`` checks
  that the browser's runs follow it.

>>> payload = digits_payload()
>>> payload["n_train"], payload["n_test"], len(payload["pixels"]) == 64 * (1347 + 450)
(1347, 450, True)
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from .. import _validate, activations, data, dead, nets
from ..train._losses import check_loss, loss_acc
from . import seeded

#: the activations the browser's trainer (``train.mjs``, its ``ACTIVATIONS``) implements, in the order of the
#: names relulab had when it was written (``silu``, added to :data:`relulab.activations.ACTIVATIONS` later, is not)
_TRAINER_ACTIVATIONS = ("relu", "leaky_relu", "elu", "gelu", "softplus", "sigmoid", "tanh")

__all__ = ["PIXEL_CODE", "curve_arrays", "curve_payload", "digits_arrays", "digits_payload", "replay"]

PIXEL_CODE = "0123456789abcdefg"
"""One character per pixel intensity 0..16 in :func:`digits_payload`'s ``pixels``."""


def digits_payload() -> dict[str, Any]:
    """scikit-learn's digits as the explorables carry them: the split and order of
    :func:`relulab.data.digits`, one character per pixel, and the standardisation.

    Returns:
        ``{"pixels": str, "labels": str, "n_train": 1347, "n_test": 450, "mean": float, "std": float}``:
        ``pixels`` holds 64 characters of :data:`PIXEL_CODE` per image, training images first;
        ``labels`` one digit per image; ``mean`` and ``std`` are the float64 mean and standard
        deviation of the training pixels divided by 16. An input is ``(p / 16 - mean) / std``.
    """
    split = data.digits(flat=True, normalise=False)
    train_pixels = np.rint(np.asarray(split.X_train, dtype=np.float64) * 16).astype(np.int64)
    test_pixels = np.rint(np.asarray(split.X_test, dtype=np.float64) * 16).astype(np.int64)
    pixels = np.concatenate([train_pixels, test_pixels])
    labels = np.concatenate([np.asarray(split.y_train), np.asarray(split.y_test)])
    scaled = train_pixels / 16.0
    return {
        "pixels": "".join(PIXEL_CODE[p] for p in pixels.ravel()),
        "labels": "".join(str(int(v)) for v in labels),
        "n_train": int(train_pixels.shape[0]),
        "n_test": int(test_pixels.shape[0]),
        "mean": float(scaled.mean()),
        "std": float(scaled.std()),
    }


def digits_arrays(payload: dict[str, Any] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(X_train, y_train, X_test, y_test)`` in float64, exactly as the browser decodes the payload.

    >>> X_train, y_train, X_test, y_test = digits_arrays()
    >>> X_train.shape, X_test.shape, X_train.dtype.name, round(float(X_train.mean()), 12)
    ((1347, 64), (450, 64), 'float64', 0.0)
    """
    payload = digits_payload() if payload is None else payload
    codes = np.frombuffer(payload["pixels"].encode("ascii"), dtype=np.uint8)
    pixels = np.where(codes >= ord("a"), codes - ord("a") + 10, codes - ord("0")).astype(np.float64)
    X = (pixels.reshape(-1, 64) / 16.0 - payload["mean"]) / payload["std"]
    y = np.frombuffer(payload["labels"].encode("ascii"), dtype=np.uint8).astype(np.int32) - ord("0")
    n = payload["n_train"]
    return X[:n], y[:n], X[n:], y[n:]


def curve_payload(n: int = 200) -> dict[str, Any]:
    r"""A 1-D regression for the explorables: ``n`` evenly spaced points of :math:`[-1, 1]` and
    :math:`y = \sin(\pi x)` (float64, as lists).

    >>> p = curve_payload(5)
    >>> p["x"], [round(v, 12) for v in p["y"]]
    ([-1.0, -0.5, 0.0, 0.5, 1.0], [-0.0, -1.0, 0.0, 1.0, 0.0])
    """
    n = _validate.integer(n, "n", minimum=2)
    x = np.linspace(-1.0, 1.0, n)
    return {"x": x.tolist(), "y": np.sin(np.pi * x).tolist(), "formula": "sin(\u03c0x)"}


def curve_arrays(payload: dict[str, Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(X, Y)`` of shape ``(n, 1)``, float64, from :func:`curve_payload`'s lists."""
    payload = curve_payload() if payload is None else payload
    return np.asarray(payload["x"], dtype=np.float64)[:, None], np.asarray(payload["y"], dtype=np.float64)[:, None]


def _optimizer(name: str, learning_rate: Any, momentum: float | None) -> optax.GradientTransformation:
    if name == "adam":
        return optax.adam(learning_rate)
    return optax.sgd(learning_rate, momentum=momentum)


def _per_run(value: Any, name: str, runs: int) -> list:
    """A setting given once (for every run) or as a sequence with one entry per run."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [value] * runs
    _validate.check(
        isinstance(value, Sequence) and len(value) == runs,
        name,
        f"be one value or a sequence of {runs} (one per learning rate)",
        repr(value),
    )
    return list(value)


def replay(
    *,
    sizes: Sequence[int],
    X: Any,
    y: Any,
    learning_rates: Sequence[float],
    steps: int,
    activation: str | Sequence[str] = "relu",
    init: str | Sequence[str] = "he",
    scale: float | Sequence[float] = 1.0,
    seed: int = 0,
    loss: str = "mse",
    optimizer: str = "sgd",
    momentum: float | None = None,
    batch_size: int | None = None,
    replace: bool = False,
    eval_every: int | None = None,
    dead_units: bool = True,
) -> dict[str, Any]:
    r"""The explorables' training runs in JAX: same start, same minibatches, float64.

    Run :math:`r` starts from :func:`relulab.explorables.seeded.init_params` ``(sizes, init[r], seed,
    scale[r])``; step :math:`t` uses minibatch :math:`t` of :func:`relulab.explorables.seeded.batch_order`
    ``(n, batch_size, steps, seed, replace)`` (the whole set when ``batch_size`` is ``None``); the loss
    is :mod:`relulab.train`'s, the update optax's ``sgd(lr, momentum)`` or ``adam(lr)``. One run per
    learning rate, all of them vmapped in one compiled program (an activation per run is picked with
    ``jax.lax.switch``), computed in JAX's 64-bit mode.

    Args:
        sizes: layer widths, ``[n_in, ..., n_out]``.
        X: inputs, shape ``(n, n_in)``; y: integer labels ``(n,)`` or targets ``(n, n_out)``.
        learning_rates: one run per entry.
        steps: optimiser steps, >= 1.
        activation, init, scale: the hidden activation, the initialisation and a factor on the initial
            weights, each one value for every run or a sequence with one per run.
        seed: the explorable's seed (initial weights and minibatch order).
        loss: ``"mse"`` or ``"cross_entropy"``.
        optimizer: ``"sgd"`` (with ``momentum`` None or a number) or ``"adam"``.
        batch_size: examples per step, or ``None`` for full batch; ``replace`` draws them with
            replacement instead of by passes over shuffled data.
        eval_every: also record the training loss and the dead units on ``X`` every ``eval_every``
            steps (a divisor of ``steps``), at steps ``0, eval_every, ..., steps``.
        dead_units: compute the dead units after the last step (``False`` skips them, and
            compiles faster; then ``"dead"`` is ``None``).

    Returns:
        A dict of NumPy arrays, the leading axis one per run: ``"loss"`` and ``"accuracy"``
        ``(runs, steps)``, the loss and accuracy of each step's batch before its update (as
        :func:`relulab.train.fit` records them; accuracy NaN for real-valued targets); ``"dead"``, one
        boolean array ``(runs, width)`` per hidden layer, the units dead on ``X`` after the last step
        (:func:`relulab.dead.dead_units`); ``"finite"`` ``(runs,)``, whether every final parameter is
        finite; ``"params"``, the final parameters; with ``eval_every``, ``"eval_steps"``,
        ``"eval_loss"`` ``(runs, k)`` and ``"eval_dead"`` (one ``(runs, k, width)`` array per hidden layer).

    >>> X, Y = curve_arrays(curve_payload(50))
    >>> out = replay(sizes=[1, 8, 1], X=X, y=Y, learning_rates=[0.05, 0.5], steps=20)
    >>> out["loss"].shape, [m.shape for m in out["dead"]]
    ((2, 20), [(2, 8)])
    """
    sizes = _validate.integers(sizes, "sizes", min_len=2)
    steps = _validate.integer(steps, "steps", minimum=1)
    loss = check_loss(loss)
    optimizer = _validate.choice(optimizer, "optimizer", ("sgd", "adam"))
    _validate.check(
        isinstance(learning_rates, Sequence)
        and not isinstance(learning_rates, (str, bytes))
        and len(learning_rates) > 0,
        "learning_rates",
        "be a non-empty sequence of positive numbers",
        repr(learning_rates),
    )
    lrs = [_validate.number(v, f"learning_rates[{i}]", low=0.0, low_open=True) for i, v in enumerate(learning_rates)]
    runs = len(lrs)
    acts = [_validate.choice(a, "activation", _TRAINER_ACTIVATIONS) for a in _per_run(activation, "activation", runs)]
    inits = _per_run(init, "init", runs)
    scales = _per_run(scale, "scale", runs)
    X = np.asarray(X, dtype=np.float64)
    _validate.check(X.ndim == 2 and X.shape[1] == sizes[0], "X", f"have shape (n, {sizes[0]})", f"shape {X.shape}")
    n = X.shape[0]
    if eval_every is not None:
        eval_every = _validate.integer(eval_every, "eval_every", minimum=1)
        _validate.check(steps % eval_every == 0, "eval_every", f"divide steps = {steps}", str(eval_every))
    if batch_size is None:
        batches = np.zeros((steps, 0), dtype=np.int64)
    else:
        batches = seeded.batch_order(n, batch_size, steps, seed=seed, replace=replace)
    starts = [seeded.init_params(sizes, init=i, seed=seed, scale=c) for i, c in zip(inits, scales, strict=True)]
    names = tuple(dict.fromkeys(acts))

    with jax.enable_x64(True), jax.numpy_dtype_promotion("standard"):
        params = [
            (jnp.asarray(np.stack([p[k][0] for p in starts])), jnp.asarray(np.stack([p[k][1] for p in starts])))
            for k in range(len(sizes) - 1)
        ]
        final, (losses, accuracies), snaps = _replay(
            params,
            jnp.asarray(X),
            jnp.asarray(y),
            jnp.asarray(batches),
            jnp.asarray(lrs, dtype=jnp.float64),
            jnp.asarray([names.index(a) for a in acts], dtype=jnp.int32),
            activations=names,
            loss=loss,
            optimizer=optimizer,
            momentum=momentum,
            full_batch=batch_size is None,
            eval_every=eval_every,
            dead_units=_validate.boolean(dead_units, "dead_units"),
        )
        out = {
            "loss": np.asarray(losses),
            "accuracy": np.asarray(accuracies),
            "dead": None if final[1] is None else [np.asarray(m) for m in final[1]],
            "finite": np.asarray(final[2]),
            "params": [(np.asarray(W), np.asarray(b)) for W, b in final[0]],
        }
        if snaps is not None:
            out["eval_steps"] = np.arange(0, steps + 1, eval_every)
            out["eval_loss"] = np.asarray(snaps[0])
            out["eval_dead"] = [np.asarray(m) for m in snaps[1]]
    return out


@functools.partial(
    jax.jit, static_argnames=("activations", "loss", "optimizer", "momentum", "full_batch", "eval_every", "dead_units")
)
def _replay(
    params, X, y, batches, lrs, act_index, *, activations, loss, optimizer, momentum, full_batch, eval_every, dead_units
):
    """Every run (vmapped): final (params, dead masks, finite), (losses, accuracies), snapshots."""

    def run(params, lr, index):
        act = activations[0] if len(activations) == 1 else _switch(index, activations)
        opt = _optimizer(optimizer, lr, momentum)

        def objective(p, Xb, yb):
            return loss_acc(nets.mlp_apply(p, Xb, activation=act), yb, loss)

        def masks(p):
            return dead.dead_units(p, X, activation=act)

        def step(carry, idx):
            p, state = carry
            Xb, yb = (X, y) if full_batch else (X[idx], y[idx])
            (value, acc), grads = jax.value_and_grad(objective, has_aux=True)(p, Xb, yb)
            updates, state = opt.update(grads, state, p)
            return (optax.apply_updates(p, updates), state), (value, acc)

        carry = (params, opt.init(params))
        snaps: Any = None
        if eval_every is None:
            (p, _), record = jax.lax.scan(step, carry, batches)
        else:

            def block(carry, idx):
                snapshot = (objective(carry[0], X, y)[0], masks(carry[0]))
                carry, record = jax.lax.scan(step, carry, idx)
                return carry, (record, snapshot)

            shaped = batches.reshape(batches.shape[0] // eval_every, eval_every, batches.shape[1])
            (p, _), (record, snaps) = jax.lax.scan(block, carry, shaped)
            last = (objective(p, X, y)[0], masks(p))
            snaps = jax.tree.map(lambda a, b: jnp.concatenate([a, b[None]]), snaps, last)
            record = jax.tree.map(lambda a: a.reshape(-1), record)
        finite = jnp.all(jnp.stack([jnp.all(jnp.isfinite(W)) & jnp.all(jnp.isfinite(b)) for W, b in p]))
        return (p, masks(p) if dead_units else None, finite), record, snaps

    return jax.vmap(run)(params, lrs, act_index)


def _switch(index: jax.Array, names: tuple[str, ...]) -> Any:
    return activations.switch(index, list(names))
