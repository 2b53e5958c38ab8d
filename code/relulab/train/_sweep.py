"""Training many runs at once: :func:`sweep` over seeds and learning rates (private module)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from .. import _validate
from ..activations import resolve
from ..nets import mlp_apply
from ._fit import check_batch, check_eval, runner
from ._losses import History, bind_activation, check_apply, check_data, check_loss
from ._step import check_lr, opt_factory

__all__ = ["first_step_below", "seed_keys", "sweep"]


def check_seed(seed: object, name: str = "seed") -> int:
    return _validate.integer(seed, name, minimum=0)


def seed_keys(seed: int) -> tuple[jax.Array, jax.Array]:
    """The two keys a run with seed ``seed`` uses in :func:`sweep`: ``(init_key, fit_key)``.

    ``init_key, fit_key = jax.random.split(jax.random.key(seed))``: the first
    initialises the parameters, the second orders the minibatches. With it, a
    Python loop reproduces any run of a sweep::

        k_init, k_fit = seed_keys(s)
        fit(init(k_init), X, y, key=k_fit, learning_rate=lr, ...)

    >>> k_init, k_fit = seed_keys(0)
    >>> k_init.shape, k_fit.shape
    ((), ())
    """
    k = jax.random.split(jax.random.key(check_seed(seed)))
    return k[0], k[1]


def sweep(
    init: Callable[[jax.Array], Any],
    X: ArrayLike,
    y: ArrayLike,
    *,
    seeds: Sequence[int],
    learning_rates: Sequence[float],
    apply: Callable = mlp_apply,
    activation: str | Callable | None | Sequence[str | Callable] = "relu",
    loss: str = "cross_entropy",
    optimizer: str | Callable = "sgd",
    steps: int = 500,
    batch_size: int | None = None,
    eval_data: tuple[ArrayLike, ArrayLike] | None = None,
    eval_every: int | None = None,
    vectorize: bool = True,
) -> tuple[Any, History]:
    """Train one run per (seed, learning rate) pair as a single vmapped, jitted computation.

    Run ``(i, j)`` initialises ``params = init(k_init)`` and trains it with
    :func:`fit` at ``learning_rates[j]`` with ``key=k_fit``, where
    ``k_init, k_fit = seed_keys(seeds[i])``. All runs are computed together:
    one ``jax.vmap`` over the flattened list of runs, in one ``jax.jit``-compiled
    program.

    ``activation`` may also be a list of names or callables: then every
    (activation, seed, learning rate) triple is trained, still in one program
    (the activation chosen per run with ``jax.lax.switch``,
    which under ``vmap`` evaluates every listed activation and selects), and
    results get a leading activation axis. Run ``(a, i, j)`` equals the
    corresponding :func:`fit` with ``activation=activation[a]``.

    Args:
        init: ``init(key) -> params``, e.g. ``lambda k: nets.mlp_init(k, [64, 32, 10])``.
        X, y: the training set, as in :func:`fit`.
        seeds: non-empty sequence of non-negative integers.
        learning_rates: non-empty sequence of positive numbers; with a list of
            activations also a 2D array of shape ``(n_activations, n_lrs)``,
            row ``a`` the grid for ``activation[a]`` (each activation its own
            range; the history is then indexed by position in the row).
        activation: a name or callable (or ``None``) as in :func:`fit`, or a
            non-empty list of names/callables.
        apply, loss, steps, batch_size, eval_data, eval_every: as in :func:`fit`.
        optimizer: a name or a callable ``learning_rate -> optax.GradientTransformation``.
        vectorize: ``True`` (default) batches all runs with ``jax.vmap``; ``False``
            runs them one after another with ``jax.lax.map`` inside the same
            compiled program (same results). On a CPU, ``vmap`` is faster for
            MLPs; for CNNs it turns the convolutions into grouped convolutions,
            which XLA's CPU backend runs slowly, and ``False`` can be faster
            (see ``benchmarks/bench_sweep.py``).

    Returns:
        ``(params, history)`` with every leaf of ``params`` and every array in
        ``history`` given the leading axes ``(len(seeds), len(learning_rates))``,
        preceded by ``len(activation)`` for a list of activations; e.g.
        ``history["loss"]`` has shape ``(n_seeds, n_lrs, steps)``.

    >>> import jax
    >>> from relulab import data, nets
    >>> X, y = data.two_moons(jax.random.key(0), 128)
    >>> params, hist = sweep(lambda k: nets.mlp_init(k, [2, 16, 1]), X, y,
    ...                      seeds=[0, 1, 2], learning_rates=[0.1, 1.0], steps=50)
    >>> hist["accuracy"].shape, params[0][0].shape
    ((3, 2, 50), (3, 2, 2, 16))

    With ``activation=["relu", "tanh"]`` the same call returns ``hist["loss"]``
    of shape ``(2, 3, 2, 50)``.
    """
    if not callable(init):
        _validate.fail(TypeError, "init", "be a function key -> params", type(init).__name__)
    seeds = _validate.integers(seeds, "seeds", min_len=1, minimum=0, example="[0, 1, 2]")
    if isinstance(learning_rates, (str, bytes)) or not isinstance(learning_rates, (Sequence, np.ndarray, jax.Array)):
        _validate.fail(TypeError, "learning_rates", "be a non-empty sequence of positive numbers", repr(learning_rates))
    if len(learning_rates) == 0:
        _validate.fail(ValueError, "learning_rates", "be a non-empty sequence of positive numbers", "[]")
    try:
        lr_array = np.asarray(learning_rates, dtype=float)
    except (TypeError, ValueError):
        _validate.fail(TypeError, "learning_rates", "hold numbers", repr(learning_rates))
    if lr_array.ndim not in (1, 2) or lr_array.shape[-1] == 0:
        _validate.fail(
            ValueError,
            "learning_rates",
            "be a sequence of positive numbers (or, with a list of activations, one row per activation)",
            f"shape {lr_array.shape}",
        )
    for idx, v in np.ndenumerate(lr_array):
        check_lr(float(v), "learning_rates[" + ", ".join(map(str, idx)) + "]")
    lrs = lr_array[-1] if lr_array.ndim == 2 else lr_array
    loss = check_loss(loss)
    apply = check_apply(apply)
    multi = isinstance(activation, (list, tuple))
    if multi:
        if len(activation) == 0:
            _validate.fail(ValueError, "activation", "be a name, a callable, or a non-empty list of them", "[]")
        activation = tuple(activation)
        for i, a in enumerate(activation):
            resolve(a, name=f"activation[{i}]")
    elif activation is not None:
        resolve(activation)
    if lr_array.ndim == 2 and (not multi or lr_array.shape[0] != len(activation)):
        _validate.fail(
            ValueError,
            "activation",
            f"be a list of {lr_array.shape[0]} activations for "
            f"learning_rates of shape {lr_array.shape} (one row per activation)",
            repr(activation),
        )
    lr_grid = jnp.asarray(lr_array, dtype=jnp.float32)
    steps = _validate.integer(steps, "steps", minimum=1)
    opt = opt_factory(optimizer, 0.0, allow_instance=False)
    forward = bind_activation(apply, activation[0] if multi else activation)
    params0 = init(seed_keys(seeds[0])[0])
    X, y = check_data(params0, X, y, forward, loss)
    batch_size = check_batch(batch_size, X.shape[0])
    eval_every, X_eval, y_eval = check_eval(eval_data, eval_every, steps, params0, forward, loss)
    n_act = len(activation) if multi else 1
    lead = (n_act, len(seeds), len(lrs)) if multi else (len(seeds), len(lrs))
    # Every run of the product as one flat batch: a single vmap compiles faster than nested ones.
    a_idx, s_idx, l_idx = (v.reshape(-1) for v in np.indices((n_act, len(seeds), len(lrs))))
    keys = jax.vmap(lambda s: jax.random.split(jax.random.key(s)))(jnp.asarray(seeds, dtype=jnp.uint32))
    vectorize = _validate.boolean(vectorize, "vectorize")
    run = _jitted_sweep(init, vectorize, apply, activation, loss, opt, steps, batch_size, eval_every)
    params, hist = run(
        keys[s_idx, 0],
        keys[s_idx, 1],
        lr_grid[a_idx, l_idx] if lr_grid.ndim == 2 else lr_grid[l_idx],
        jnp.asarray(a_idx, dtype=jnp.int32),
        X,
        y,
        X_eval,
        y_eval,
    )
    return jax.tree.map(lambda v: v.reshape(lead + v.shape[1:]), (params, hist))


@functools.lru_cache(maxsize=64)
def _jitted_sweep(init: Callable, vectorize: bool, *spec: Any) -> Callable:
    run = runner(*spec)

    def one(k_init, k_fit, lr, act_idx, X, y, X_eval, y_eval):
        return run(init(k_init), X, y, k_fit, lr, act_idx, X_eval, y_eval)

    if vectorize:
        return jax.jit(jax.vmap(one, in_axes=(0, 0, 0, 0, None, None, None, None)))

    def sequential(k_init, k_fit, lr, act_idx, X, y, X_eval, y_eval):
        return jax.lax.map(lambda r: one(*r, X, y, X_eval, y_eval), (k_init, k_fit, lr, act_idx))

    return jax.jit(sequential)


def first_step_below(values: ArrayLike, threshold: float) -> np.ndarray:
    """The first step at which a curve is at or below ``threshold``, along the last axis.

    Args:
        values: array of shape ``(..., steps)``, e.g. a training-error history
            ``1 - history["accuracy"]``.
        threshold: the target value.

    Returns:
        A float numpy array of shape ``values.shape[:-1]``: the smallest ``t``
        with ``values[..., t] <= threshold``, or ``inf`` where it is never reached.

    >>> first_step_below([[0.9, 0.5, 0.2, 0.1], [0.9, 0.8, 0.7, 0.6]], 0.25).tolist()
    [2.0, inf]
    """
    _validate.real_dtype(values, "values")
    v = np.asarray(values, dtype=float)
    if v.ndim < 1 or v.shape[-1] < 1:
        _validate.fail(ValueError, "values", "have shape (..., steps) with steps >= 1", f"shape {v.shape}")
    threshold = _validate.number(threshold, "threshold", finite=False, expected="a number")
    hit = v <= threshold
    first = np.argmax(hit, axis=-1).astype(float)
    first[~hit.any(axis=-1)] = np.inf
    return first
