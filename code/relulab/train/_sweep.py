"""Training many runs at once: :func:`sweep` over keys, learning rates and activations (private module)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from .. import _validate
from ..activations import resolve
from ..nets import mlp_apply
from ._fit import RUN_STATIC, prepare, run
from ._losses import check_apply, check_loss
from ._scan import History, batch_indices, key_bits
from ._step import check_lr, opt_factory

__all__ = ["first_step_below", "sweep"]


def check_keys(keys: object) -> jax.Array:
    """``keys`` as one array of PRNG keys, shape ``(n,)`` (typed) or ``(n, 2)`` (legacy uint32)."""
    expected = "be a non-empty array or list of PRNG keys such as jax.random.split(jax.random.key(0), 5)"
    if isinstance(keys, (jax.Array, np.ndarray)):
        typed = jnp.issubdtype(keys.dtype, jax.dtypes.prng_key)
        if typed and keys.ndim == 1 and keys.shape[0] >= 1:
            return jnp.asarray(keys)
        if not typed and keys.dtype == np.uint32 and keys.ndim == 2 and keys.shape[0] >= 1 and keys.shape[1] == 2:
            return jnp.asarray(keys)
        _validate.check(not typed and keys.dtype != np.uint32, "keys", expected, f"an array of shape {keys.shape}")
        _validate.wrong_type("keys", expected, f"an array of dtype {keys.dtype}")
    if isinstance(keys, (list, tuple)):
        _validate.check(len(keys) != 0, "keys", expected, f"an empty {type(keys).__name__}")
        checked = [_validate.key(k, f"keys[{i}]") for i, k in enumerate(keys)]
        _validate.check_type(
            len({(k.dtype, k.shape) for k in checked}) <= 1,
            "keys",
            "hold keys of one kind (all typed or all legacy uint32)",
            "a mix of kinds",
        )
        return jnp.stack(checked)
    _validate.wrong_type("keys", expected, type(keys).__name__)


def check_makers(make_params: object, n_act: int | None) -> Callable | tuple[Callable, ...]:
    """A callable, or (with a list of ``n_act`` activations) a tuple of ``n_act`` callables."""
    expected = "be a function key -> params, or a list of such functions, one per activation"
    if callable(make_params):
        return make_params
    if isinstance(make_params, (list, tuple)):
        want = "a single function for a single activation" if n_act is None else f"a list of {n_act}"
        _validate.check(
            n_act is not None and len(make_params) == n_act,
            "make_params",
            f"{expected} ({want}, as activation)",
            f"a list of {len(make_params)}",
        )
        for i, m in enumerate(make_params):
            _validate.check_type(callable(m), f"make_params[{i}]", "be a function key -> params", type(m).__name__)
        return tuple(make_params)
    _validate.wrong_type("make_params", expected, type(make_params).__name__)


@functools.partial(jax.jit, static_argnames="make_params")
def _make_all(keys: jax.Array, *, make_params: Callable | tuple[Callable, ...]) -> Any:
    """Every maker on every key, in one compiled program (cached: the same makers and keys'
    shape reuse it): leaves of shape ``(n_makers * n_keys, ...)``, maker-major."""
    makers = make_params if isinstance(make_params, tuple) else (make_params,)
    made = [jax.vmap(m)(keys) for m in makers]
    return jax.tree.map(lambda *v: jnp.concatenate(v), *made)


def check_made(make_params: Callable | tuple[Callable, ...], key: jax.ShapeDtypeStruct) -> Any:
    """The parameters' shapes, traced abstractly (nothing is computed); every maker must give the same."""
    makers = make_params if isinstance(make_params, tuple) else (make_params,)
    made = [jax.eval_shape(m, key) for m in makers]
    for i, other in enumerate(made[1:], start=1):
        _validate.check(
            jax.tree.structure(other) == jax.tree.structure(made[0])  # type: ignore[operator]  # (PyTreeDef has ==)
            and jax.tree.leaves(other) == jax.tree.leaves(made[0]),
            f"make_params[{i}]",
            "return parameters of the same structure, shapes and dtypes as make_params[0]"
            " (all runs are trained as one batch)",
            f"{jax.tree.map(lambda v: v.shape, other)} against {jax.tree.map(lambda v: v.shape, made[0])}",
        )
    return made[0]


def sweep(
    make_params: Callable[[jax.Array], Any] | Sequence[Callable[[jax.Array], Any]],
    X: ArrayLike,
    y: ArrayLike,
    *,
    keys: jax.Array | Sequence[jax.Array],
    learning_rates: Sequence[float] | Sequence[Sequence[float]],
    apply: Callable = mlp_apply,
    activation: str | Callable | None | Sequence[str | Callable] = "relu",
    loss: str = "cross_entropy",
    optimizer: str | Callable = "sgd",
    steps: int = 500,
    batch_size: int | None = None,
    eval_data: tuple[ArrayLike, ArrayLike] | Mapping[str, tuple[ArrayLike, ArrayLike]] | None = None,
    eval_every: int | None = None,
    record: Callable[[Any, Any], Mapping[str, Any]] | None = None,
    vectorize: bool = True,
) -> tuple[Any, History]:
    """Train one run per (key, learning rate) pair, and activation, as a single jitted computation.

    Run ``(i, j)`` trains ``make_params(keys[i])`` exactly as
    ``fit(make_params(keys[i]), X, y, key=keys[i], learning_rate=learning_rates[j], ...)``
    would: the key makes the parameters, and its minibatches are :func:`minibatches` of the
    same key (a NumPy stream apart from ``jax.random``'s). All runs are computed together: one
    ``jax.vmap`` over the flattened list of runs, in one ``jax.jit``-compiled program, the
    parameters made inside it (the learning rate is traced: another grid reuses it).

    ``activation`` may also be a list of names or callables: then every (activation, key,
    learning rate) triple is trained, still in one program (the activation chosen per run with
    :func:`relulab.activations.switch`, which under ``vmap`` evaluates every listed activation and
    selects), and results get a leading activation axis. With a list of activations,
    ``make_params`` may be a list too, one maker per activation (e.g. He initialisation for
    ReLU, Glorot for tanh): run ``(a, i, j)`` then equals ``fit(make_params[a](keys[i]), ...,
    activation=activation[a], learning_rate=learning_rates[a][j])``. The runs of one key start
    from the same key and see the same minibatches, whatever their activation and rate.

    Args:
        make_params: ``make_params(key) -> params``, e.g. ``lambda k: nets.mlp_init(k, [64, 32, 10])``;
            or, with a list of activations, a list of such functions, one per activation, all
            giving parameters of the same shapes. Traced inside the compiled program: use
            ``jax.random`` (e.g. :func:`relulab.nets.mlp_init`), not NumPy.
        X, y: the training set, as in :func:`fit`.
        keys: PRNG keys, one per seed: an array such as ``jax.random.split(seeding.key("name"), 5)``
            or a list of keys.
        learning_rates: non-empty sequence of positive numbers; with a list of
            activations also a 2D array of shape ``(n_activations, n_lrs)``,
            row ``a`` the grid for ``activation[a]`` (each activation its own
            range; the history is then indexed by position in the row).
        activation: a name or callable (or ``None``) as in :func:`fit`, or a
            non-empty list of names/callables.
        apply, loss, steps, batch_size, eval_data, eval_every, record: as in :func:`fit`.
        optimizer: a name or a callable ``learning_rate -> optax.GradientTransformation``.
        vectorize: ``True`` (default) batches all runs with ``jax.vmap``; ``False``
            runs them one after another with ``jax.lax.map`` inside the same
            compiled program (same results). On a CPU, ``vmap`` is faster for
            MLPs; for CNNs it turns the convolutions into grouped convolutions,
            which XLA's CPU backend runs slowly, and ``False`` can be faster
            (see ``benchmarks/bench_sweep.py``).

    Returns:
        ``(params, history)`` with every leaf of ``params`` and every array in
        ``history`` given the leading axes ``(len(keys), len(learning_rates))``,
        preceded by ``len(activation)`` for a list of activations; e.g.
        ``history["loss"]`` has shape ``(n_keys, n_lrs, steps)``.

    Raises:
        TypeError / ValueError: as :func:`fit`, and for keys that are not PRNG keys, an empty
        grid, a list of makers that does not match the activations or whose parameters differ
        in shape.

    >>> import jax
    >>> from relulab import data, nets
    >>> X, y = data.two_moons(jax.random.key(0), 128)
    >>> keys = jax.random.split(jax.random.key(1), 3)
    >>> params, hist = sweep(lambda k: nets.mlp_init(k, [2, 16, 1]), X, y,
    ...                      keys=keys, learning_rates=[0.1, 1.0], steps=50)
    >>> hist["accuracy"].shape, params[0][0].shape
    ((3, 2, 50), (3, 2, 2, 16))

    Each activation with its own initialisation (He for ReLU, Glorot for tanh):

    >>> makers = [lambda k: nets.mlp_init(k, [2, 16, 1], init=i) for i in ("he", "glorot")]
    >>> _, hist = sweep(makers, X, y, keys=keys, learning_rates=[0.1, 1.0],
    ...                 activation=["relu", "tanh"], steps=50)
    >>> hist["loss"].shape
    (2, 3, 2, 50)
    """
    keys = check_keys(keys)
    _validate.check_type(
        not isinstance(learning_rates, (str, bytes)) and isinstance(learning_rates, (Sequence, np.ndarray, jax.Array)),
        "learning_rates",
        "be a non-empty sequence of positive numbers",
        repr(learning_rates),
    )
    _validate.check(len(learning_rates) != 0, "learning_rates", "be a non-empty sequence of positive numbers", "[]")
    try:
        lr_array = np.asarray(learning_rates, dtype=float)
    except (TypeError, ValueError):
        _validate.wrong_type("learning_rates", "hold numbers", repr(learning_rates))
    _validate.check(
        lr_array.ndim in (1, 2) and lr_array.shape[-1] != 0,
        "learning_rates",
        "be a sequence of positive numbers (or, with a list of activations, one row per activation)",
        f"shape {lr_array.shape}",
    )
    for idx, v in np.ndenumerate(lr_array):
        check_lr(float(v), "learning_rates[" + ", ".join(map(str, idx)) + "]")
    lrs = lr_array[-1] if lr_array.ndim == 2 else lr_array
    loss = check_loss(loss)
    apply = check_apply(apply)
    acts: tuple[str | Callable, ...] | None = None  # a list of activations, one row of learning_rates each
    if isinstance(activation, Sequence) and not isinstance(activation, str):
        acts = tuple(activation)
        _validate.check(len(acts) != 0, "activation", "be a name, a callable, or a non-empty list of them", "[]")
        for i, a in enumerate(acts):
            resolve(a, name=f"activation[{i}]")
        activation = acts
    elif activation is not None:
        resolve(activation)
    multi = acts is not None
    _validate.check(
        lr_array.ndim != 2 or (acts is not None and lr_array.shape[0] == len(acts)),
        "activation",
        f"be a list of {lr_array.shape[0]} activations for learning_rates of shape {lr_array.shape}"
        " (one row per activation)",
        repr(activation),
    )
    make_params = check_makers(make_params, len(acts) if acts is not None else None)
    lr_grid = lr_array.astype(np.float32)
    steps = _validate.integer(steps, "steps", minimum=1)
    opt = opt_factory(optimizer, 0.0, allow_instance=False)
    params0 = check_made(make_params, jax.ShapeDtypeStruct(keys.shape[1:], keys.dtype))
    X, y, batch_size, eval_sets, spec = prepare(
        params0, X, y, apply, activation, loss, opt, steps, batch_size, eval_data, eval_every, record
    )
    vectorize = _validate.boolean(vectorize, "vectorize")
    n_act = len(acts) if acts is not None else 1
    lead = (n_act, len(keys), len(lrs)) if multi else (len(keys), len(lrs))
    # Every run of the product as one flat batch: a single vmap compiles faster than nested ones.
    a_idx, k_idx, l_idx = (v.reshape(-1).astype(np.int32) for v in np.indices((n_act, len(keys), len(lrs))))
    batches = None
    if batch_size is not None:  # NumPy draws, one set per key (no compilation)
        bits = key_bits(keys)
        batches = np.stack([batch_indices(b, X.shape[0], batch_size, steps) for b in bits])[k_idx]
    starts = _make_all(keys, make_params=make_params)
    start_idx = (a_idx if isinstance(make_params, tuple) else 0) * len(keys) + k_idx
    return _jitted_sweep(
        starts,
        start_idx,
        batches,
        lr_grid[a_idx, l_idx] if lr_grid.ndim == 2 else lr_grid[l_idx],
        a_idx,
        X,
        y,
        eval_sets,
        lead=lead,
        vectorize=vectorize,
        **spec,
    )


def _per_run(v: jax.Array, lead: tuple[int, ...]) -> jax.Array:
    return v.reshape(lead + v.shape[1:])


@functools.partial(jax.jit, static_argnames=("lead", "vectorize", *RUN_STATIC))
def _jitted_sweep(starts, start_idx, batches, lr, act_idx, X, y, eval_sets, *, lead, vectorize, **spec):
    def one(i, batches, lr, act_idx):
        params = jax.tree.map(lambda v: v[i], starts)
        return run(params, X, y, batches, lr, act_idx, eval_sets, **spec)

    if vectorize:
        out = jax.vmap(one)(start_idx, batches, lr, act_idx)
    else:
        out = jax.lax.map(lambda r: one(*r), (start_idx, batches, lr, act_idx))
    return jax.tree.map(lambda v: _per_run(v, lead), out)


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
    _validate.check(
        v.ndim >= 1 and v.shape[-1] >= 1, "values", "have shape (..., steps) with steps >= 1", f"shape {v.shape}"
    )
    threshold = _validate.number(threshold, "threshold", finite=False, expected="a number")
    hit = v <= threshold
    first = np.argmax(hit, axis=-1).astype(float)
    first[~hit.any(axis=-1)] = np.inf
    return first
