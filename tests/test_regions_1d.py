"""Tests for the 1D part of relulab.regions: breakpoints and affine pieces.

Hand-built networks with known answers (|x|, cancelling switches, the tent map
composed k times, units that never switch, dead units), a closed-form reference for
one hidden layer, and properties checked on random networks against an independent
float64 NumPy forward pass and a dense grid.
"""

from __future__ import annotations

import warnings

import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relulab.nets import random_mlp
from relulab.regions import (
    Switch1D,
    breakpoints_1d,
    count_pieces_1d,
    pieces_1d,
    unit_switches_1d,
)


def layer(W, b):
    return (np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64))


def forward(params, x):
    """Independent reference: output and on/off pattern per hidden layer, float64.

    A unit counts as on when z > 1e-12 * (|h| @ |W| + |b|): a pre-activation that is
    identically zero (weights that cancel exactly) evaluates to +-1e-16 in floating point
    and must not look like a unit flickering on and off.
    """
    h = np.asarray(x, dtype=np.float64)[:, None]
    patterns = []
    for W, b in params[:-1]:
        W, b = np.asarray(W, np.float64), np.asarray(b, np.float64)
        z = h @ W + b
        patterns.append(z > 1e-12 * (np.abs(h) @ np.abs(W) + np.abs(b)))
        h = np.maximum(z, 0.0)
    W, b = params[-1]
    return (h @ np.asarray(W, np.float64) + np.asarray(b, np.float64))[:, 0], patterns


ABS = [layer([[1.0, -1.0]], [0.0, 0.0]), layer([[1.0], [1.0]], [0.0])]  # |x|


def yarotsky_tent(k):
    """g(x) = 2relu(x) - 4relu(x - 1/2) + 2relu(x - 1), composed k times (k >= 1).

    g is the tent on [0, 1] and 0 outside, so g^k has 2^k pieces on [0, 1] and two
    more (constant 0) outside it.
    """
    first = layer([[1.0, 1.0, 1.0]], [0.0, -0.5, -1.0])
    combine = np.array([[2.0], [-4.0], [2.0]])
    middle = layer(combine @ np.array([[1.0, 1.0, 1.0]]), [0.0, -0.5, -1.0])
    return [first] + [middle] * (k - 1) + [layer(combine, [0.0])]


def telgarsky_tent(k):
    """t(x) = relu(2relu(x) - 4relu(x - 1/2)), composed k times: 2 + 1 units per tent."""
    params = []
    for _ in range(k):
        params.append(layer([[1.0, 1.0]], [0.0, -0.5]))
        params.append(layer([[2.0], [-4.0]], [0.0]))
    params.append(layer([[1.0]], [0.0]))
    return params


# ---- hand-built networks with known answers -------------------------------------------


def test_abs_has_two_pieces_and_one_breakpoint():
    np.testing.assert_array_equal(breakpoints_1d(ABS, -1.0, 1.0), [0.0])
    assert count_pieces_1d(ABS, -1.0, 1.0) == 2
    p = pieces_1d(ABS, -1.0, 1.0)
    np.testing.assert_array_equal(p.knots, [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(p.slopes, [-1.0, 1.0])
    np.testing.assert_array_equal(p.intercepts, [0.0, 0.0])


def test_abs_on_a_side_is_one_piece():
    assert breakpoints_1d(ABS, 0.5, 3.0).size == 0
    assert count_pieces_1d(ABS, 0.5, 3.0) == 1
    assert count_pieces_1d(ABS, -3.0, -0.5) == 1


def test_switch_at_an_end_is_reported_but_makes_no_piece():
    np.testing.assert_array_equal(breakpoints_1d(ABS, 0.0, 1.0), [0.0])
    np.testing.assert_array_equal(breakpoints_1d(ABS, -1.0, 0.0), [0.0])
    assert count_pieces_1d(ABS, 0.0, 1.0) == 1
    assert count_pieces_1d(ABS, -1.0, 0.0) == 1


def test_switch_that_cancels_in_the_output_is_merged():
    identity = [layer([[1.0, -1.0]], [0.0, 0.0]), layer([[1.0], [-1.0]], [0.0])]  # = x
    np.testing.assert_array_equal(breakpoints_1d(identity, -1.0, 1.0), [0.0])
    assert count_pieces_1d(identity, -1.0, 1.0) == 1
    assert pieces_1d(identity, -1.0, 1.0, merge=False).slopes.shape == (2,)
    # relu(x) + relu(x - 1) - relu(x - 1): the unit switching at 1 cancels
    cancel = [layer([[1.0, 1.0, 1.0]], [0.0, -1.0, -1.0]), layer([[1.0], [1.0], [-1.0]], [0.0])]
    np.testing.assert_array_equal(breakpoints_1d(cancel, -2.0, 2.0), [0.0, 1.0])
    assert count_pieces_1d(cancel, -2.0, 2.0) == 2
    # a unit with outgoing weight 0 switches but bends nothing
    silent = [layer([[1.0, 1.0]], [0.0, -1.0]), layer([[1.0], [0.0]], [0.0])]
    np.testing.assert_array_equal(breakpoints_1d(silent, -2.0, 2.0), [0.0, 1.0])
    assert count_pieces_1d(silent, -2.0, 2.0) == 2


def test_cancellation_in_a_deeper_layer_is_merged():
    # layer 2: relu(relu(x) - relu(x - 1)) = clip(x, 0, 1) and relu(x - 1) again; the output
    # clip(x, 0, 1) + relu(x - 1) = relu(x) bends only at 0
    params = [
        layer([[1.0, 1.0]], [0.0, -1.0]),
        layer([[1.0, 0.0], [-1.0, 1.0]], [0.0, 0.0]),
        layer([[1.0], [1.0]], [0.0]),
    ]
    np.testing.assert_array_equal(breakpoints_1d(params, -2.0, 3.0), [0.0, 1.0])
    p = pieces_1d(params, -2.0, 3.0)
    np.testing.assert_array_equal(p.knots, [-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(p.slopes, [0.0, 1.0])


@pytest.mark.parametrize("k", range(1, 9))
def test_yarotsky_tent_composed_k_times(k):
    params = yarotsky_tent(k)
    n = 2**k
    np.testing.assert_array_equal(breakpoints_1d(params, 0.0, 1.0), np.arange(n + 1) / n)
    assert count_pieces_1d(params, 0.0, 1.0) == n
    assert count_pieces_1d(params, -1.0, 2.0) == n + 2
    p = pieces_1d(params, 0.0, 1.0)
    np.testing.assert_array_equal(np.abs(p.slopes), np.full(n, float(n)))
    np.testing.assert_array_equal(np.sign(p.slopes), np.tile([1.0, -1.0], n // 2))


@pytest.mark.parametrize("k", [1, 2, 5, 10])
def test_telgarsky_tent_composed_k_times(k):
    params = telgarsky_tent(k)
    assert count_pieces_1d(params, 0.0, 1.0) == 2**k
    x = np.linspace(0.0, 1.0, 257)
    p = pieces_1d(params, 0.0, 1.0)
    i = np.clip(np.searchsorted(p.knots, x, side="right") - 1, 0, len(p.slopes) - 1)
    np.testing.assert_allclose(p.slopes[i] * x + p.intercepts[i], forward(params, x)[0], rtol=0, atol=1e-9)


def test_units_that_never_switch_inside_the_interval():
    params = [layer([[1.0, 1.0]], [5.0, -5.0]), layer([[1.0], [2.0]], [0.0])]  # switch at -5, 5
    assert breakpoints_1d(params, -1.0, 1.0).size == 0
    assert count_pieces_1d(params, -1.0, 1.0) == 1
    np.testing.assert_array_equal(breakpoints_1d(params, -10.0, 10.0), [-5.0, 5.0])
    assert count_pieces_1d(params, -10.0, 10.0) == 3


def test_dead_units_never_switch():
    params = [layer([[0.0, 0.0, 2.0]], [-1.0, 0.0, -1.0]), layer([[3.0], [4.0], [1.0]], [0.5])]
    np.testing.assert_array_equal(breakpoints_1d(params, -5.0, 5.0), [0.5])
    assert [(s.layer, s.unit) for s in unit_switches_1d(params, -5.0, 5.0)] == [(0, 2)]
    all_dead = [layer([[0.0, 0.0]], [-1.0, 0.0]), layer([[3.0], [4.0]], [0.5])]
    assert breakpoints_1d(all_dead, -5.0, 5.0).size == 0
    p = pieces_1d(all_dead, -5.0, 5.0)
    assert p.slopes.tolist() == [0.0] and p.intercepts.tolist() == [0.5]


def test_no_hidden_layer_is_one_affine_piece():
    p = pieces_1d([layer([[2.0]], [-1.0])], -3.0, 4.0)
    assert p.knots.tolist() == [-3.0, 4.0] and p.slopes.tolist() == [2.0]
    assert p.intercepts.tolist() == [-1.0]
    assert breakpoints_1d([layer([[2.0]], [-1.0])], -3.0, 4.0).size == 0


def test_second_layer_switches_are_attributed_to_their_unit():
    # layer 1: relu(x), relu(-x). Layer 2 pre-activations: relu(x) - 1 (switches at 1),
    # relu(x) (switches at 0, on the first layer's kink), |x| (touches 0, never off on
    # either side), -|x| (never on): only the first two switch.
    W2 = np.array([[1.0, 1.0, 1.0, -1.0], [0.0, 0.0, 1.0, -1.0]])
    params = [
        layer([[1.0, -1.0]], [0.0, 0.0]),
        layer(W2, [-1.0, 0.0, 0.0, 0.0]),
        layer([[1.0], [1.0], [1.0], [1.0]], [0.0]),
    ]
    assert unit_switches_1d(params, -3.0, 3.0) == [
        Switch1D(0.0, 0, 0, True),
        Switch1D(0.0, 0, 1, False),
        Switch1D(0.0, 1, 1, True),
        Switch1D(1.0, 1, 0, True),
    ]
    # output: relu(x - 1) + relu(x) + |x| -> pieces (-inf,0), (0,1), (1,inf)
    assert count_pieces_1d(params, -3.0, 3.0) == 3


@pytest.mark.parametrize("seed", range(5))
def test_one_hidden_layer_matches_closed_form(seed):
    rng = np.random.default_rng(seed)
    w, b, v = rng.normal(size=8), rng.normal(size=8), rng.normal(size=8)
    params = [layer(w[None, :], b), layer(v[:, None], [0.3])]
    roots = -b / w
    expected = np.sort(roots[(roots >= -2.0) & (roots <= 2.0)])
    np.testing.assert_allclose(breakpoints_1d(params, -2.0, 2.0), expected, rtol=1e-12, atol=0)
    assert count_pieces_1d(params, -2.0, 2.0) == expected.size + 1


def test_jax_float32_params_are_accepted():
    params = [(jnp.asarray(W, jnp.float32), jnp.asarray(b, jnp.float32)) for W, b in ABS]
    assert count_pieces_1d(params, -1.0, 1.0) == 2
    assert breakpoints_1d(params, -1, 1).dtype == np.float64


# ---- properties on random networks ------------------------------------------------------


def random_params(seed, widths, quantised):
    """Random 1 -> widths -> 1 net; quantised weights make coincidences and dead units."""
    sizes = [1, *widths, 1]
    if not quantised:
        return random_mlp(seed, sizes, bias_std=0.5)  # He weights, N(0, 0.5^2) biases
    rng = np.random.default_rng(seed)
    return [
        layer(rng.integers(-2, 3, size=(n_in, n_out)) / 2.0, rng.integers(-2, 3, size=n_out) / 2.0)
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]


def grid_piece_lower_bound(params, lo, hi, n=20001):
    """Pieces seen on a dense grid: 1 + clusters of cells where the slope changes."""
    x = np.linspace(lo, hi, n)
    f = forward(params, x)[0]
    d = np.diff(f) / np.diff(x)
    bend = np.abs(np.diff(d)) > 1e-6 * max(1.0, float(np.max(np.abs(d))))
    starts = bend & ~np.concatenate([[False], bend[:-1]])
    return 1 + int(np.sum(starts))


net_strategy = st.tuples(
    st.integers(0, 2**32 - 1),
    st.lists(st.integers(1, 8), min_size=1, max_size=4),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(net_strategy)
def test_exact_count_is_at_least_what_a_grid_sees(net):
    params = random_params(*net)
    exact = count_pieces_1d(params, -3.0, 3.0)
    assert exact >= grid_piece_lower_bound(params, -3.0, 3.0)
    inside = breakpoints_1d(params, -3.0, 3.0)
    assert exact <= np.sum((inside > -3.0) & (inside < 3.0)) + 1


@settings(max_examples=60, deadline=None)
@given(net_strategy, st.booleans())
def test_network_is_affine_between_consecutive_knots(net, merge):
    params = random_params(*net)
    p = pieces_1d(params, -3.0, 3.0, merge=merge)
    assert p.knots[0] == -3.0 and p.knots[-1] == 3.0 and np.all(np.diff(p.knots) > 0)
    # every knot of the unmerged pieces is a breakpoint and vice versa (inside)
    if not merge:
        inside = breakpoints_1d(params, -3.0, 3.0)
        inside = inside[(inside > -3.0) & (inside < 3.0)]
        np.testing.assert_array_equal(p.knots[1:-1], inside)
    rng = np.random.default_rng(0)
    t = rng.uniform(size=(len(p.slopes), 7))
    x = p.knots[:-1, None] + t * np.diff(p.knots)[:, None]
    f = forward(params, x.ravel())[0].reshape(x.shape)
    scale = 1.0 + np.max(np.abs(f))
    np.testing.assert_allclose(p.slopes[:, None] * x + p.intercepts[:, None], f, rtol=0, atol=1e-9 * scale)
    if merge and len(p.slopes) > 1:  # maximal: neighbours really differ
        assert np.all(np.abs(np.diff(p.slopes)) > 1e-9)


@settings(max_examples=60, deadline=None)
@given(net_strategy)
def test_breakpoints_are_exactly_where_the_pattern_changes(net):
    params = random_params(*net)
    lo, hi = -3.0, 3.0
    switches = unit_switches_1d(params, lo, hi)
    xs = breakpoints_1d(params, lo, hi)
    # every reported switch is genuine: that unit's state differs just left and right
    gaps = np.diff(np.concatenate([[lo - 1.0], xs, [hi + 1.0]]))
    delta = min(1e-6, float(np.min(gaps)) / 4)
    for s in switches:
        _, pats = forward(params, np.array([s.x - delta, s.x + delta]))
        assert pats[s.layer][0, s.unit] != s.turns_on
        assert pats[s.layer][1, s.unit] == s.turns_on
    # and none is missed: every grid cell where some unit changes state holds a breakpoint
    x = np.linspace(lo, hi, 4001)
    _, pats = forward(params, x)
    pattern = np.concatenate(pats, axis=1)
    changed = np.nonzero(np.any(pattern[1:] != pattern[:-1], axis=1))[0]
    for i in changed:
        assert np.any((xs >= x[i] - 1e-9) & (xs <= x[i + 1] + 1e-9)), (x[i], x[i + 1])


# ---- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, exc, match",
    [
        ([], ValueError, r"params must be a non-empty list of \(W, b\) pairs .*got an empty list"),
        ("W", TypeError, "non-empty list"),
        ([np.ones((1, 1))], TypeError, r"params\[0\] must be a \(W, b\) pair"),
        ([layer([[1.0, 1.0]], [0.0, 0.0]), layer([[1.0], [1.0]], [0.0])][:1], ValueError, "n_out = 1"),
        ([layer([[1.0], [1.0]], [0.0]), layer([[1.0]], [0.0])], ValueError, "n_in = 1"),
        ([layer([[1.0, 1.0]], [0.0, 0.0]), layer([[1.0]], [0.0])], ValueError, r"previous layer has 2 outputs"),
        ([(np.ones(2), np.zeros(2))], ValueError, r"shape \(n_in, n_out\), got shape \(2,\)"),
        ([(np.ones((1, 2)), np.zeros(3))], ValueError, r"b must have shape \(2,\)"),
        ([layer([[np.nan]], [0.0])], ValueError, "non-finite"),
        ([layer([[1.0]], [np.inf])], ValueError, "non-finite"),
        ([(np.ones((1, 1), dtype=bool), np.zeros(1))], TypeError, "real numbers"),
    ],
)
def test_bad_params_raise(params, exc, match):
    with pytest.raises(exc, match=match):
        count_pieces_1d(params, -1.0, 1.0)
    with pytest.raises(exc, match=match):
        breakpoints_1d(params, -1.0, 1.0)


@pytest.mark.parametrize(
    "lo, hi, exc, match",
    [
        (1.0, 1.0, ValueError, "lo < hi"),
        (2.0, 1.0, ValueError, "lo < hi"),
        (np.nan, 1.0, ValueError, "lo must be a finite real number, got nan"),
        (0.0, np.inf, ValueError, "hi must be a finite real number, got inf"),
        ("0", 1.0, TypeError, "lo must be a finite real number, got str '0'"),
        (0.0, [1.0], TypeError, "hi must be a finite real number, got list"),
        (True, 2.0, TypeError, "lo must be a finite real number, got bool True"),
    ],
)
def test_bad_interval_raises(lo, hi, exc, match):
    with pytest.raises(exc, match=match):
        breakpoints_1d(ABS, lo, hi)
    with pytest.raises(exc, match=match):
        count_pieces_1d(ABS, lo, hi)


def test_bad_options_raise():
    with pytest.raises(ValueError, match=r"rtol must be a number in \[0, 0.001\), got -1.0"):
        count_pieces_1d(ABS, -1.0, 1.0, rtol=-1.0)
    with pytest.raises(TypeError, match=r"rtol must be a number in \[0, 0.001\), got str 'small'"):
        breakpoints_1d(ABS, -1.0, 1.0, rtol="small")
    with pytest.raises(TypeError, match="merge must be True or False, got int 1"):
        pieces_1d(ABS, -1.0, 1.0, merge=1)


@pytest.mark.parametrize("w", [1e-310, 5e-324])
@pytest.mark.parametrize("b", [1.0, -1.0])
def test_a_subnormal_slope_puts_its_kink_beyond_every_float(w, b):
    """The unit's zero -b / w overflows: no kink in any interval, one piece, and no floating-point warning."""
    params = [(np.array([[w]]), np.array([b])), (np.array([[1.0]]), np.array([0.0]))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert count_pieces_1d(params, -3.0, 3.0) == 1
        assert len(breakpoints_1d(params, -1e300, 1e300)) == 0
