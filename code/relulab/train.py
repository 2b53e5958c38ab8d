r"""Training small networks with optax: one jitted step, a jitted ``fit``, and vmapped sweeps.

* :func:`loss_and_accuracy` evaluates a model on a dataset.
* :func:`make_step` builds one jitted optax update step.
* :func:`fit` trains one model for a fixed number of steps; the whole loop is
  a single compiled ``jax.lax.scan``. It returns the final parameters and a
  history of the loss and accuracy at every step.
* :func:`sweep` trains the same model for every (seed, learning rate) pair
  as *one* ``jax.vmap``-ed, jitted computation, and gives exactly the runs
  that a Python loop over :func:`seed_keys` and :func:`fit` would give.
* :func:`first_step_below` reads off how many steps a run needed to reach a
  target (e.g. a training error).

Losses
    ``"cross_entropy"``: for ``n_out >= 2`` outputs, softmax cross-entropy
    with integer labels :math:`-\frac1n\sum_i \log \mathrm{softmax}(f(x_i))_{y_i}`;
    for one output, logistic (sigmoid) cross-entropy with labels 0/1.
    Accuracy is the fraction of correct ``argmax`` (or ``logit > 0``) predictions.

    ``"mse"``: :math:`\frac{1}{n\,k}\sum_{i,j} (f(x_i)_j - t_{ij})^2` where the
    targets ``t`` are ``y`` itself (floats of the output's shape), or the
    one-hot encoding of integer labels ``y``. Accuracy is reported for integer
    labels and is ``nan`` for real-valued targets.

Optimisers
    A name (``"sgd"``, ``"momentum"`` (SGD with momentum 0.9), ``"adam"``)
    used with ``learning_rate``; or a callable ``learning_rate -> optax.GradientTransformation``
    (e.g. ``optax.rmsprop``); or, in :func:`fit` only, a ready
    ``optax.GradientTransformation`` (then ``learning_rate`` must be ``None``).

>>> import jax
>>> from relulab import data, nets, train
>>> X, y = data.xor(jax.random.key(0), 200)
>>> params = nets.mlp_init(jax.random.key(1), [2, 16, 1])
>>> params, hist = train.fit(params, X, y, learning_rate=0.5, steps=300)
>>> hist["loss"].shape, bool(hist["loss"][-1] < hist["loss"][0])
((300,), True)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, Optional, Union

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.typing import ArrayLike

from . import _validate, activations
from .activations import resolve
from .nets import mlp_apply

__all__ = [
    "LOSSES",
    "OPTIMIZERS",
    "first_step_below",
    "fit",
    "loss_and_accuracy",
    "make_step",
    "seed_keys",
    "sweep",
]

LOSSES: tuple[str, ...] = ("cross_entropy", "mse")
"""Loss names understood by :mod:`relulab.train`."""


def _momentum(learning_rate: float) -> optax.GradientTransformation:
    return optax.sgd(learning_rate, momentum=0.9)


OPTIMIZERS: dict[str, Callable[[float], optax.GradientTransformation]] = {
    "sgd": optax.sgd,
    "momentum": _momentum,
    "adam": optax.adam,
}
"""Optimiser names: each maps a learning rate to an optax transformation."""

History = dict[str, jax.Array]


# ---------------------------------------------------------------------------
# losses and validation
# ---------------------------------------------------------------------------


def _loss_acc(out: jax.Array, y: jax.Array, loss: str) -> tuple[jax.Array, jax.Array]:
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


def _check_loss(loss: object) -> str:
    return _validate.choice(loss, "loss", LOSSES)


def _check_apply(apply: object) -> Callable:
    if not callable(apply):
        _validate.fail(TypeError, "apply", "be a function apply(params, x, activation=...) such as "
                       "relulab.nets.mlp_apply", type(apply).__name__)
    return apply


def _forward(apply: Callable, activation: Any) -> Callable:
    if activation is None:
        return apply
    return functools.partial(apply, activation=activation)


def _check_data(
    params: Any, X: ArrayLike, y: ArrayLike, forward: Callable, loss: str, names: tuple[str, str] = ("X", "y")
) -> tuple[jax.Array, jax.Array]:
    """Validate a dataset against the model's output shape and the loss."""
    xname, yname = names
    X = _validate.float_array(X, xname)
    if X.ndim < 2 or X.shape[0] < 1:
        _validate.fail(ValueError, xname, "be a batch of inputs with a leading example axis, shape (n, ...) "
                       "with n >= 1", f"shape {X.shape}")
    n = X.shape[0]
    if _validate.real_dtype(y, yname, quiet=True) is None:
        _validate.fail(TypeError, yname, "hold integer labels or float targets",
                       f"dtype {y.dtype if hasattr(y, 'dtype') else np.asarray(y).dtype}")
    y = jnp.asarray(y)
    try:
        out = jax.eval_shape(forward, params, X[:1])
    except (ValueError, TypeError) as err:
        raise type(err)(f"{xname} of shape {X.shape} does not fit the model: {err}") from None
    if len(out.shape) != 2:
        _validate.fail(ValueError, "apply", f"return outputs of shape (batch, n_out) for {xname} of shape "
                       "(batch, ...)", f"{out.shape} for a batch of one")
    k = out.shape[1]
    if loss == "cross_entropy" or jnp.issubdtype(y.dtype, jnp.integer):
        if not jnp.issubdtype(y.dtype, jnp.integer):
            _validate.fail(TypeError, yname, f"hold integer class labels for loss {loss!r}", f"dtype {y.dtype}")
        if y.shape != (n,):
            _validate.fail(ValueError, yname, f"be integer labels of shape ({n},) to match {xname}",
                           f"shape {y.shape}")
        y = y.astype(jnp.int32)
        if not isinstance(y, jax.core.Tracer):
            n_classes = 2 if k == 1 else k
            lo, hi = int(jnp.min(y)), int(jnp.max(y))
            if lo < 0 or hi >= n_classes:
                _validate.fail(ValueError, f"{yname} labels", f"lie in 0..{n_classes - 1} for a model with {k} "
                               "output(s)", f"labels in {lo}..{hi}")
        return X, y
    if y.shape != (n, k):
        _validate.fail(ValueError, yname, f"be float targets of shape ({n}, {k}) to match the model's output "
                       f"for {xname}", f"shape {y.shape}"
                       + (f"; reshape with {yname}[:, None]" if y.shape == (n,) and k == 1 else ""))
    return X, y.astype(out.dtype)


def loss_and_accuracy(
    params: Any,
    X: ArrayLike,
    y: ArrayLike,
    *,
    apply: Callable = mlp_apply,
    activation: Union[str, Callable, None] = "relu",
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
    loss = _check_loss(loss)
    forward = _forward(_check_apply(apply), activation)
    if activation is not None:
        resolve(activation)
    X, y = _check_data(params, X, y, forward, loss)
    return _loss_acc(forward(params, X), y, loss)


# ---------------------------------------------------------------------------
# one step
# ---------------------------------------------------------------------------


def _make_update(forward: Callable, loss: str, opt: optax.GradientTransformation) -> Callable:
    def objective(params, X, y):
        value, acc = _loss_acc(forward(params, X), y, loss)
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
    activation: Union[str, Callable, None] = "relu",
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
        _validate.fail(TypeError, "optimizer", "be an optax.GradientTransformation such as optax.sgd(0.1)",
                       type(optimizer).__name__)
    loss = _check_loss(loss)
    if activation is not None:
        resolve(activation)
    forward = _forward(_check_apply(apply), activation)
    return jax.jit(_make_update(forward, loss, optimizer))


# ---------------------------------------------------------------------------
# fit
# ---------------------------------------------------------------------------


def _opt_factory(optimizer: Any, learning_rate: Any, *, allow_instance: bool) -> Any:
    """Return a hashable optimiser spec: a factory lr -> transformation, or a transformation."""
    if isinstance(optimizer, optax.GradientTransformation):
        if not allow_instance:
            _validate.fail(TypeError, "optimizer", "be a name or a callable learning_rate -> "
                           "optax.GradientTransformation here (the learning rate is swept)",
                           "a GradientTransformation instance")
        if learning_rate is not None:
            _validate.fail(ValueError, "learning_rate", "be None when optimizer is an optax.GradientTransformation "
                           "(it already holds its learning rate)", repr(learning_rate))
        return optimizer
    if isinstance(optimizer, str):
        return OPTIMIZERS[_validate.choice(optimizer, "optimizer", tuple(OPTIMIZERS))]
    if not callable(optimizer):
        _validate.fail(TypeError, "optimizer", f"be a name ({', '.join(OPTIMIZERS)}), a callable learning_rate -> "
                       "optax.GradientTransformation, or a GradientTransformation", type(optimizer).__name__)
    return optimizer


def _check_lr(lr: object, name: str = "learning_rate") -> float:
    return _validate.number(lr, name, low=0.0, low_open=True, expected="a positive finite number")


@functools.lru_cache(maxsize=128)
def _runner(
    apply: Callable,
    activation: Any,
    loss: str,
    optimizer: Any,
    steps: int,
    batch_size: Optional[int],
    eval_every: Optional[int],
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
            forward = _forward(apply, activations.switch(act_idx, activation))
        else:
            forward = _forward(apply, activation)
        opt = optimizer if isinstance(optimizer, optax.GradientTransformation) else optimizer(lr)
        update = _make_update(forward, loss, opt)
        n = X.shape[0]
        n_batches = 1 if batch_size is None else n // batch_size
        if batch_size is not None:
            # one permutation per epoch, drawn up front (sorting inside every step is costly)
            n_epochs = -(-steps // n_batches)
            perms = jax.vmap(lambda e: jax.random.permutation(jax.random.fold_in(key, e), n))(
                jnp.arange(n_epochs)
            )

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
            return _loss_acc(forward(params, X_eval), y_eval, loss)

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
def _jitted_runner(*spec: Any) -> Callable:
    return jax.jit(_runner(*spec))


def _check_eval(
    eval_data: Any, eval_every: Any, steps: int, params: Any, forward: Callable, loss: str
) -> tuple[Optional[int], Optional[jax.Array], Optional[jax.Array]]:
    if eval_data is None:
        if eval_every is not None:
            _validate.fail(ValueError, "eval_every", "be None without eval_data (it is only meaningful with "
                           "eval_data=(X_eval, y_eval))", repr(eval_every))
        return None, None, None
    if not isinstance(eval_data, (tuple, list)) or len(eval_data) != 2:
        _validate.fail(TypeError, "eval_data", "be a pair (X_eval, y_eval)", type(eval_data).__name__)
    eval_every = 1 if eval_every is None else _validate.integer(eval_every, "eval_every", minimum=1)
    if steps % eval_every:
        _validate.fail(ValueError, "eval_every", f"divide steps={steps}", f"eval_every={eval_every}")
    X_eval, y_eval = _check_data(params, *eval_data, forward, loss, names=("X_eval", "y_eval"))
    return eval_every, X_eval, y_eval


def _check_batch(batch_size: Any, n: int) -> Optional[int]:
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
    key: Optional[jax.Array] = None,
    apply: Callable = mlp_apply,
    activation: Union[str, Callable, None] = "relu",
    loss: str = "cross_entropy",
    learning_rate: Optional[float] = 0.1,
    optimizer: Union[str, Callable, optax.GradientTransformation] = "sgd",
    steps: int = 500,
    batch_size: Optional[int] = None,
    eval_data: Optional[tuple[ArrayLike, ArrayLike]] = None,
    eval_every: Optional[int] = None,
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
    loss = _check_loss(loss)
    apply = _check_apply(apply)
    if activation is not None:
        resolve(activation)
    steps = _validate.integer(steps, "steps", minimum=1)
    opt = _opt_factory(optimizer, learning_rate, allow_instance=True)
    lr = 0.0 if isinstance(opt, optax.GradientTransformation) else _check_lr(learning_rate)
    forward = _forward(apply, activation)
    X, y = _check_data(params, X, y, forward, loss)
    batch_size = _check_batch(batch_size, X.shape[0])
    if batch_size is not None and key is None:
        _validate.fail(ValueError, "key", "be given (e.g. key=jax.random.key(0)) when batch_size is set", "None")
    key = _validate.key(jax.random.key(0) if key is None else key)
    eval_every, X_eval, y_eval = _check_eval(eval_data, eval_every, steps, params, forward, loss)
    run = _jitted_runner(apply, activation, loss, opt, steps, batch_size, eval_every)
    return run(params, X, y, key, jnp.float32(lr), jnp.int32(0), X_eval, y_eval)


# ---------------------------------------------------------------------------
# sweeps
# ---------------------------------------------------------------------------


def _check_seed(seed: object, name: str = "seed") -> int:
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
    k = jax.random.split(jax.random.key(_check_seed(seed)))
    return k[0], k[1]


def sweep(
    init: Callable[[jax.Array], Any],
    X: ArrayLike,
    y: ArrayLike,
    *,
    seeds: Sequence[int],
    learning_rates: Sequence[float],
    apply: Callable = mlp_apply,
    activation: Union[str, Callable, None, Sequence[Union[str, Callable]]] = "relu",
    loss: str = "cross_entropy",
    optimizer: Union[str, Callable] = "sgd",
    steps: int = 500,
    batch_size: Optional[int] = None,
    eval_data: Optional[tuple[ArrayLike, ArrayLike]] = None,
    eval_every: Optional[int] = None,
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
    if (
        isinstance(learning_rates, (str, bytes))
        or not isinstance(learning_rates, (Sequence, np.ndarray, jax.Array))
    ):
        _validate.fail(TypeError, "learning_rates", "be a non-empty sequence of positive numbers",
                       repr(learning_rates))
    if len(learning_rates) == 0:
        _validate.fail(ValueError, "learning_rates", "be a non-empty sequence of positive numbers", "[]")
    try:
        lr_array = np.asarray(learning_rates, dtype=float)
    except (TypeError, ValueError):
        _validate.fail(TypeError, "learning_rates", "hold numbers", repr(learning_rates))
    if lr_array.ndim not in (1, 2) or lr_array.shape[-1] == 0:
        _validate.fail(ValueError, "learning_rates", "be a sequence of positive numbers (or, with a list of "
                       "activations, one row per activation)", f"shape {lr_array.shape}")
    for idx, v in np.ndenumerate(lr_array):
        _check_lr(float(v), "learning_rates[" + ", ".join(map(str, idx)) + "]")
    lrs = lr_array[-1] if lr_array.ndim == 2 else lr_array
    loss = _check_loss(loss)
    apply = _check_apply(apply)
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
        _validate.fail(ValueError, "activation", f"be a list of {lr_array.shape[0]} activations for "
                       f"learning_rates of shape {lr_array.shape} (one row per activation)", repr(activation))
    lr_grid = jnp.asarray(lr_array, dtype=jnp.float32)
    steps = _validate.integer(steps, "steps", minimum=1)
    opt = _opt_factory(optimizer, 0.0, allow_instance=False)
    forward = _forward(apply, activation[0] if multi else activation)
    params0 = init(seed_keys(seeds[0])[0])
    X, y = _check_data(params0, X, y, forward, loss)
    batch_size = _check_batch(batch_size, X.shape[0])
    eval_every, X_eval, y_eval = _check_eval(eval_data, eval_every, steps, params0, forward, loss)
    n_act = len(activation) if multi else 1
    lead = (n_act, len(seeds), len(lrs)) if multi else (len(seeds), len(lrs))
    # Every run of the product as one flat batch: a single vmap compiles faster than nested ones.
    a_idx, s_idx, l_idx = (v.reshape(-1) for v in np.indices((n_act, len(seeds), len(lrs))))
    keys = jax.vmap(lambda s: jax.random.split(jax.random.key(s)))(jnp.asarray(seeds, dtype=jnp.uint32))
    vectorize = _validate.boolean(vectorize, "vectorize")
    run = _jitted_sweep(init, vectorize, apply, activation, loss, opt, steps, batch_size, eval_every)
    params, hist = run(
        keys[s_idx, 0], keys[s_idx, 1], lr_grid[a_idx, l_idx] if lr_grid.ndim == 2 else lr_grid[l_idx],
        jnp.asarray(a_idx, dtype=jnp.int32), X, y, X_eval, y_eval,
    )
    return jax.tree.map(lambda v: v.reshape(lead + v.shape[1:]), (params, hist))


@functools.lru_cache(maxsize=64)
def _jitted_sweep(init: Callable, vectorize: bool, *spec: Any) -> Callable:
    run = _runner(*spec)

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
