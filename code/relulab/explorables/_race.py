"""The "race" explorable of the what-is-relu chapter (private module; import it from :mod:`relulab.explorables`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import traitlets
from matplotlib import colors as mcolors
from matplotlib.figure import Figure

from .. import _validate, nets, plots
from . import training
from ._base import Explorable

__all__ = ["ActivationRace", "RUNNERS"]

RUNNERS: tuple[dict[str, Any], ...] = (
    {"label": "ReLU (He)", "activation": "relu", "init": "he", "scale": 1.0},
    {"label": "tanh (Glorot)", "activation": "tanh", "init": "glorot", "scale": 1.0},
    {"label": "sigmoid (Glorot)", "activation": "sigmoid", "init": "glorot", "scale": 1.0},
    {"label": "sigmoid (4 \u00d7 Glorot)", "activation": "sigmoid", "init": "glorot", "scale": 4.0},
)
"""The chapter's runners: each activation with its standard initialisation, and the sigmoid with weights
4 times larger (1 over its slope at 0)."""

_STEPS = (100, 300, 1000)
_DASHES = ("", "6 3", "6 2 1.5 2", "1.5 2", "5 1 1 1", "1 1")  # relulab.plots.LINESTYLES as SVG dashes


def _css_colour(colour: Any, name: str) -> str:
    """Any matplotlib colour (a name, ``"#rrggbb"``, an RGB tuple such as a darkened palette colour) as the
    ``"#rrggbb"`` string that an SVG stroke and matplotlib both read; a tuple passed on as it is would reach
    the page as ``"0.5,0.34,0"``, which no browser paints.

    >>> _css_colour((0.5, 0.25, 0.0), "color"), _css_colour("#e69f00", "color")
    ('#804000', '#E69F00')
    >>> _css_colour("var(--rl-blue)", "runners[3] color")
    Traceback (most recent call last):
    ...
    ValueError: runners[3] color must be a matplotlib colour (a name, "#rrggbb" or an RGB tuple), got 'var(--rl-blue)'
    """
    if isinstance(colour, np.ndarray):
        colour = tuple(colour.tolist())
    _validate.check(
        mcolors.is_color_like(colour),
        name,
        'be a matplotlib colour (a name, "#rrggbb" or an RGB tuple)',
        repr(colour),
    )
    return mcolors.to_hex(colour).upper()


def _svg_dash(dash: Any, name: str) -> str:
    """An SVG dash array: ``""`` (solid) or non-negative numbers separated by spaces or commas, not all 0.

    >>> _svg_dash("6, 2 1.5  2", "dash"), _svg_dash("", "dash")
    ('6 2 1.5 2', '')
    >>> _svg_dash((0, (3.7, 1.6)), "runners[2] dash")
    Traceback (most recent call last):
    ...
    TypeError: runners[2] dash must be an SVG dash array such as "6 3" ("" for solid), got tuple
    """
    _validate.check_type(
        isinstance(dash, str), name, 'be an SVG dash array such as "6 3" ("" for solid)', type(dash).__name__
    )
    parts = dash.replace(",", " ").split()
    try:
        values = [float(v) for v in parts]
    except ValueError:
        values = [-1.0]
    _validate.check(
        not values or (all(np.isfinite(v) and v >= 0 for v in values) and any(v > 0 for v in values)),
        name,
        'be non-negative numbers, not all 0, such as "6 3" ("" for solid)',
        repr(dash),
    )
    return " ".join(f"{v:g}" for v in values)


def _mpl_dashes(dash: str) -> Any:
    """An SVG dash array ("6 3", "" for solid) as a matplotlib line style.

    >>> _mpl_dashes(""), _mpl_dashes("6 2 1.5 2")
    ('-', (0, (6.0, 2.0, 1.5, 2.0)))
    """
    values = tuple(float(v) for v in str(dash).replace(",", " ").split())
    return (0, values) if values else "-"


class ActivationRace(Explorable):
    """ReLU, tanh and sigmoid networks race in the reader's browser, as in the chapter's fair race.

    Every runner is the same MLP but for its hidden activation and initialisation; for a seed, all start
    from the same normal draws (scaled by their initialisation) and see the same minibatches (passes over
    the shuffled training set), trained by SGD with momentum with their own learning rate. The view shows
    the training error on each block of ``window`` steps, the loss, and the first step at which the
    error reaches ``target``; the reader can change the seed, each runner's learning rate (among its
    grid) and who races. The training is ``train.mjs`` (the numbers of JAX and optax, float64).

    Args:
        runners: a sequence of dicts with ``label``, ``activation``, ``init``, ``scale``,
            ``learning_rate`` and ``learning_rates`` (the runner's grid, which holds ``learning_rate``);
            colours and dashes follow :func:`relulab.plots.series_style` in order unless a runner gives its
            own ``color`` (any matplotlib colour: a name, ``"#rrggbb"`` or an RGB tuple; the view receives
            it as ``"#rrggbb"``) and ``dash`` (an SVG dash array, ``""`` for solid). By default
            :data:`RUNNERS`, with learning rates that must then be given as ``learning_rates`` (a list
            of ``(tuned_rate, grid)``, one per runner).
        sizes: the network's widths (64 inputs and 10 outputs for the digits).
        seed: the seed of the initial draws and the minibatch order, 0 to 2**32 - 1.
        steps: the length of the race (100, 300 or 1000).
        target: the training error to reach, in (0, 1); window: steps per block of the error.
        batch_size: minibatch size; momentum: SGD's momentum.
        speed: ``"slow"``, ``"normal"`` or ``"fast"``.

    >>> w = ActivationRace(learning_rates=[(0.1, [0.01, 0.1]), (0.1, [0.1]), (1.0, [1.0]), (0.1, [0.1])])
    >>> [r["label"] for r in w.runners][:2], w.runners[0]["color"]
    (['ReLU (He)', 'tanh (Glorot)'], '#0072B2')
    >>> ActivationRace(learning_rates=[(0.3, [0.1])] * 4)
    Traceback (most recent call last):
    ...
    ValueError: runners[0] learning_rate must be one of its learning_rates [0.1], got 0.3
    """

    _view = "race.mjs"
    digits = traitlets.Dict().tag(sync=True)
    runners = traitlets.List(traitlets.Dict()).tag(sync=True)
    sizes = traitlets.List(traitlets.Int()).tag(sync=True)
    seed = traitlets.Any(0).tag(sync=True)
    steps = traitlets.Any(300).tag(sync=True)
    speed = traitlets.Any("normal").tag(sync=True)
    target = traitlets.Float(0.1).tag(sync=True)
    window = traitlets.Int(10).tag(sync=True)
    batch_size = traitlets.Int(32).tag(sync=True)
    momentum = traitlets.Float(0.9).tag(sync=True)
    result = traitlets.Any(None, allow_none=True).tag(sync=True)

    def __init__(
        self,
        runners: Sequence[Mapping[str, Any]] | None = None,
        *,
        learning_rates: Sequence[tuple[float, Sequence[float]]] | None = None,
        sizes: Sequence[int] = (64, 32, 32, 32, 10),
        seed: int = 0,
        steps: int = 300,
        target: float = 0.1,
        window: int = 10,
        batch_size: int = 32,
        momentum: float = 0.9,
        speed: str = "normal",
        **kwargs: Any,
    ) -> None:
        if runners is None:
            _validate.check(
                learning_rates is not None and len(learning_rates) == len(RUNNERS),
                "learning_rates",
                f"give ({len(RUNNERS)}) pairs (tuned rate, grid), one per runner of RUNNERS",
                repr(learning_rates),
            )
            runners = [
                {**r, "learning_rate": lr, "learning_rates": list(grid)}
                for r, (lr, grid) in zip(RUNNERS, learning_rates or (), strict=True)
            ]
        else:
            _validate.check(
                learning_rates is None,
                "learning_rates",
                "be None when runners are given (each runner holds its rates)",
                repr(learning_rates),
            )
        sizes = _validate.integers(sizes, "sizes", min_len=3)
        _validate.check(
            sizes[0] == 64 and sizes[-1] == 10,
            "sizes",
            "start with 64 inputs and end with 10 outputs (the digits)",
            repr(sizes),
        )
        target = _validate.number(
            target,
            "target",
            low=0.0,
            high=1.0,
            low_open=True,
            high_open=True,
            expected="a number strictly between 0 and 1",
        )
        window = _validate.integer(window, "window", minimum=1)
        batch_size = _validate.integer(batch_size, "batch_size", minimum=1)
        _validate.check(batch_size <= 1347, "batch_size", "be at most the 1347 training images", str(batch_size))
        momentum = _validate.number(
            momentum, "momentum", low=0.0, high=1.0, high_open=True, expected="a number in [0, 1)"
        )
        super().__init__(
            digits=training.digits_payload(),
            runners=[self._runner(r, i) for i, r in enumerate(runners)],
            sizes=sizes,
            seed=seed,
            steps=steps,
            target=target,
            window=window,
            batch_size=batch_size,
            momentum=momentum,
            speed=speed,
            **kwargs,
        )
        self._previews: dict[tuple, dict[str, Any]] = {}

    @staticmethod
    def _runner(runner: Mapping[str, Any], i: int) -> dict[str, Any]:
        name = f"runners[{i}]"
        runner = _validate.mapping(
            runner, name, expected="a dict with label, activation, init, scale, learning_rate, learning_rates"
        )
        missing = {"label", "activation", "init", "learning_rate", "learning_rates"} - set(runner)
        _validate.check(
            not missing,
            name,
            "have the keys label, activation, init, learning_rate, learning_rates",
            f"no {', '.join(sorted(missing))}",
        )
        grid = [
            _validate.number(v, f"{name} learning_rates[{k}]", low=0.0, low_open=True)
            for k, v in enumerate(runner["learning_rates"])
        ]
        lr = _validate.number(runner["learning_rate"], f"{name} learning_rate", low=0.0, low_open=True)
        _validate.check(lr in grid, f"{name} learning_rate", f"be one of its learning_rates {grid}", repr(lr))
        style = plots.series_style(i)
        return {
            "label": str(runner["label"]),
            "activation": _validate.choice(
                runner["activation"],
                f"{name} activation",
                ("relu", "leaky_relu", "elu", "gelu", "softplus", "tanh", "sigmoid"),
            ),
            "init": _validate.choice(runner["init"], f"{name} init", nets.INITS),
            "scale": _validate.number(runner.get("scale", 1.0), f"{name} scale", low=0.0, low_open=True),
            "learning_rate": lr,
            "learning_rates": grid,
            "color": _css_colour(runner.get("color", style["color"]), f"{name} color"),
            "dash": _svg_dash(runner.get("dash", _DASHES[i % len(_DASHES)]), f"{name} dash"),
        }

    @traitlets.validate("seed")
    def _v_seed(self, proposal: Any) -> int:
        value = _validate.integer(proposal["value"], "seed", minimum=0)
        _validate.check(value <= 2**32 - 1, "seed", "be an integer from 0 to 2**32 - 1", str(value))
        return value

    @traitlets.validate("steps")
    def _v_steps(self, proposal: Any) -> int:
        value = _validate.integer(proposal["value"], "steps", minimum=1)
        _validate.check(value in _STEPS, "steps", f"be one of {', '.join(map(str, _STEPS))}", str(value))
        return value

    @traitlets.validate("speed")
    def _v_speed(self, proposal: Any) -> str:
        return _validate.choice(proposal["value"], "speed", ("slow", "normal", "fast"))

    # ------------------------------------------------------------------ the race in JAX
    def preview(self) -> dict[str, Any]:
        """The race the browser runs with the current settings, computed in JAX
        (:func:`relulab.explorables.training.replay`: float64, same start and minibatches). Cached.

        Returns:
            The replay's dict, plus ``"error"`` ``(runners, steps // window)``: the training error of each
            block of ``window`` steps, and ``"steps_to_target"``: per runner, the first step at whose
            block the error is at most ``target`` (``window * (k + 1)`` for block ``k``), or ``None``.
        """
        key = (
            self.seed,
            self.steps,
            tuple((r["activation"], r["init"], r["scale"], r["learning_rate"]) for r in self.runners),
        )
        if key not in self._previews:
            X, y, _, _ = training.digits_arrays(self.digits)
            out = training.replay(
                sizes=self.sizes,
                X=X,
                y=y,
                learning_rates=[r["learning_rate"] for r in self.runners],
                steps=self.steps,
                activation=[r["activation"] for r in self.runners],
                init=[r["init"] for r in self.runners],
                scale=[r["scale"] for r in self.runners],
                seed=self.seed,
                loss="cross_entropy",
                optimizer="sgd",
                momentum=self.momentum,
                batch_size=self.batch_size,
                dead_units=False,
            )
            blocks = self.steps // self.window
            error = 1.0 - out["accuracy"][:, : blocks * self.window].reshape(
                len(self.runners), blocks, self.window
            ).mean(axis=2)
            out["error"] = error
            out["steps_to_target"] = [
                int(self.window * (np.argmax(e <= self.target) + 1)) if np.any(e <= self.target) else None
                for e in error
            ]
            self._previews[key] = out
        return self._previews[key]

    # ------------------------------------------------------------------ for readers without JavaScript
    def alt_text(self) -> str:
        reached = self.preview()["steps_to_target"]
        parts = [
            f"{r['label']} at learning rate {r['learning_rate']:g} reaches {self.target:.0%} training error "
            + (f"at step {s}" if s is not None else f"not within {self.steps} steps")
            for r, s in zip(self.runners, reached, strict=True)
        ]
        return (
            f"The training error of each runner against the step over {self.steps} steps, in blocks of {self.window} "
            f"steps, with a dotted line at the {self.target:.0%} target: " + "; ".join(parts) + ". With JavaScript the "
            "race runs live and the reader can change the seed, the learning rates and the runners."
        )

    def fallback_figure(self) -> Figure:
        out = self.preview()
        fig, ax = plots.figure(figsize=(7.0, 3.2))
        blocks = self.window * np.arange(1, out["error"].shape[1] + 1)
        for r, e in zip(self.runners, out["error"], strict=True):  # each runner's own colour and dashes
            ax.plot(
                blocks,
                e,
                color=r["color"],
                linestyle=_mpl_dashes(r["dash"]),
                label=f"{r['label']}, rate {r['learning_rate']:g}",
            )
        ax.axhline(self.target, color=plots.REFERENCE, ls=":", lw=1)
        ax.set(xlabel="step", ylabel="training error", ylim=(0, 1), title=f"The race, seed {self.seed}")
        ax.legend(frameon=False)
        return fig
