r"""Training small networks with optax: one primitive, :func:`scan_fit`, and layers over it.

* :func:`scan_fit` trains any parameters on any loss with an optax optimiser: the
  whole loop is one ``jax.lax.scan`` over the steps, traceable (call it inside
  ``jit``, ``vmap`` it over runs). It returns the trained parameters and a history
  of the loss, of what the loss function reports, and of what ``record`` and
  ``evaluate`` compute. Every training run of the book goes through it.
* :func:`minibatches` draws the example indices of minibatch training (a fresh
  permutation every epoch), the ``batches`` that :func:`scan_fit` scans over.
* :func:`fit` trains one model ``apply(params, X)`` on a dataset with a named
  loss: :func:`scan_fit` with a traced learning rate, jitted (a new learning
  rate reuses the compiled program).
* :func:`sweep` trains the same model for every (key, learning rate) pair, and
  for every activation of a list (each with its own parameter maker, e.g. its
  own initialisation), as *one* ``jax.vmap``-ed, jitted computation, and gives
  exactly the runs that a Python loop over :func:`fit` would give.
* :func:`make_step` builds one jitted optax update step;
  :func:`switch_optimizer` picks an optimiser by a traced index;
  :func:`loss_and_accuracy` evaluates a model on a dataset;
  :func:`first_step_below` reads off how many steps a run needed to reach a
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
    :func:`scan_fit` takes any ``optax.GradientTransformation``.

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
from ._scan import minibatches, scan_fit
from ._step import OPTIMIZERS, make_step, switch_optimizer
from ._sweep import first_step_below, sweep

__all__ = [
    "LOSSES",
    "OPTIMIZERS",
    "first_step_below",
    "fit",
    "loss_and_accuracy",
    "make_step",
    "minibatches",
    "scan_fit",
    "sweep",
    "switch_optimizer",
]
