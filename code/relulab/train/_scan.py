"""The training primitive of :mod:`relulab.train`: :func:`scan_fit`, one ``lax.scan`` of optax updates.

:func:`relulab.train.fit`, :func:`relulab.train.sweep` and :func:`relulab.train.make_step` are
layers over it, and so is every training run of the chapters (private module).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from .. import _validate

__all__ = [
    "History",
    "PyTree",
    "batch_indices",
    "check_transformation",
    "key_bits",
    "make_update",
    "minibatches",
    "scan_fit",
]

PyTree = Any
"""A pytree of arrays: parameters, gradients, a batch (JAX's nested lists, tuples and dicts)."""

History = dict[str, jax.Array]
"""A training history: named arrays whose leading axis runs over steps (or evaluations)."""

LossFn = Callable[[PyTree, PyTree], Any]


def make_update(loss_fn: LossFn, optimizer: optax.GradientTransformation, has_aux: bool) -> Callable:
    """``update(params, opt_state, batch) -> (params, opt_state, loss, aux, grads)``: one optax step.

    ``loss``, ``aux`` and ``grads`` are those of the parameters *before* the update; ``aux`` is
    ``{}`` without ``has_aux``. Inputs are not validated here (it is the inner loop).
    """
    value_and_grad = jax.value_and_grad(loss_fn, has_aux=has_aux)

    def update(params: PyTree, opt_state: Any, batch: PyTree) -> tuple:
        if has_aux:
            (value, aux), grads = value_and_grad(params, batch)
        else:
            (value, grads), aux = value_and_grad(params, batch), {}
        # optax itself mixes int32 step counts with floats (e.g. Adam's bias correction), which
        # jax_numpy_dtype_promotion="strict" rejects; the caller's code stays strict.
        with jax.numpy_dtype_promotion("standard"):
            updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, value, aux, grads

    return update


def minibatches(key: jax.Array, n: int, batch_size: int, steps: int) -> np.ndarray:
    """Example indices for ``steps`` minibatches: a fresh permutation of the data every epoch.

    The permutations are drawn with NumPy, from a generator seeded with the bits of ``key``
    (``jax.random.key_data(key)``), one ``permutation(n)`` per epoch; each is cut into
    ``n // batch_size`` batches in order (the remainder of the epoch is dropped), so every
    example is used at most once per epoch. NumPy rather than ``jax.random.permutation``:
    nothing is compiled (a threefry shuffle inside a training program costs seconds of XLA
    compilation on a CPU), and the indices go into :func:`scan_fit` as data. The same key
    always gives the same batches, and the NumPy stream is not one that ``jax.random`` draws
    from the key, so the key may also initialise the parameters.

    Args:
        key: a JAX PRNG key (not traced: call it outside ``jit``).
        n: number of examples, >= 1.
        batch_size: examples per batch, ``1 <= batch_size <= n``.
        steps: number of batches, >= 1.

    Returns:
        An int32 NumPy array of shape ``(steps, batch_size)``: row ``t`` indexes the examples of step ``t``.

    >>> import jax
    >>> idx = minibatches(jax.random.key(0), 10, 4, 5)     # 2 batches an epoch, 3 epochs begun
    >>> idx.shape, len(set(idx[:2].ravel().tolist()))      # the first epoch: 8 different examples
    ((5, 4), 8)
    """
    key = _validate.key(key)
    _validate.check_type(
        not isinstance(key, jax.core.Tracer),
        "key",
        "be a concrete key (minibatches draws with NumPy: call it outside jit)",
        "a traced key",
    )
    n = _validate.integer(n, "n", minimum=1)
    batch_size = _validate.integer(batch_size, "batch_size", minimum=1)
    steps = _validate.integer(steps, "steps", minimum=1)
    _validate.check(batch_size <= n, "batch_size", f"be at most the number of examples {n}", str(batch_size))
    return batch_indices(key_bits(key), n, batch_size, steps)


def key_bits(keys: jax.Array) -> np.ndarray:
    """The uint32 words of a key or an array of keys (typed or legacy), as NumPy: one eager operation."""
    if jnp.issubdtype(keys.dtype, jax.dtypes.prng_key):
        keys = jax.random.key_data(keys)
    return np.asarray(keys, dtype=np.uint32)


_MINIBATCH_STREAM = 0x6D696E69  # "mini": the NumPy stream of minibatches, apart from anything else seeded by a key


def batch_indices(bits: np.ndarray, n: int, batch_size: int, steps: int) -> np.ndarray:
    """:func:`minibatches` for the key with words ``bits`` (arguments already validated)."""
    rng = np.random.default_rng([_MINIBATCH_STREAM, *bits.ravel().tolist()])
    per_epoch = n // batch_size
    epochs = [rng.permutation(n)[: per_epoch * batch_size] for _ in range(-(-steps // per_epoch))]
    return np.concatenate(epochs).reshape(-1, batch_size)[:steps].astype(np.int32)


def check_transformation(optimizer: object, name: str = "optimizer") -> optax.GradientTransformation:
    _validate.check_type(
        isinstance(optimizer, optax.GradientTransformation),
        name,
        "be an optax.GradientTransformation such as optax.sgd(0.1)",
        type(optimizer).__name__,
    )
    return optimizer


def _struct(tree: PyTree) -> PyTree:
    return jax.tree.map(lambda v: jax.ShapeDtypeStruct(jnp.shape(v), jnp.result_type(v)), tree)


def _strong(v: Any) -> jax.Array:
    """``v`` as a JAX array of a fixed (not weak) dtype, so that the scan's carry keeps its type."""
    v = jnp.asarray(v)
    return v.astype(v.dtype)


def _check_params(params: PyTree) -> PyTree:
    leaves = jax.tree_util.tree_leaves_with_path(params)
    _validate.check(leaves, "params", "hold at least one array to train", "an empty pytree")
    for path, leaf in leaves:
        where = "params" + jax.tree_util.keystr(path)
        dtype = _validate.real_dtype(leaf, where)
        _validate.check_type(
            jnp.issubdtype(dtype, jnp.floating),
            where,
            "be a floating-point array (gradients are taken with respect to it)",
            f"dtype {dtype}",
        )
    return jax.tree.map(_strong, params)


def _check_batches(batches: Any) -> tuple[int, Any]:
    """``(steps, xs)``: the number of steps and what the scan runs over."""
    if isinstance(batches, (int, np.integer)):
        n = _validate.integer(batches, "batches", minimum=1)  # a bool is a TypeError
        return n, jnp.arange(n, dtype=jnp.int32)
    leaves = jax.tree_util.tree_leaves_with_path(batches)
    expected = "be a number of steps >= 1 or a pytree of arrays with a leading axis of one entry per step"
    _validate.check(leaves, "batches", expected, "an empty pytree" if batches is not None else "None")
    steps: int | None = None
    first = ""
    for path, leaf in leaves:
        where = "batches" + jax.tree_util.keystr(path)
        _validate.real_dtype(leaf, where)
        shape = jnp.shape(leaf)
        _validate.check(
            len(shape) != 0 and shape[0] >= 1,
            where,
            "have a leading axis of one entry per step (at least one)",
            f"shape {shape}",
        )
        if steps is None:
            steps, first = shape[0], where
        _validate.check(
            shape[0] == steps, where, f"have {steps} steps on its leading axis, as {first} has", f"shape {shape}"
        )
    assert steps is not None  # leaves is not empty (checked above)
    return steps, jax.tree.map(jnp.asarray, batches)


def _check_record(out: Any, what: str, taken: set[str]) -> set[str]:
    """The keys of a record's output: a mapping from new names to arrays."""
    _validate.check_type(
        isinstance(out, Mapping), what, "return a dict of named arrays, e.g. {'grad_norm': ...}", type(out).__name__
    )
    for name in out:
        _validate.check_type(isinstance(name, str), f"the keys of {what}", "be strings", repr(name))
        _validate.check(
            name not in taken,
            f"the keys of {what}",
            f"differ from the other names in the history ({', '.join(sorted(taken))})",
            repr(name),
        )
    return taken | set(out)


def _check_outputs(
    loss_fn: Callable, params: Any, batch: Any, has_aux: bool, record: Callable | None, evaluate: Callable | None
) -> None:
    """Trace one step abstractly (no computation) and check what each function returns."""
    try:
        out = jax.eval_shape(loss_fn, _struct(params), batch)
    except (TypeError, ValueError) as err:
        shapes = jax.tree.map(lambda b: b.shape, batch)
        raise type(err)(f"loss_fn(params, batch) fails for a batch of shape {shapes}: {err}") from None
    if has_aux:
        _validate.check_type(
            isinstance(out, tuple) and len(out) == 2,
            "loss_fn",
            "return a pair (loss, aux) with has_aux=True",
            type(out).__name__,
        )
        out, aux = out
    if not isinstance(out, jax.ShapeDtypeStruct):
        hint = " (or set has_aux=True for (loss, aux))" if isinstance(out, tuple) else ""
        _validate.wrong_type("loss_fn", "return a scalar loss" + hint, type(out).__name__)
    _validate.check(
        out.shape == () and jnp.issubdtype(out.dtype, jnp.floating),
        "loss_fn",
        "return a scalar floating-point loss (e.g. a mean over the batch)",
        f"shape {out.shape} and dtype {out.dtype}",
    )
    taken = {"loss"}
    if has_aux:
        taken = _check_record(aux, "loss_fn's aux", taken)
    if record is not None:
        taken = _check_record(jax.eval_shape(record, _struct(params), _struct(params)), "record", taken)
    if evaluate is not None:
        _check_record(jax.eval_shape(evaluate, _struct(params)), "evaluate", taken)


def scan_fit(
    loss_fn: LossFn,
    params: PyTree,
    optimizer: optax.GradientTransformation,
    batches: PyTree | int,
    *,
    has_aux: bool = False,
    record: Callable[[PyTree, PyTree], Mapping[str, Any]] | None = None,
    evaluate: Callable[[PyTree], Mapping[str, Any]] | None = None,
    eval_every: int | None = None,
) -> tuple[PyTree, History]:
    r"""Train ``params`` with ``optimizer`` on ``loss_fn``: one ``jax.lax.scan`` over the steps.

    Step :math:`t` computes the loss on batch :math:`t` and its gradient, then applies the optax
    update: :math:`\theta_{t+1} = \theta_t + u_t` with ``u_t, state = optimizer.update(grads,
    state, params)``. The function is pure and traceable: call it inside ``jax.jit`` and
    ``jax.vmap`` it over runs (parameters, batches, or a learning rate that builds
    ``optimizer`` inside the vmapped function; a traced learning rate compiles once for all
    values). Everything a run records comes back in one dict of arrays.

    Args:
        loss_fn: ``loss_fn(params, batch) -> loss``, a scalar; with ``has_aux``,
            ``-> (loss, aux)`` with ``aux`` a dict of named arrays (e.g. ``{"error": ...}``).
        params: the initial parameters, a pytree of floating-point arrays.
        optimizer: an ``optax.GradientTransformation`` such as ``optax.sgd(0.1, momentum=0.9)``.
        batches: a pytree of arrays whose leading axis has one entry per step (e.g. example
            indices of shape ``(steps, batch_size)`` from :func:`minibatches`): step ``t`` calls
            ``loss_fn(params, batch)`` with every leaf's entry ``t``. Or an int, the number of
            steps, for full-batch training: then ``batch`` is the step number ``t``.
        has_aux: whether ``loss_fn`` returns ``(loss, aux)``.
        record: optional ``record(params, grads) -> dict`` of named arrays, called at every step
            with the parameters before the update and their gradient (e.g. a gradient norm).
        evaluate: optional ``evaluate(params) -> dict`` of named arrays, called after every
            ``eval_every`` updates, at the start and at the end (e.g. the loss on a test set).
        eval_every: a divisor of the number of steps (default 1); only with ``evaluate``.

    Returns:
        ``(params, history)``: the trained parameters (the pytree structure of ``params``) and
        a dict with ``"loss"`` of shape ``(steps,)``, entry ``t`` the loss on batch ``t`` before
        update ``t``; the entries of ``aux`` and of ``record``, stacked the same way; and the
        entries of ``evaluate``, stacked over ``steps // eval_every + 1`` evaluations (after 0,
        ``eval_every``, ..., ``steps`` updates).

    Raises:
        TypeError: ``loss_fn``, ``record`` or ``evaluate`` is not callable or returns the wrong
            kind of value, ``optimizer`` is not a GradientTransformation, a parameter is not a
            floating-point array.
        ValueError: the batches' leaves disagree on the number of steps, a batch leaf has no
            leading axis, the loss is not a scalar, ``eval_every`` does not divide the number of
            steps, two recorded names clash. An error raised by ``loss_fn`` on the first batch
            is re-raised with the batch's shape.

    Gradient descent on a least-squares line, against the closed form:

    >>> import jax, jax.numpy as jnp, optax
    >>> x = jnp.linspace(-1.0, 1.0, 16)
    >>> y = 3.0 * x - 1.0
    >>> def loss(p, step):                    # full batch: the step number is not needed
    ...     return jnp.mean((p["w"] * x + p["b"] - y) ** 2)
    >>> params, hist = scan_fit(loss, {"w": 0.0, "b": 0.0}, optax.sgd(0.4), 100,
    ...                         record=lambda p, g: {"grad_w": g["w"]})
    >>> round(float(params["w"]), 3), round(float(params["b"]), 3), hist["loss"].shape
    (3.0, -1.0, (100,))

    Minibatches of indices, every step's error as ``aux``, inside ``jit``:

    >>> idx = minibatches(jax.random.key(0), 16, 4, 40)
    >>> def batch_loss(p, i):
    ...     r = p["w"] * x[i] + p["b"] - y[i]
    ...     return jnp.mean(r**2), {"max_error": jnp.max(jnp.abs(r))}
    >>> run = jax.jit(lambda p, i: scan_fit(batch_loss, p, optax.adam(0.1), i, has_aux=True))
    >>> _, hist = run({"w": 0.0, "b": 0.0}, idx)
    >>> sorted(hist), hist["max_error"].shape
    (['loss', 'max_error'], (40,))
    """
    _validate.check_type(
        callable(loss_fn), "loss_fn", "be a function loss_fn(params, batch) -> loss", type(loss_fn).__name__
    )
    check_transformation(optimizer)
    has_aux = _validate.boolean(has_aux, "has_aux")
    for fn, name in ((record, "record"), (evaluate, "evaluate")):
        _validate.check_type(fn is None or callable(fn), name, "be a function or None", type(fn).__name__)
    params = _check_params(params)
    steps, xs = _check_batches(batches)
    if evaluate is None:
        _validate.check(
            eval_every is None,
            "eval_every",
            "be None without evaluate (it says how often to evaluate)",
            repr(eval_every),
        )
    every = 1 if eval_every is None else _validate.integer(eval_every, "eval_every", minimum=1)
    if evaluate is not None:
        _validate.check(steps % every == 0, "eval_every", f"divide the number of steps {steps}", f"eval_every={every}")
    batch0 = jax.tree.map(lambda v: jax.ShapeDtypeStruct(v.shape[1:], v.dtype), xs)
    _check_outputs(loss_fn, params, batch0, has_aux, record, evaluate)

    update = make_update(loss_fn, optimizer, has_aux)

    def step(carry, batch):
        params, opt_state = carry
        new_params, opt_state, value, aux, grads = update(params, opt_state, batch)
        out = {"loss": value, **aux}
        if record is not None:
            out.update(record(params, grads))
        return (new_params, opt_state), out

    with jax.numpy_dtype_promotion("standard"):
        carry = (params, optimizer.init(params))
    if evaluate is None:
        (params, _), hist = jax.lax.scan(step, carry, xs)
        return params, dict(hist)

    def block(carry, xs_block):
        evaluated = evaluate(carry[0])
        carry, recorded = jax.lax.scan(step, carry, xs_block)
        return carry, (recorded, evaluated)

    n_blocks = steps // every
    if n_blocks == 1:
        # At the start and the end only: one vmapped evaluation of both parameter sets, so that
        # the compiled program holds one copy of evaluate, not two, and no outer loop.
        start = params
        (params, _), hist = jax.lax.scan(step, carry, xs)
        both = jax.tree.map(lambda a, b: jnp.stack([a, b]), start, params)
        hist = dict(hist) | dict(jax.vmap(lambda p: dict(evaluate(p)))(both))
        return params, hist
    blocks = jax.tree.map(lambda v: v.reshape(n_blocks, every, *v.shape[1:]), xs)
    (params, _), (recorded, evaluated) = jax.lax.scan(block, carry, blocks)
    hist = jax.tree.map(lambda v: v.reshape(steps, *v.shape[2:]), dict(recorded))
    last = evaluate(params)
    hist.update(jax.tree.map(lambda v, w: jnp.concatenate([v, jnp.asarray(w)[None]]), dict(evaluated), dict(last)))
    return params, hist
