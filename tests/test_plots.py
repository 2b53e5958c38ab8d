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
    assert relu_line.get_label() == "relu'" and relu_line.get_linestyle() != soft_line.get_linestyle()


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
    assert im.get_cmap().name == "RdBu_r"
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
