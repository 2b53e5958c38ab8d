"""Tests for relulab.train: losses against numpy, SGD against hand-written gradient descent,
sweep == Python loop, determinism, bad input."""

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


# ---------------------------------------------------------------- sweep


@pytest.mark.slow
def test_sweep_equals_python_loop_of_fit():
    X, y = data.two_moons(KEY, 48)

    def init(k):
        return nets.mlp_init(k, [2, 6, 1])

    seeds, acts = [3, 7], ["relu", "tanh"]
    lrs = [[0.1, 0.7], [0.2, 0.5]]  # one grid per activation
    kw = dict(steps=STEPS, batch_size=16, eval_data=(X[:8], y[:8]), eval_every=2)
    params, hist = train.sweep(init, X, y, seeds=seeds, learning_rates=lrs, activation=acts, **kw)
    assert hist["loss"].shape == (2, 2, 2, STEPS) and params[0][0].shape == (2, 2, 2, 2, 6)
    assert hist["eval_loss"].shape == (2, 2, 2, STEPS // 2 + 1)
    # the tanh runs against a Python loop of fit (compiling fit once)
    a, act = 1, "tanh"
    for i, s in enumerate(seeds):
        k_init, k_fit = train.seed_keys(s)
        for j, lr in enumerate(lrs[a]):
            p, h = train.fit(init(k_init), X, y, key=k_fit, learning_rate=lr, activation=act, **kw)
            for name in h:
                np.testing.assert_allclose(np.asarray(hist[name][a, i, j]), np.asarray(h[name]), rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(np.asarray(params[1][0][a, i, j]), np.asarray(p[1][0]), rtol=1e-5, atol=1e-6)
    # different activations, seeds and learning rates really give different runs
    loss = np.asarray(hist["loss"])
    assert not np.allclose(loss[0, 0, 0], loss[1, 0, 0])
    assert not np.allclose(loss[0, 0, 0], loss[0, 1, 0])
    assert not np.allclose(loss[0, 0, 0], loss[0, 0, 1])
    # the relu runs against a sweep with that single activation (no activation axis), run one
    # after another (lax.map) instead of batched (vmap)
    single_params, single = train.sweep(
        init, X, y, seeds=seeds, learning_rates=lrs[0], activation="relu", vectorize=False, **kw
    )
    for name in single:
        np.testing.assert_allclose(np.asarray(single[name]), np.asarray(hist[name][0]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(single_params[0][0]), np.asarray(params[0][0][0]), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(seeds=[]), ValueError, r"seeds must have at least 1 entry, got \[\]"),
        (dict(seeds=[0, -1]), ValueError, r"seeds\[1\] must be a non-negative integer \(>= 0\), got -1"),
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
        (dict(init=3), TypeError, "init must be a function key -> params"),
        (dict(activation=[]), ValueError, "non-empty list"),
        (dict(vectorize="yes"), TypeError, "vectorize must be True or False"),
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
    init = kwargs.pop("init", lambda k: nets.mlp_init(k, [2, 3, 1]))
    kw = dict(seeds=[0], learning_rates=[0.1], steps=STEPS)
    kw.update(kwargs)
    with pytest.raises(exc, match=match):
        train.sweep(init, X, y, **kw)


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
