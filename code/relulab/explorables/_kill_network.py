"""The "Kill a network" explorable of the should-i-use-relu chapter (private module; import it from
:mod:`relulab.explorables`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import traitlets
from matplotlib.figure import Figure

from .. import _validate, nets, plots
from . import training
from ._base import Explorable

__all__ = ["DATASETS", "KillNetwork", "LEARNING_RATES"]

LEARNING_RATES: tuple[float, ...] = (
    0.001,
    0.002,
    0.005,
    0.01,
    0.02,
    0.05,
    0.1,
    0.2,
    0.3,
    0.4,
    0.5,
    0.6,
    0.8,
    1.0,
    2.0,
    5.0,
)
"""The learning rates the view's slider offers (every rate of the chapter's sweep among them)."""

DATASETS: dict[str, dict[str, Any]] = {
    "digits": {"loss": "cross_entropy", "batch_size": 32, "replace": True, "eval_every": 10, "steps": 400},
    "curve": {"loss": "mse", "batch_size": None, "replace": False, "eval_every": 5, "steps": 2000},
}
"""The view's two data sets and how it trains on each (``kill_network.mjs`` holds the same table):
the digits as in the chapter's bench (softmax cross-entropy, minibatches of 32 drawn with replacement,
400 steps), and 200 points of sin(pi x) (mean squared error, full batch, 2000 steps). ``eval_every`` is
how often the view evaluates the whole training set (dead units, loss)."""

_WIDTHS = (1, 2, 4, 8, 16, 32, 64)
_DEPTHS = (1, 2, 3, 4, 5, 6, 8)
_STEPS = (100, 200, 400, 1000, 2000, 5000, 20000)
_ACTIVATIONS = ("relu", "leaky_relu", "elu", "gelu", "softplus", "tanh", "sigmoid")


class KillNetwork(Explorable):
    """Train a network in the reader's browser and watch its hidden units die at the learning rate they choose.

    The view trains with ``train.mjs`` (the same numbers as JAX and optax, float64) from the seeded
    initialisation of :mod:`relulab.explorables.seeded`, and shows the loss, the fit (accuracy for the
    digits, the curve for the 1-D data) and, per hidden layer, which units are dead on the training set
    (:mod:`relulab.dead`'s definition). Play, pause, one step, reset and the seed are controls; every
    setting below is one too, and a link can carry them.

    Args:
        data: ``"digits"`` (the chapter's bench: 64 inputs, 10 classes, minibatches of 32) or ``"curve"``
            (200 points of sin(pi x), full batch); see :data:`DATASETS`.
        learning_rate: one of ``learning_rates``.
        learning_rates: the values of the view's learning-rate slider, increasing.
        activation: the hidden activation, one of relu, leaky_relu, elu, gelu, softplus, tanh, sigmoid.
        init: ``"he"``, ``"glorot"`` or ``"lecun"``.
        width: units per hidden layer (1, 2, 4, 8, 16, 32 or 64); depth: hidden layers (1-6 or 8).
        optimizer: ``"sgd"`` or ``"adam"``.
        seed: the seed of the initial weights and the minibatches, 0 to 2**32 - 1.
        steps: the step at which a run stops (100, 200, 400, 1000, 2000, 5000 or 20000); by default the
            data set's (400 for the digits, 2000 for the curve).
        speed: ``"slow"``, ``"normal"`` or ``"fast"``.
        preview_rates: learning rates whose runs :meth:`preview` computes in JAX (the same runs the
            browser trains): the picture readers without JavaScript see, and the numbers a chapter
            states; by default ``[learning_rate]``.

    The view writes ``result`` (step, state, loss, dead units per layer, settings) back when a run
    pauses, finishes or diverges.

    >>> w = KillNetwork(learning_rate=0.2, width=8)
    >>> w.state()["learning_rate"], w.sizes()
    (0.2, [64, 8, 8, 10])
    >>> KillNetwork(learning_rate=0.25)
    Traceback (most recent call last):
    ...
    ValueError: learning_rate must be one of the slider's learning_rates (0.001, ..., 5), got 0.25
    """

    _view = "kill_network.mjs"
    digits = traitlets.Dict().tag(sync=True)
    curve = traitlets.Dict().tag(sync=True)
    data = traitlets.Any("digits").tag(sync=True)
    learning_rates = traitlets.List(traitlets.Float()).tag(sync=True)
    learning_rate = traitlets.Any(0.1).tag(sync=True)
    activation = traitlets.Any("relu").tag(sync=True)
    init = traitlets.Any("he").tag(sync=True)
    width = traitlets.Any(32).tag(sync=True)
    depth = traitlets.Any(2).tag(sync=True)
    optimizer = traitlets.Any("sgd").tag(sync=True)
    seed = traitlets.Any(0).tag(sync=True)
    steps = traitlets.Any(400).tag(sync=True)
    speed = traitlets.Any("normal").tag(sync=True)
    result = traitlets.Any(None, allow_none=True).tag(sync=True)

    def __init__(
        self,
        *,
        data: str = "digits",
        learning_rate: float = 0.1,
        learning_rates: Sequence[float] = LEARNING_RATES,
        activation: str = "relu",
        init: str = "he",
        width: int = 32,
        depth: int = 2,
        optimizer: str = "sgd",
        seed: int = 0,
        steps: int | None = None,
        speed: str = "normal",
        preview_rates: Sequence[float] | None = None,
        **kwargs: Any,
    ) -> None:
        rates = [
            _validate.number(v, f"learning_rates[{i}]", low=0.0, low_open=True) for i, v in enumerate(learning_rates)
        ]
        _validate.check(
            bool(rates) and all(b > a for a, b in zip(rates, rates[1:], strict=False)),
            "learning_rates",
            "be a non-empty increasing sequence of positive numbers",
            repr(learning_rates),
        )
        data = _validate.choice(data, "data", tuple(DATASETS))
        super().__init__(
            digits=training.digits_payload(),
            curve=training.curve_payload(),
            learning_rates=rates,
            data=data,
            activation=activation,
            init=init,
            width=width,
            depth=depth,
            optimizer=optimizer,
            seed=seed,
            steps=DATASETS[data]["steps"] if steps is None else steps,
            speed=speed,
            **kwargs,
        )
        self.learning_rate = learning_rate
        rates = [learning_rate] if preview_rates is None else list(preview_rates)
        self.preview_rates = [self._check_rate(v, f"preview_rates[{i}]") for i, v in enumerate(rates)]
        self._previews: dict[tuple, dict[str, Any]] = {}

    # ------------------------------------------------------------------ checks
    def _check_rate(self, value: Any, name: str) -> float:
        value = _validate.number(value, name, low=0.0, low_open=True)
        lo, hi = self.learning_rates[0], self.learning_rates[-1]
        _validate.check(
            value in self.learning_rates,
            name,
            f"be one of the slider's learning_rates ({lo:g}, ..., {hi:g})",
            repr(value),
        )
        return float(value)

    @traitlets.validate("learning_rate")
    def _v_lr(self, proposal: Any) -> float:
        return self._check_rate(proposal["value"], "learning_rate")

    @traitlets.validate("data")
    def _v_data(self, proposal: Any) -> str:
        return _validate.choice(proposal["value"], "data", tuple(DATASETS))

    @traitlets.validate("activation")
    def _v_activation(self, proposal: Any) -> str:
        return _validate.choice(proposal["value"], "activation", _ACTIVATIONS)

    @traitlets.validate("init")
    def _v_init(self, proposal: Any) -> str:
        return _validate.choice(proposal["value"], "init", nets.INITS)

    @traitlets.validate("optimizer")
    def _v_optimizer(self, proposal: Any) -> str:
        return _validate.choice(proposal["value"], "optimizer", ("sgd", "adam"))

    @traitlets.validate("speed")
    def _v_speed(self, proposal: Any) -> str:
        return _validate.choice(proposal["value"], "speed", ("slow", "normal", "fast"))

    def _one_of(self, proposal: Any, name: str, options: tuple[int, ...]) -> int:
        value = _validate.integer(proposal["value"], name, minimum=1)
        _validate.check(value in options, name, f"be one of {', '.join(map(str, options))}", str(value))
        return value

    @traitlets.validate("width")
    def _v_width(self, proposal: Any) -> int:
        return self._one_of(proposal, "width", _WIDTHS)

    @traitlets.validate("depth")
    def _v_depth(self, proposal: Any) -> int:
        return self._one_of(proposal, "depth", _DEPTHS)

    @traitlets.validate("steps")
    def _v_steps(self, proposal: Any) -> int:
        return self._one_of(proposal, "steps", _STEPS)

    @traitlets.validate("seed")
    def _v_seed(self, proposal: Any) -> int:
        value = _validate.integer(proposal["value"], "seed", minimum=0)
        _validate.check(value <= 2**32 - 1, "seed", "be an integer from 0 to 2**32 - 1", str(value))
        return value

    # ------------------------------------------------------------------ the runs
    def sizes(self) -> list[int]:
        """The network's widths: inputs, ``depth`` hidden layers of ``width`` units, outputs."""
        n_in, n_out = (64, 10) if self.data == "digits" else (1, 1)
        return [n_in, *[self.width] * self.depth, n_out]

    def preview(self) -> dict[str, Any]:
        """The runs the browser trains at :attr:`preview_rates` with the current settings, computed in JAX
        (:func:`relulab.explorables.training.replay`, float64, same start and minibatches), evaluated as
        often as the view evaluates. Cached per settings.

        Returns:
            :func:`~relulab.explorables.training.replay`'s dict, plus ``"learning_rates"``.
        """
        spec = DATASETS[self.data]
        key = (
            self.data,
            tuple(self.preview_rates),
            self.activation,
            self.init,
            self.width,
            self.depth,
            self.optimizer,
            self.seed,
            self.steps,
        )
        if key not in self._previews:
            if self.data == "digits":
                X, y, _, _ = training.digits_arrays(self.digits)
            else:
                X, y = training.curve_arrays(self.curve)
            out = training.replay(
                sizes=self.sizes(),
                X=X,
                y=y,
                learning_rates=self.preview_rates,
                steps=self.steps,
                activation=self.activation,
                init=self.init,
                seed=self.seed,
                loss=spec["loss"],
                optimizer=self.optimizer,
                batch_size=spec["batch_size"],
                replace=spec["replace"],
                eval_every=spec["eval_every"],
            )
            out["learning_rates"] = list(self.preview_rates)
            self._previews[key] = out
        return self._previews[key]

    def dead_after(self) -> list[list[int]]:
        """For each preview learning rate, the number of dead units per hidden layer after ``steps`` steps."""
        return [[int(m[r].sum()) for m in self.preview()["dead"]] for r in range(len(self.preview_rates))]

    # ------------------------------------------------------------------ for readers without JavaScript
    def _describe_runs(self) -> str:
        out, total = self.preview(), sum(self.sizes()[1:-1])
        parts = []
        for r, lr in enumerate(self.preview_rates):
            dead = sum(self.dead_after()[r])
            diverged = "" if out["finite"][r] else ", after the weights overflowed"
            parts.append(
                f"at learning rate {lr:g}, {dead} of {total} units are dead after {self.steps} steps{diverged}"
            )
        return "; ".join(parts)

    def alt_text(self) -> str:
        data = "the digits" if self.data == "digits" else "200 points of sin(pi x)"
        return (
            f"Training a {'-'.join(map(str, self.sizes()))} network with {self.activation} hidden units on {data}: "
            f"two panels against the training step, the training loss and the number of dead hidden units, one line "
            f"per learning rate: {self._describe_runs()}. With JavaScript the network trains live at the learning "
            "rate, initialisation, width, depth and activation the reader chooses."
        )

    def fallback_figure(self) -> Figure:
        out = self.preview()
        fig, (ax_loss, ax_dead) = plots.figure(1, 2, figsize=(8.4, 3.2))
        for r, lr in enumerate(self.preview_rates):
            style = plots.series_style(r)
            loss = np.where(np.isfinite(out["eval_loss"][r]), out["eval_loss"][r], np.nan)
            ax_loss.plot(out["eval_steps"], loss, label=f"learning rate {lr:g}", **style)
            dead = sum(m[r].sum(axis=-1) for m in out["eval_dead"])
            ax_dead.plot(out["eval_steps"], dead, **style)
        ax_loss.set(yscale="log", xlabel="step", title="training loss")
        ax_dead.set(
            xlabel="step",
            title=f"dead hidden units (of {sum(self.sizes()[1:-1])})",
            ylim=(-1, sum(self.sizes()[1:-1]) + 1),
        )
        ax_loss.legend(frameon=False, fontsize=8)
        return fig
