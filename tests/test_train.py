"""Tests for relulab.train: losses against numpy, scan_fit against a Python loop of optax updates and
against gradient descent in closed form, sweep == Python loop of fit, determinism, bad input."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relulab import data, nets, train

KEY = jax.random.key(0)
STEPS = 6  # one compiled runner shared by most tests


def linear_apply(params, X):
    """A model with no activation argument (exercises activation=None)."""
    ((W, b),) = params
    return X @ W + b


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3)).astype(np.float32)
    y = (X @ np.array([1.0, -2.0, 0.5]) > 0).astype(np.int32) + (X[:, 0] > 1).astype(np.int32)  # 3 classes
    return jnp.asarray(X), jnp.asarray(y)


# ---------------------------------------------------------------- losses


def np_softmax_ce(logits, y):
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(y)), y].mean()


@pytest.mark.slow
def test_cross_entropy_and_accuracy_match_numpy(blobs):
    X, y = blobs
    params = nets.mlp_init(KEY, [3, 5, 3])
    loss, acc = train.loss_and_accuracy(params, X, y)
    logits = np.asarray(nets.mlp_apply(params, X), np.float64)
    np.testing.assert_allclose(float(loss), np_softmax_ce(logits, np.asarray(y)), rtol=1e-5)
    np.testing.assert_allclose(float(acc), (logits.argmax(1) == np.asarray(y)).mean(), rtol=1e-6)


@pytest.mark.slow
def test_binary_cross_entropy_matches_numpy():
    X, y = data.two_moons(KEY, 30)
    params = nets.mlp_init(KEY, [2, 4, 1])
    loss, acc = train.loss_and_accuracy(params, X, y, activation="tanh")
    z = np.asarray(nets.mlp_apply(params, X, activation="tanh"), np.float64)[:, 0]
    t = np.asarray(y, np.float64)
    ref = np.mean(np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0) - z * t)
    np.testing.assert_allclose(float(loss), ref, rtol=1e-5)
    np.testing.assert_allclose(float(acc), ((z > 0) == (t == 1)).mean())


def test_mse_float_targets_and_one_hot_labels(blobs):
    X, y = blobs
    params = nets.mlp_init(KEY, [3, 5, 3])
    out = np.asarray(nets.mlp_apply(params, X), np.float64)
    T = np.random.default_rng(1).normal(size=out.shape).astype(np.float32)
    loss, acc = train.loss_and_accuracy(params, X, T, loss="mse")
    np.testing.assert_allclose(float(loss), np.mean((out - T) ** 2), rtol=1e-5)
    assert np.isnan(float(acc))
    loss, acc = train.loss_and_accuracy(params, X, y, loss="mse")
    np.testing.assert_allclose(float(loss), np.mean((out - np.eye(3)[np.asarray(y)]) ** 2), rtol=1e-5)
    np.testing.assert_allclose(float(acc), (out.argmax(1) == np.asarray(y)).mean())


@pytest.mark.parametrize(
    "y, kwargs, exc, match",
    [
        (
            np.zeros(39, np.int32),
            {},
            ValueError,
            r"y must be integer labels of shape \(40,\) to match X, got shape \(39,\)",
        ),
        (np.zeros(40, np.float32), {}, TypeError, "y must hold integer class labels for loss 'cross_entropy'"),
        (
            np.full(40, 3, np.int32),
            {},
            ValueError,
            r"labels must lie in 0..2 for a model with 3 output\(s\), got labels in 3..3",
        ),
        (np.zeros(40, bool), {}, TypeError, "y must hold integer labels or float targets, got dtype bool"),
        (np.zeros((40, 2), np.float32), dict(loss="mse"), ValueError, r"y must be float targets of shape \(40, 3\)"),
        (np.zeros(40, np.int32), dict(loss="hinge"), ValueError, "loss must be one of cross_entropy, mse, got 'hinge'"),
        (np.zeros(40, np.int32), dict(activation="relux"), ValueError, "activation must be one of .*got 'relux'"),
        (np.zeros(40, np.int32), dict(apply=3), TypeError, "apply must be a function"),
    ],
)
def test_loss_and_accuracy_bad_input(blobs, y, kwargs, exc, match):
    X, _ = blobs
    params = nets.mlp_init(KEY, [3, 5, 3])
    with pytest.raises(exc, match=match):
        train.loss_and_accuracy(params, X, y, **kwargs)


def test_mse_one_output_flat_target_hint():
    x, t = data.curve(KEY, 10)
    params = nets.mlp_init(KEY, [1, 3, 1])
    with pytest.raises(ValueError, match=r"reshape with y\[:, None\]"):
        train.fit(params, x, t[:, 0], loss="mse", steps=STEPS)


# ---------------------------------------------------------------- steps against hand-written gradient descent


def np_linear_gd(W, b, X, T, lr, steps):
    """Full-batch gradient descent on mse = mean((XW + b - T)^2), gradients by hand."""
    W, b, X, T = (np.asarray(a, np.float64) for a in (W, b, X, T))
    losses = []
    nk = T.size
    for _ in range(steps):
        R = X @ W + b - T
        losses.append(np.mean(R**2))
        W, b = W - lr * 2 / nk * X.T @ R, b - lr * 2 / nk * R.sum(0)
    return W, b, np.array(losses)


def test_fit_full_batch_sgd_equals_hand_written_gradient_descent():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(25, 3)).astype(np.float32)
    T = rng.normal(size=(25, 2)).astype(np.float32)
    params = [(jnp.asarray(rng.normal(size=(3, 2)), jnp.float32), jnp.zeros(2, jnp.float32))]
    out, hist = train.fit(params, X, T, apply=linear_apply, activation=None, loss="mse", learning_rate=0.1, steps=STEPS)
    W, b, losses = np_linear_gd(params[0][0], params[0][1], X, T, 0.1, STEPS)
    np.testing.assert_allclose(np.asarray(out[0][0]), W, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.asarray(out[0][1]), b, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.asarray(hist["loss"]), losses, rtol=1e-4)
    assert np.all(np.isnan(np.asarray(hist["accuracy"])))


def test_make_step_is_one_update_of_the_optimizer():
    rng = np.random.default_rng(4)
    X = jnp.asarray(rng.normal(size=(10, 3)), jnp.float32)
    T = jnp.asarray(rng.normal(size=(10, 2)), jnp.float32)
    params = [(jnp.asarray(rng.normal(size=(3, 2)), jnp.float32), jnp.zeros(2, jnp.float32))]
    opt = optax.sgd(0.05)
    step = train.make_step(opt, apply=linear_apply, activation=None, loss="mse")
    new, _, loss, _ = step(params, opt.init(params), X, T)
    W, b, losses = np_linear_gd(params[0][0], params[0][1], X, T, 0.05, 1)
    np.testing.assert_allclose(np.asarray(new[0][0]), W, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(float(loss), losses[0], rtol=1e-5)
    with pytest.raises(TypeError, match="optimizer must be an optax.GradientTransformation"):
        train.make_step("sgd")


@pytest.mark.slow
def test_fit_history_starts_at_initial_loss_and_decreases(blobs):
    X, y = blobs
    params = nets.mlp_init(KEY, [3, 8, 3])
    loss0, acc0 = train.loss_and_accuracy(params, X, y)
    trained, hist = train.fit(params, X, y, learning_rate=0.5, steps=STEPS, eval_data=(X[:10], y[:10]))
    assert set(hist) == {"loss", "accuracy", "eval_loss", "eval_accuracy"}
    assert hist["loss"].shape == hist["accuracy"].shape == (STEPS,)
    assert hist["eval_loss"].shape == hist["eval_accuracy"].shape == (STEPS + 1,)
    np.testing.assert_allclose(float(hist["loss"][0]), float(loss0), rtol=1e-5)
    np.testing.assert_allclose(float(hist["accuracy"][0]), float(acc0))
    np.testing.assert_allclose(
        float(hist["eval_loss"][0]), float(train.loss_and_accuracy(params, X[:10], y[:10])[0]), rtol=1e-5
    )
    np.testing.assert_allclose(
        float(hist["eval_loss"][-1]), float(train.loss_and_accuracy(trained, X[:10], y[:10])[0]), rtol=1e-5
    )
    # full batch: the training loss before update t+1 is the eval loss on the training set after t updates
    final, _ = train.loss_and_accuracy(trained, X, y)
    assert float(final) < float(loss0)


@pytest.mark.slow
def test_fit_eval_every_matches_manual_steps(blobs):
    X, y = blobs
    params = nets.mlp_init(KEY, [3, 8, 3])
    _, hist = train.fit(params, X, y, learning_rate=0.5, steps=STEPS, eval_data=(X, y), eval_every=3)
    assert hist["eval_loss"].shape == (STEPS // 3 + 1,)
    opt = optax.sgd(0.5)
    step = train.make_step(opt)
    p, state = params, opt.init(params)
    expected = []
    for t in range(STEPS + 1):
        if t % 3 == 0:
            expected.append(float(train.loss_and_accuracy(p, X, y)[0]))
        if t < STEPS:
            p, state, _, _ = step(p, state, X, y)
    np.testing.assert_allclose(np.asarray(hist["eval_loss"]), expected, rtol=1e-5)
    # full batch: eval on the training set after t updates == the loss logged at step t
    np.testing.assert_allclose(np.asarray(hist["eval_loss"][:-1]), np.asarray(hist["loss"][::3]), rtol=1e-5)


@pytest.mark.slow
def test_fit_evaluates_named_sets_together(blobs):
    X, y = blobs
    params = nets.mlp_init(KEY, [3, 8, 3])
    sets = {"train": (X, y), "test": (X[:10], y[:10])}
    trained, hist = train.fit(params, X, y, learning_rate=0.5, steps=STEPS, eval_data=sets, eval_every=3)
    assert set(hist) == {"loss", "accuracy", "train_loss", "train_accuracy", "test_loss", "test_accuracy"}
    for name, (Xs, ys) in sets.items():
        assert hist[f"{name}_loss"].shape == (STEPS // 3 + 1,)
        for i, p in [(0, params), (-1, trained)]:
            loss, acc = train.loss_and_accuracy(p, Xs, ys)
            np.testing.assert_allclose(float(hist[f"{name}_loss"][i]), float(loss), rtol=1e-5)
            np.testing.assert_allclose(float(hist[f"{name}_accuracy"][i]), float(acc))
    # at the start and the end only (one evaluation program for both)
    _, ends = train.fit(params, X, y, learning_rate=0.5, steps=STEPS, eval_data=sets, eval_every=STEPS)
    np.testing.assert_allclose(np.asarray(ends["test_loss"]), np.asarray(hist["test_loss"])[[0, -1]], rtol=1e-5)


@pytest.mark.slow
def test_fit_accepts_optax_transformation_and_callable(blobs):
    X, y = blobs
    params = nets.mlp_init(KEY, [3, 8, 3])
    a, ha = train.fit(params, X, y, optimizer=optax.adam(0.01), learning_rate=None, steps=STEPS)
    b, hb = train.fit(params, X, y, optimizer="adam", learning_rate=0.01, steps=STEPS)
    np.testing.assert_allclose(np.asarray(ha["loss"]), np.asarray(hb["loss"]), rtol=1e-6)
    c, hc = train.fit(params, X, y, optimizer=optax.adam, learning_rate=0.01, steps=STEPS)
    np.testing.assert_allclose(np.asarray(hc["loss"]), np.asarray(hb["loss"]), rtol=1e-6)


def test_fit_minibatches_cover_each_epoch_and_are_deterministic():
    # Targets identify each example, so the batch losses tell which examples were used.
    X = jnp.zeros((12, 1), jnp.float32)
    T = jnp.arange(12, dtype=jnp.float32)[:, None]
    params = [(jnp.zeros((1, 1), jnp.float32), jnp.zeros(1, jnp.float32))]
    kw = dict(apply=linear_apply, activation=None, loss="mse", learning_rate=1e-30, steps=STEPS, batch_size=4)
    _, h1 = train.fit(params, X, T, key=jax.random.key(1), **kw)
    _, h2 = train.fit(params, X, T, key=jax.random.key(1), **kw)
    _, h3 = train.fit(params, X, T, key=jax.random.key(2), **kw)
    np.testing.assert_array_equal(np.asarray(h1["loss"]), np.asarray(h2["loss"]))
    assert not np.allclose(np.asarray(h1["loss"]), np.asarray(h3["loss"]))
    # with (almost) zero learning rate, the 3 batch losses of an epoch average to the full-data loss
    np.testing.assert_allclose(np.asarray(h1["loss"][:3]).mean(), np.mean(np.arange(12.0) ** 2), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(h1["loss"][3:6]).mean(), np.mean(np.arange(12.0) ** 2), rtol=1e-5)


@pytest.mark.slow
def test_fit_trains_a_cnn_on_digits_subset():
    d = data.digits()
    params = nets.cnn_init(KEY, (8, 8, 1), channels=(4,), n_out=10)
    _, hist = train.fit(params, d.X_train[:64], d.y_train[:64], apply=nets.cnn_apply, learning_rate=0.1, steps=STEPS)
    assert float(hist["loss"][-1]) < float(hist["loss"][0])


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(steps=0), ValueError, r"steps must be a positive integer \(>= 1\), got 0"),
        (dict(batch_size=8), ValueError, "key must be given"),
        (dict(batch_size=41, key=KEY), ValueError, "batch_size must be at most the number of examples 40, got 41"),
        (dict(batch_size=0, key=KEY), ValueError, "batch_size must be a positive integer"),
        (dict(learning_rate=-0.1), ValueError, "learning_rate must be a positive finite number, got -0.1"),
        (dict(learning_rate="fast"), TypeError, "learning_rate must be a positive finite number, got str 'fast'"),
        (dict(optimizer="adamw"), ValueError, "optimizer must be one of sgd, momentum, adam, got 'adamw'"),
        (dict(optimizer=optax.sgd(0.1)), ValueError, "learning_rate must be None when optimizer is"),
        (dict(optimizer=3), TypeError, "optimizer must be a name"),
        (dict(key=0, batch_size=4), TypeError, "key must be a JAX PRNG key"),
        (dict(eval_data=np.zeros(3)), TypeError, r"eval_data must be a pair \(X_eval, y_eval\)"),
        (dict(eval_data={}), ValueError, r"eval_data must be a pair \(X_eval, y_eval\) or a dict of such pairs"),
        (dict(eval_data={"a b": (np.zeros((2, 3)), np.zeros(2, np.int32))}), TypeError, "got the name 'a b'"),
        (dict(eval_data={"test": np.zeros(3)}), TypeError, r"eval_data\['test'\] must be a pair"),
        (
            dict(eval_data={"test": (np.zeros((2, 3), np.float32), np.full(2, 7, np.int32))}),
            ValueError,
            r"eval_data\['test'\]\[1\] labels must lie in 0..2",
        ),
        (
            dict(eval_data=(np.zeros((5, 2)), np.zeros(5, np.int32))),
            ValueError,
            r"X_eval of shape \(5, 2\) does not fit the model: x must have shape \(3,\)",
        ),
    ],
)
def test_fit_bad_input(blobs, kwargs, exc, match):
    X, y = blobs
    params = nets.mlp_init(KEY, [3, 5, 3])
    kwargs.setdefault("steps", STEPS)
    with pytest.raises(exc, match=match):
        train.fit(params, X, y, **kwargs)


def test_fit_rejects_x_of_wrong_width(blobs):
    X, y = blobs
    with pytest.raises(
        ValueError, match=r"X of shape \(40, 3\) does not fit the model: x must have shape \(4,\) or \(batch, 4\)"
    ):
        train.fit(nets.mlp_init(KEY, [4, 3]), X, y, steps=STEPS)
    with pytest.raises(ValueError, match=r"X must be a batch of inputs"):
        train.fit(nets.mlp_init(KEY, [3, 3]), X[0], y, steps=STEPS)


# ---------------------------------------------------------------- scan_fit


def mlp_data(n=24, seed=6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] ** 2 > 0.5).astype(np.int32)
    return jnp.asarray(X), jnp.asarray(y)


def mlp_batch_loss(X, y):
    """loss_fn(params, idx) of a small tanh MLP: cross-entropy and error on the examples idx."""

    def loss(p, idx):
        logits = nets.mlp_apply(p, X[idx], activation="tanh")
        value = optax.softmax_cross_entropy_with_integer_labels(logits, y[idx]).mean()
        return value, {"error": jnp.mean((jnp.argmax(logits, axis=1) != y[idx]).astype(jnp.float32))}

    return loss


def python_loop(loss, params, opt, batches, every=None, evaluate=None):
    """The reference: a plain Python loop of optax updates, one jax.grad per step."""
    state = opt.init(params)
    hist = {"loss": [], "error": [], "grad_norm": [], "eval": []}
    for t in range(len(batches)):
        if every and t % every == 0:
            hist["eval"].append(float(evaluate(params)))
        (value, aux), grads = jax.value_and_grad(loss, has_aux=True)(params, batches[t])
        hist["loss"].append(float(value))
        hist["error"].append(float(aux["error"]))
        hist["grad_norm"].append(float(optax.tree.norm(grads)))
        with jax.numpy_dtype_promotion("standard"):
            updates, state = opt.update(grads, state, params)
        params = optax.apply_updates(params, updates)
    if every:
        hist["eval"].append(float(evaluate(params)))
    return params, {k: np.array(v) for k, v in hist.items()}


@pytest.mark.slow
@pytest.mark.parametrize("opt", [optax.sgd(0.3, momentum=0.9), optax.adam(0.05)], ids=["momentum", "adam"])
def test_scan_fit_equals_python_loop_of_optax_updates(opt):
    X, y = mlp_data()
    loss = mlp_batch_loss(X, y)
    params = nets.mlp_init(KEY, [3, 5, 2], init="glorot")
    batches = train.minibatches(jax.random.key(4), len(y), 8, 12)

    def evaluate(p):
        return {"full_loss": loss(p, jnp.arange(len(y)))[0]}

    def record(p, g):
        return {"grad_norm": optax.tree.norm(g)}

    got, hist = train.scan_fit(loss, params, opt, batches, has_aux=True, record=record, evaluate=evaluate, eval_every=4)
    want, ref = python_loop(
        loss, params, opt, np.asarray(batches), every=4, evaluate=lambda p: evaluate(p)["full_loss"]
    )
    assert set(hist) == {"loss", "error", "grad_norm", "full_loss"}
    for name, ref_name in [("loss", "loss"), ("error", "error"), ("grad_norm", "grad_norm"), ("full_loss", "eval")]:
        np.testing.assert_allclose(np.asarray(hist[name]), ref[ref_name], rtol=2e-5, atol=1e-6, err_msg=name)
    for (W, b), (W_ref, b_ref) in zip(got, want, strict=True):
        np.testing.assert_allclose(np.asarray(W), np.asarray(W_ref), rtol=2e-5, atol=1e-6)
        np.testing.assert_allclose(np.asarray(b), np.asarray(b_ref), rtol=2e-5, atol=1e-6)
    assert isinstance(got, list) and isinstance(got[0], tuple)  # the structure of params comes back


@pytest.mark.slow
def test_scan_fit_jitted_and_vmapped_over_learning_rates():
    X, y = mlp_data()
    loss = mlp_batch_loss(X, y)
    params = nets.mlp_init(KEY, [3, 5, 2])
    batches = train.minibatches(jax.random.key(1), len(y), 6, 10)

    @jax.jit
    def run(lr):
        return train.scan_fit(loss, params, optax.sgd(lr), batches, has_aux=True)

    lrs = jnp.array([0.05, 0.5], jnp.float32)
    all_params, all_hist = jax.vmap(run)(lrs)
    for i, lr in enumerate(lrs):
        want, ref = python_loop(loss, params, optax.sgd(float(lr)), np.asarray(batches))
        np.testing.assert_allclose(np.asarray(all_hist["loss"][i]), ref["loss"], rtol=2e-5, atol=1e-6)
        np.testing.assert_allclose(np.asarray(all_params[0][0][i]), np.asarray(want[0][0]), rtol=2e-5, atol=1e-6)
        one_params, one_hist = run(lr)  # the jitted call on its own
        np.testing.assert_allclose(np.asarray(one_hist["loss"]), ref["loss"], rtol=2e-5, atol=1e-6)


def test_scan_fit_full_batch_is_gradient_descent_in_closed_form():
    # least squares y = w x + b: plain gradient descent written out in NumPy
    x = np.linspace(-1.0, 1.0, 11, dtype=np.float32)
    y = 2.0 * x + 0.5
    w = b = 0.0
    losses = []
    for _ in range(STEPS):
        r = w * x + b - y
        losses.append(np.mean(r**2))
        w, b = w - 0.2 * 2 * np.mean(r * x), b - 0.2 * 2 * np.mean(r)

    def loss(p, t):
        return jnp.mean((p[0] * x + p[1] - y) ** 2)

    (w_got, b_got), hist = train.scan_fit(loss, (0.0, 0.0), optax.sgd(0.2), STEPS)
    np.testing.assert_allclose([float(w_got), float(b_got)], [w, b], rtol=1e-5)
    np.testing.assert_allclose(np.asarray(hist["loss"]), losses, rtol=1e-5)
    # full batch: loss_fn receives the step number
    _, steps_seen = train.scan_fit(lambda p, t: jnp.sum(p**2), jnp.ones(2), optax.sgd(0.1), 4, record=lambda p, g: {})
    counts = train.scan_fit(
        lambda p, t: jnp.sum(p**2),
        jnp.ones(2),
        optax.sgd(0.1),
        4,
        has_aux=False,
        evaluate=lambda p: {"p0": p[0]},
        eval_every=2,
    )[1]
    assert counts["p0"].shape == (3,) and steps_seen["loss"].shape == (4,)
    _, with_t = train.scan_fit(lambda p, t: (jnp.sum(p**2), {"t": t}), jnp.ones(2), optax.sgd(0.1), 4, has_aux=True)
    assert with_t["t"].tolist() == [0, 1, 2, 3]


def quadratic(p, batch):
    return jnp.sum(p["w"] ** 2) * jnp.mean(batch)


@pytest.mark.parametrize(
    "args, kwargs, exc, match",
    [
        ((3, {"w": jnp.ones(2)}, optax.sgd(0.1), 4), {}, TypeError, "loss_fn must be a function loss_fn"),
        ((quadratic, {"w": jnp.ones(2)}, "sgd", 4), {}, TypeError, "optimizer must be an optax.GradientTransformation"),
        ((quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), 0), {}, ValueError, r"batches must be a positive integer"),
        ((quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), True), {}, TypeError, "batches must be a positive integer"),
        ((quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), None), {}, ValueError, "batches must be a number of steps"),
        (
            (quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), {"a": jnp.ones((5, 2)), "b": jnp.ones((4, 2))}),
            {},
            ValueError,
            r"batches\['b'\] must have 5 steps on its leading axis, as batches\['a'\] has, got shape \(4, 2\)",
        ),
        (
            (quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), jnp.float32(1.0)),
            {},
            ValueError,
            r"batches must have a leading axis of one entry per step .*got shape \(\)",
        ),
        (
            (quadratic, {"w": jnp.ones(2, jnp.int32)}, optax.sgd(0.1), jnp.ones((3, 2))),
            {},
            TypeError,
            r"params\['w'\] must be a floating-point array .*got dtype int32",
        ),
        ((quadratic, {}, optax.sgd(0.1), jnp.ones((3, 2))), {}, ValueError, "params must hold at least one array"),
        (
            (lambda p, b: p["w"] * jnp.mean(b), {"w": jnp.ones(2)}, optax.sgd(0.1), jnp.ones((3, 2))),
            {},
            ValueError,
            r"loss_fn must return a scalar floating-point loss .*got shape \(2,\)",
        ),
        (
            (lambda p, b: (jnp.sum(p["w"]), 1.0), {"w": jnp.ones(2)}, optax.sgd(0.1), 3),
            {},
            TypeError,
            r"loss_fn must return a scalar loss \(or set has_aux=True",
        ),
        (
            (quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), jnp.ones((3, 2))),
            dict(has_aux=True),
            TypeError,
            r"loss_fn must return a pair \(loss, aux\) with has_aux=True",
        ),
        (
            (lambda p, b: (jnp.sum(p["w"]), jnp.ones(2)), {"w": jnp.ones(2)}, optax.sgd(0.1), 3),
            dict(has_aux=True),
            TypeError,
            "loss_fn's aux must return a dict of named arrays",
        ),
        (
            (lambda p, b: (jnp.sum(p["w"]), {"loss": b}), {"w": jnp.ones(2)}, optax.sgd(0.1), 3),
            dict(has_aux=True),
            ValueError,
            r"the keys of loss_fn's aux must differ from the other names in the history \(loss\), got 'loss'",
        ),
        (
            (quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), 3),
            dict(has_aux="no"),
            TypeError,
            "has_aux must be True or False",
        ),
        (
            (quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), 3),
            dict(record=lambda p, g: g["w"]),
            TypeError,
            "record must return a dict of named arrays",
        ),
        ((quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), 3), dict(record=5), TypeError, "record must be a function"),
        (
            (quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), 3),
            dict(record=lambda p, g: {"g": g["w"]}, evaluate=lambda p: {"g": p["w"]}),
            ValueError,
            r"the keys of evaluate must differ from the other names in the history \(g, loss\), got 'g'",
        ),
        (
            (quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), 6),
            dict(eval_every=2),
            ValueError,
            "eval_every must be None without evaluate",
        ),
        (
            (quadratic, {"w": jnp.ones(2)}, optax.sgd(0.1), 6),
            dict(evaluate=lambda p: {"w": p["w"]}, eval_every=4),
            ValueError,
            "eval_every must divide the number of steps 6, got eval_every=4",
        ),
        (
            (lambda p, b: jnp.sum(b @ p["w"]), {"w": jnp.ones((3, 1))}, optax.sgd(0.1), jnp.ones((5, 4, 2))),
            {},
            TypeError,
            r"loss_fn\(params, batch\) fails for a batch of shape \(4, 2\): .*dot_general",
        ),
    ],
)
def test_scan_fit_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        train.scan_fit(*args, **kwargs)


def test_minibatches_are_epochs_of_permutations():
    idx = np.asarray(train.minibatches(jax.random.key(2), 10, 3, 7))  # 3 batches an epoch (one example left out)
    assert idx.shape == (7, 3) and idx.dtype == np.int32
    for e in range(2):
        epoch = idx[3 * e : 3 * e + 3].ravel()
        assert len(set(epoch.tolist())) == 9 and epoch.min() >= 0 and epoch.max() <= 9
    assert not np.array_equal(idx[:3], idx[3:6])  # reshuffled every epoch
    np.testing.assert_array_equal(idx, np.asarray(train.minibatches(jax.random.key(2), 10, 3, 7)))
    assert not np.array_equal(idx, np.asarray(train.minibatches(jax.random.key(3), 10, 3, 7)))
    legacy = train.minibatches(jax.random.PRNGKey(2), 10, 3, 7)  # a legacy uint32 key works too
    assert legacy.shape == (7, 3)
    with pytest.raises(TypeError, match="key must be a concrete key"):
        jax.jit(lambda k: train.minibatches(k, 10, 3, 7))(jax.random.key(0))
    with pytest.raises(ValueError, match="batch_size must be at most the number of examples 10, got 11"):
        train.minibatches(KEY, 10, 11, 2)
    with pytest.raises(TypeError, match="key must be a JAX PRNG key"):
        train.minibatches(0, 10, 2, 2)
    with pytest.raises(ValueError, match=r"steps must be a positive integer \(>= 1\), got 0"):
        train.minibatches(KEY, 10, 2, 0)


@pytest.mark.slow
def test_switch_optimizer_equals_the_chosen_optimizer():
    X, y = mlp_data()
    loss = mlp_batch_loss(X, y)
    params = nets.mlp_init(KEY, [3, 4, 2])
    batches = train.minibatches(jax.random.key(1), len(y), 6, 5)
    opts = [optax.sgd(0.3), optax.adam(0.05)]

    @jax.vmap
    def run(k):
        return train.scan_fit(loss, params, train.switch_optimizer(k, opts), batches, has_aux=True)[1]["loss"]

    got = np.asarray(run(jnp.array([0, 1, 1, 0])))
    for row, k in zip(got, [0, 1, 1, 0], strict=True):
        np.testing.assert_allclose(
            row, python_loop(loss, params, opts[k], np.asarray(batches))[1]["loss"], rtol=2e-5, atol=1e-6
        )
    with pytest.raises(ValueError, match="optimizers must be a non-empty sequence"):
        train.switch_optimizer(0, [])
    with pytest.raises(TypeError, match=r"optimizers\[1\] must be an optax.GradientTransformation"):
        train.switch_optimizer(0, [optax.sgd(0.1), "adam"])
    with pytest.raises(TypeError, match="optimizers must be a sequence"):
        train.switch_optimizer(0, optax.sgd(0.1))


# ---------------------------------------------------------------- sweep


@pytest.mark.slow
def test_sweep_equals_python_loop_of_fit():
    X, y = data.two_moons(KEY, 48)
    makers = [lambda k: nets.mlp_init(k, [2, 6, 1], init="he"), lambda k: nets.mlp_init(k, [2, 6, 1], init="glorot")]
    keys, acts = jax.random.split(jax.random.key(3), 2), ["relu", "tanh"]
    lrs = [[0.1, 0.7], [0.2, 0.5]]  # one grid per activation
    grad_norm = lambda p, g: {"grad_norm": optax.tree.norm(g)}  # noqa: E731
    kw = dict(steps=STEPS, batch_size=16, eval_data=(X[:8], y[:8]), eval_every=2, record=grad_norm)
    params, hist = train.sweep(makers, X, y, keys=keys, learning_rates=lrs, activation=acts, **kw)
    assert hist["loss"].shape == (2, 2, 2, STEPS) and params[0][0].shape == (2, 2, 2, 2, 6)
    assert hist["eval_loss"].shape == (2, 2, 2, STEPS // 2 + 1)
    assert hist["grad_norm"].shape == (2, 2, 2, STEPS)
    # the tanh runs (Glorot) against a Python loop of fit (compiling fit once)
    a, act = 1, "tanh"
    for i, key in enumerate(keys):
        for j, lr in enumerate(lrs[a]):
            p, h = train.fit(makers[a](key), X, y, key=key, learning_rate=lr, activation=act, **kw)
            assert set(h) == set(hist)
            for name in h:
                np.testing.assert_allclose(np.asarray(hist[name][a, i, j]), np.asarray(h[name]), rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(np.asarray(params[1][0][a, i, j]), np.asarray(p[1][0]), rtol=1e-5, atol=1e-6)
    # each activation started from its own maker: same draws, He's scale against Glorot's
    ratio = np.asarray(hist["loss"])  # different activations, keys and learning rates give different runs
    assert not np.allclose(ratio[0, 0, 0], ratio[1, 0, 0])
    assert not np.allclose(ratio[0, 0, 0], ratio[0, 1, 0])
    assert not np.allclose(ratio[0, 0, 0], ratio[0, 0, 1])
    # the relu runs against a sweep with that single activation and maker (no activation axis), run
    # one after another (lax.map) instead of batched (vmap)
    single_params, single = train.sweep(
        makers[0], X, y, keys=keys, learning_rates=lrs[0], activation="relu", vectorize=False, **kw
    )
    for name in single:
        np.testing.assert_allclose(np.asarray(single[name]), np.asarray(hist[name][0]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(single_params[0][0]), np.asarray(params[0][0][0]), rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_sweep_makers_give_each_activation_its_initialisation():
    X, y = data.two_moons(KEY, 32)
    keys = jax.random.split(jax.random.key(5), 3)
    he = lambda k: nets.mlp_init(k, [2, 4, 1], init="he")  # noqa: E731
    glorot = lambda k: nets.mlp_init(k, [2, 4, 1], init="glorot")  # noqa: E731
    # a listed name twice (computed once inside) with two makers; learning rate ~0: params stay at the start
    params, _ = train.sweep([he, glorot], X, y, keys=keys, learning_rates=[1e-30], activation=["relu", "relu"], steps=1)
    for i, key in enumerate(keys):
        np.testing.assert_allclose(np.asarray(params[0][0][0, i, 0]), np.asarray(he(key)[0][0]), rtol=1e-6)
        np.testing.assert_allclose(np.asarray(params[0][0][1, i, 0]), np.asarray(glorot(key)[0][0]), rtol=1e-6)
    # legacy uint32 keys and a list of typed keys are accepted too
    legacy = jax.random.split(jax.random.PRNGKey(5), 3)
    p_legacy, _ = train.sweep(he, X, y, keys=legacy, learning_rates=[1e-30], steps=1)
    p_list, _ = train.sweep(he, X, y, keys=list(keys), learning_rates=[1e-30], steps=1)
    np.testing.assert_array_equal(np.asarray(p_list[0][0]), np.asarray(params[0][0][0]))
    assert p_legacy[0][0].shape == (3, 1, 2, 4)


def mlp_maker(k):
    return nets.mlp_init(k, [2, 3, 1])


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(keys=[]), ValueError, r"keys must be a non-empty array or list of PRNG keys .*got an empty list"),
        (dict(keys=[0, 1]), TypeError, r"keys\[0\] must be a JAX PRNG key such as jax.random.key\(0\), got int 0"),
        (dict(keys=jax.random.key(0)), ValueError, r"keys must be a non-empty array .*got an array of shape \(\)"),
        (dict(keys=np.zeros(3)), TypeError, "keys must be a non-empty array .*got an array of dtype float64"),
        (dict(keys=[jax.random.key(0), jax.random.PRNGKey(0)]), TypeError, "keys must hold keys of one kind"),
        (dict(learning_rates=[0.1, 0.0]), ValueError, r"learning_rates\[1\] must be a positive finite number, got 0.0"),
        (dict(learning_rates=["a"]), TypeError, "learning_rates must hold numbers"),
        (
            dict(learning_rates=0.1),
            TypeError,
            "learning_rates must be a non-empty sequence of positive numbers, got 0.1",
        ),
        (
            dict(learning_rates=[]),
            ValueError,
            r"learning_rates must be a non-empty sequence of positive numbers, got \[\]",
        ),
        (dict(optimizer=optax.sgd(0.1)), TypeError, "the learning rate is swept"),
        (dict(make_params=3), TypeError, "make_params must be a function key -> params, or a list"),
        (dict(make_params=[mlp_maker]), ValueError, r"make_params must be .*a single function for a single activation"),
        (
            dict(make_params=[mlp_maker], activation=["relu", "tanh"]),
            ValueError,
            r"make_params must be .*\(a list of 2, as activation\), got a list of 1",
        ),
        (
            dict(make_params=[mlp_maker, 3], activation=["relu", "tanh"]),
            TypeError,
            r"make_params\[1\] must be a function",
        ),
        (
            dict(make_params=[mlp_maker, lambda k: nets.mlp_init(k, [2, 4, 1])], activation=["relu", "tanh"]),
            ValueError,
            r"make_params\[1\] must return parameters of the same structure, shapes and dtypes as make_params\[0\] "
            r".*got \[\(\(2, 4\), \(4,\)\), .* against \[\(\(2, 3\)",
        ),
        (dict(activation=[]), ValueError, "non-empty list"),
        (dict(vectorize="yes"), TypeError, "vectorize must be True or False"),
        (dict(record=3), TypeError, "record must be a function record"),
        (
            dict(learning_rates=[[0.1], [0.2]]),
            ValueError,
            r"activation must be a list of 2 activations for learning_rates of shape \(2, 1\) \(one row per "
            r"activation\), got 'relu'",
        ),
        (
            dict(learning_rates=[[0.1], [0.2]], activation=["relu"]),
            ValueError,
            r"activation must be a list of 2 activations .*got \('relu',\)",
        ),
        (
            dict(learning_rates=[[0.1], [-0.2]], activation=["relu", "tanh"]),
            ValueError,
            r"learning_rates\[1, 0\] must be a positive",
        ),
        (dict(activation=["relu", "bogus"]), ValueError, r"activation\[1\] must be one of .*got 'bogus'"),
        (dict(eval_every=2), ValueError, "eval_every must be None without eval_data .*got 2"),
        (
            dict(eval_data=(np.zeros((4, 2), np.float32), np.zeros(4, np.int32)), eval_every=4),
            ValueError,
            "eval_every must divide steps=6, got eval_every=4",
        ),
    ],
)
def test_sweep_bad_input(kwargs, exc, match):
    X, y = data.two_moons(KEY, 16)
    make_params = kwargs.pop("make_params", mlp_maker)
    kw = dict(keys=jax.random.split(KEY, 1), learning_rates=[0.1], steps=STEPS)
    kw.update(kwargs)
    with pytest.raises(exc, match=match):
        train.sweep(make_params, X, y, **kw)


# ---------------------------------------------------------------- first_step_below


def slow_first_step_below(row, threshold):
    for t, v in enumerate(row):
        if v <= threshold:
            return float(t)
    return float("inf")


@settings(max_examples=50, deadline=None)
@given(
    values=st.lists(st.lists(st.floats(0, 1), min_size=5, max_size=5), min_size=1, max_size=4),
    threshold=st.floats(0, 1),
)
def test_first_step_below_matches_loop(values, threshold):
    got = train.first_step_below(values, threshold)
    assert got.tolist() == [slow_first_step_below(r, threshold) for r in values]


def test_first_step_below_bad_input():
    with pytest.raises(ValueError, match=r"values must have shape \(..., steps\)"):
        train.first_step_below(np.zeros((2, 0)), 0.5)
    with pytest.raises(TypeError, match="threshold must be a number"):
        train.first_step_below([1.0], "0.5")
