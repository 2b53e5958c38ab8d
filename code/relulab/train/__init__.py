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

from ._fit import fit
from ._losses import LOSSES, loss_and_accuracy
from ._step import OPTIMIZERS, make_step
from ._sweep import first_step_below, seed_keys, sweep

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
