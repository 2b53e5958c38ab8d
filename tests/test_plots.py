"""Tests for relulab.plots: the palette helpers and the plots that must not draw a jump as a line."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from relulab import activations, plots


def test_gaps_at_jumps_only_at_jumps():
    x = np.linspace(-3.0, 3.0, 601)
    step = (x > 0).astype(float)
    out = plots.gaps_at_jumps(step)
    assert np.isnan(out).sum() == 1
    assert np.isnan(out[np.argmax(x > 0)])  # the first sample after the jump
    np.testing.assert_array_equal(out[~np.isnan(out)], step[~np.isnan(out)])
    # a smooth curve sampled finely has no gap
    assert not np.isnan(plots.gaps_at_jumps(np.tanh(x))).any()
    # leaky ReLU's derivative jumps by 0.99 > 0.25: one gap; by 0.2 with a threshold of 0.25: none
    assert np.isnan(plots.gaps_at_jumps(np.where(x > 0, 1.0, 0.01))).sum() == 1
    assert np.isnan(plots.gaps_at_jumps(np.where(x > 0, 1.0, 0.8))).sum() == 0


def test_plot_derivative_draws_a_gap_at_relus_jump_and_none_for_softplus():
    ax = Figure().subplots()
    x = np.linspace(-1.0, 1.0, 201)
    relu_line = plots.plot_derivative("relu", x, ax=ax)
    soft_line = plots.plot_derivative("softplus", x, ax=ax, style=1)
    y = np.asarray(relu_line.get_ydata(), dtype=float)
    assert np.isnan(y).sum() == 1
    finite = ~np.isnan(y)
    np.testing.assert_array_equal(y[finite], np.asarray(activations.derivative("relu")(x))[finite])
    assert not np.isnan(np.asarray(soft_line.get_ydata(), dtype=float)).any()
    assert relu_line.get_label() == "ReLU'" and relu_line.get_linestyle() != soft_line.get_linestyle()
    assert relu_line.get_color() == plots.ACTIVATION_STYLES["relu"]["color"]  # its own style by default
    assert soft_line.get_color() == plots.series_style(1)["color"]  # an index asks for a series style


def test_plot_with_gaps_style_and_kwargs():
    ax = Figure().subplots()
    line = plots.plot_with_gaps([0.0, 1.0, 2.0], [0.0, 1.0, 1.0], ax=ax, style=2, label="step", threshold=0.5)
    assert line.get_label() == "step" and line.get_color() == plots.series_style(2)["color"]
    assert np.isnan(line.get_ydata()[1])


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(y=np.ones((2, 2))), ValueError, r"y must have shape \(n,\), got shape \(2, 2\)"),
        (dict(y=np.ones(3), threshold=0.0), ValueError, "threshold must be a positive number, got 0.0"),
        (dict(y=np.ones(3), threshold="1"), TypeError, "threshold must be a positive number, got str '1'"),
        (dict(y=["a", "b"]), TypeError, "y must be an array of real numbers"),
    ],
)
def test_gaps_at_jumps_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        plots.gaps_at_jumps(**kwargs)


def test_plot_with_gaps_shape_mismatch():
    with pytest.raises(ValueError, match=r"y must have shape \(3,\) \(that of x\), got shape \(2,\)"):
        plots.plot_with_gaps([0.0, 1.0, 2.0], [0.0, 1.0], ax=Figure().subplots())


def test_series_style_bad_index():
    with pytest.raises(ValueError, match=r"i must be a non-negative integer \(>= 0\), got -1"):
        plots.series_style(-1)
    with pytest.raises(TypeError, match="i must be a non-negative integer"):
        plots.series_style(1.5)


# ---------------------------------------------------------------------------- feature maps (moved from test_conv)


def test_plot_feature_map_symmetric_limits_and_colorbar():
    fig = Figure()
    ax = fig.subplots()
    im = plots.plot_feature_map(np.array([[-3.0, 1.0], [0.0, 2.0]]), ax=ax, colorbar=True, alpha=0.5)
    assert im.get_clim() == (-3.0, 3.0)
    assert im.get_cmap().name == "relulab_sign"
    assert im.get_alpha() == 0.5
    assert im.colorbar is not None
    np.testing.assert_array_equal(im.get_array(), [[-3.0, 1.0], [0.0, 2.0]])
    # zero maps to the middle of the colour map
    assert im.norm(0.0) == pytest.approx(0.5)


def test_plot_feature_map_shared_vmax_zero_map_and_cmap():
    fig = Figure()
    ax1, ax2 = fig.subplots(1, 2)
    im = plots.plot_feature_map(np.zeros((3, 3)), ax=ax1)
    assert im.get_clim() == (-1.0, 1.0)
    im2 = plots.plot_feature_map(np.ones((3, 3)), ax=ax2, vmax=4.0, cmap="PuOr")
    assert im2.get_clim() == (-4.0, 4.0) and im2.get_cmap().name == "PuOr"


def test_plot_feature_map_default_axes():
    import matplotlib.pyplot as plt

    assert matplotlib.get_backend().lower() == "agg"
    fig = plt.figure()
    try:
        im = plots.plot_feature_map(np.eye(3) - 0.5)
        assert im.axes is fig.axes[0]
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    "kwargs,exc,match",
    [
        ({"fmap": np.ones(3)}, ValueError, r"fmap must have shape \(H, W\) with every size >= 1, got shape \(3,\)"),
        ({"fmap": np.ones((2, 2)), "vmax": 0.0}, ValueError, r"vmax must be a positive finite number"),
        ({"fmap": np.ones((2, 2)), "vmax": np.nan}, ValueError, r"vmax must be a positive finite number"),
        ({"fmap": np.ones((2, 2), bool)}, TypeError, r"fmap must be an array of real numbers, got dtype bool"),
    ],
)
def test_plot_feature_map_errors(kwargs, exc, match):
    ax = Figure().subplots()
    with pytest.raises(exc, match=match):
        plots.plot_feature_map(ax=ax, **kwargs)


# ---------------------------------------------------------------------------- the visual language


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def test_one_style_file_feeds_the_python_constants():
    """style.json (package data, also read by the JavaScript explorables) is the one source."""
    import json
    from importlib import resources

    data = json.loads(resources.files("relulab").joinpath("style.json").read_text())
    assert plots.PALETTE == data["okabe_ito"] and plots.SIGN == data["sign"] and plots.REFERENCE == data["reference"]
    for name, spec in data["activations"].items():
        style = plots.ACTIVATION_STYLES[name]
        assert (style["color"], style["label"], style["marker"]) == (spec["color"], spec["label"], spec["marker"])
        assert style["linestyle"] == ("-" if not spec["dashes"] else (0, tuple(spec["dashes"])))


def test_every_activation_has_a_style_and_no_two_look_alike():
    assert set(activations.ACTIVATIONS) <= set(plots.ACTIVATION_STYLES)
    looks = [(s["color"], str(s["linestyle"])) for s in plots.ACTIVATION_STYLES.values()]
    assert len(set(looks)) == len(looks), "two activations share colour and line style"
    markers = [s["marker"] for s in plots.ACTIVATION_STYLES.values()]
    assert len(set(markers)) == len(markers), "two activations share a marker"
    okabe_ito = set(plots.PALETTE.values()) - {plots.PALETTE["yellow"]}  # yellow is too light for a line
    assert {s["color"] for s in plots.ACTIVATION_STYLES.values()} <= okabe_ito | {plots.REFERENCE}
    # every line style and marker is one matplotlib draws
    ax = Figure().subplots()
    for name in plots.ACTIVATION_STYLES:
        (line,) = ax.plot([0, 1], [0, 1], **plots.activation_style(name, marker=True))
        assert line.get_color() == plots.ACTIVATION_STYLES[name]["color"]


def test_activation_style_bad_input():
    with pytest.raises(ValueError, match="name must be one of relu, .*, got 'swish'"):
        plots.activation_style("swish")
    with pytest.raises(TypeError, match="marker must be True or False"):
        plots.activation_style("relu", marker=1)


def test_sign_colours_positive_vermillion_negative_blue_zero_white():
    cmap = plots.sign_cmap()
    assert cmap(0.0)[:3] == pytest.approx(_rgb(plots.SIGN["negative"]), abs=1e-3)
    assert cmap(0.5)[:3] == pytest.approx((1.0, 1.0, 1.0), abs=1e-2)
    assert cmap(1.0)[:3] == pytest.approx(_rgb(plots.SIGN["positive"]), abs=1e-3)
    assert plots.SIGN["positive"] == plots.PALETTE["vermillion"] and plots.SIGN["negative"] == plots.PALETTE["blue"]
    im = plots.plot_feature_map(np.array([[-2.0, 2.0]]), ax=Figure().subplots())
    low, high = (im.cmap(im.norm(v))[:3] for v in (-2.0, 2.0))
    assert low == pytest.approx(_rgb(plots.SIGN["negative"]), abs=1e-3)
    assert high == pytest.approx(_rgb(plots.SIGN["positive"]), abs=1e-3)


def test_legible_fontsize_follows_the_width_the_page_shows():
    # a figure at most COLUMN_PX wide is shown at its size; a wider one is scaled down to it
    narrow = plots.COLUMN_PX / 100 / 2
    assert plots.legible_fontsize(narrow) == pytest.approx(plots.MIN_TEXT_PX * 72 / 100)
    wide = 2 * plots.COLUMN_PX / 100
    assert plots.legible_fontsize(wide) == pytest.approx(plots.MIN_TEXT_PX * 72 * wide / plots.COLUMN_PX, abs=0.01)
    with pytest.raises(ValueError, match="width_in must be a positive width"):
        plots.legible_fontsize(0.0)


def test_make_legible_raises_small_text_only_and_touches_no_global_state():
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    before = dict(mpl.rcParams)
    fig = Figure(figsize=(11.0, 3.0))  # a wide figure: scaled to about 60% on the page
    FigureCanvasAgg(fig)
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot([0, 1], [0, 1], label="a line")
    ax1.set_title("small", fontsize=8)
    big = ax2.set_title("already large", fontsize=30)
    ax1.legend(fontsize=7)
    ax2.set_xlabel("x", fontsize=6)
    plots.make_legible(fig)
    fig.canvas.draw()  # tick labels are made at draw time; they get the axes' tick parameters
    size = plots.legible_fontsize(11.0)
    texts = [t for t in fig.findobj(match=Text) if t.get_text()]
    assert texts and min(t.get_fontsize() for t in texts) >= size - 1e-9
    assert big.get_fontsize() == 30
    assert dict(mpl.rcParams) == before


def test_figures_from_plots_figure_are_legible_when_drawn():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    fig, ax = plots.figure(figsize=(10.0, 3.0))
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("input", fontsize=7)
    FigureCanvasAgg(fig).draw()
    size = plots.legible_fontsize(10.0)
    assert min(t.get_fontsize() for t in fig.findobj(match=Text) if t.get_text()) >= size - 1e-9
