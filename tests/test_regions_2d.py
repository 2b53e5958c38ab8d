"""Tests for the 2D part of relulab.regions: exact activation regions and constructions.

Counts are checked against theory computed another way (Zaslavsky's count for lines in
general position, the Euler-type count ``1 + lines + crossings`` inside a box, hand-made
degenerate arrangements), and the polygons against an independent float64 NumPy forward
pass: every sampled point lies in the polygon that carries its activation pattern, the
areas tile the box, and a dense grid never sees more patterns than the exact count.
Telgarsky's sawtooth and Yarotsky's square are checked against their closed forms.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relulab.nets import mlp_apply, random_mlp
from relulab.regions import (
    arrangement_bound,
    count_pieces_1d,
    count_regions_2d,
    region_polygons,
    sawtooth_params,
    yarotsky_square_params,
)

BOX = (-1.0, 1.0, -1.0, 1.0)


# ---------------------------------------------------------------- references


def layer(W, b):
    return (np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64))


def one_layer(W, b):
    """A 2 -> n -> 1 network whose hidden units are the given lines."""
    W = np.asarray(W, dtype=np.float64)
    return [layer(W, b), layer(np.ones((W.shape[1], 1)), [0.0])]


def forward(params, x):
    """Independent float64 reference: output, activation pattern and the smallest |z|."""
    h = np.asarray(x, dtype=np.float64)
    pats, margin = [], np.full(h.shape[0], np.inf)
    for W, b in params[:-1]:
        z = h @ np.asarray(W, np.float64) + np.asarray(b, np.float64)
        pats.append(z > 0)
        margin = np.minimum(margin, np.abs(z).min(axis=1))
        h = np.maximum(z, 0.0)
    W, b = params[-1]
    out = h @ np.asarray(W, np.float64) + np.asarray(b, np.float64)
    return out, np.concatenate(pats, axis=1) if pats else np.zeros((h.shape[0], 0), bool), margin


def area(v):
    x, y = v[:, 0], v[:, 1]
    return 0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def inside_convex(v, p, eps):
    """Is the point p inside (or within eps of) the counter-clockwise convex polygon v?"""
    e = np.roll(v, -1, axis=0) - v
    w = p[None, :] - v
    cross = e[:, 0] * w[:, 1] - e[:, 1] * w[:, 0]
    return bool(np.all(cross >= -eps * np.linalg.norm(e, axis=1)))


def faces_in_box(W, b, box):
    """Regions cut out of the box by lines W[:, j] . x + b[j] = 0 in general position.

    Euler: adding a line that crosses the box interior adds 1 region plus 1 for every
    earlier line it meets inside the box, so regions = 1 + lines + crossings.
    """
    xmin, xmax, ymin, ymax = box
    corners = np.array([[xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax]])
    vals = corners @ W + b
    crossing = (vals.max(axis=0) > 0) & (vals.min(axis=0) < 0)
    n = W.shape[1]
    points = 0
    for i in range(n):
        for j in range(i + 1, n):
            if crossing[i] and crossing[j]:
                p = np.linalg.solve(np.stack([W[:, i], W[:, j]]), -np.array([b[i], b[j]]))
                points += xmin < p[0] < xmax and ymin < p[1] < ymax
    return 1 + int(crossing.sum()) + points


def tent_numpy(x, k):
    for _ in range(k):
        x = np.where(x <= 0.5, 2.0 * x, 2.0 - 2.0 * x)
    return x


# ---------------------------------------------------------------- one hidden layer


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 14))
def test_one_layer_in_general_position_reaches_zaslavsky(seed, n):
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(2, n))
    b = rng.normal(size=n)
    # a box holding every crossing and every line's point nearest the origin
    pts = [np.linalg.solve(np.stack([W[:, i], W[:, j]]), -b[[i, j]]) for i in range(n) for j in range(i + 1, n)]
    pts += [-b[j] * W[:, j] / (W[:, j] @ W[:, j]) for j in range(n)]
    r = 1.0 + 1.5 * np.abs(pts).max()
    expected = sum(math.comb(n, j) for j in range(3))
    assert count_regions_2d(one_layer(W, b), (-r, r, -r, r)) == expected
    assert arrangement_bound(n) == expected


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 12))
def test_one_layer_in_a_small_box_matches_euler_count(seed, n):
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(2, n))
    b = rng.normal(size=n)
    box = (-0.7, 1.3, -1.1, 0.4)
    assert count_regions_2d(one_layer(W, b), box) == faces_in_box(W, b, box)


@pytest.mark.parametrize(
    "W, b, expected",
    [
        ([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0], 4),  # two axes
        ([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], [0.0, 0.0, 0.0], 6),  # three lines, one point
        ([[1.0, 2.0], [0.0, 0.0]], [0.0, 0.0], 2),  # the same line twice
        ([[1.0, -1.0], [0.0, 0.0]], [0.0, 0.0], 2),  # the same line, opposite sides active
        ([[1.0], [0.0]], [1.0], 1),  # x = -1: the box's left edge
        ([[1.0], [1.0]], [-2.0], 1),  # x + y = 2 touches only the corner (1, 1)
        ([[1.0], [1.0]], [5.0], 1),  # misses the box
        ([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]], [-0.5, 0.0, 0.5], 4),  # parallel lines
        ([[0.0], [0.0]], [0.0], 1),  # a unit that is identically 0
    ],
)
def test_degenerate_arrangements(W, b, expected):
    params = one_layer(W, b)
    regions = region_polygons(params, BOX)
    assert count_regions_2d(params, BOX) == len(regions) == expected
    assert sum(area(v) for v, _ in regions) == pytest.approx(4.0, rel=1e-12)
    assert all(area(v) > 1e-3 for v, _ in regions)  # no slivers


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 16))
def test_many_lines_through_one_point_give_2n_regions_despite_rounding(seed, n):
    # the lines pass through p only up to float64 rounding: without the tolerance the
    # counter would see tiny triangles around p (with no tolerance at all it counted up to
    # 2.5 times too many regions)
    rng = np.random.default_rng(seed)
    p = rng.uniform(-0.5, 0.5, 2) / 3.0
    angles = rng.uniform(0.0, np.pi, n)
    W = np.stack([np.cos(angles), np.sin(angles)]) * rng.uniform(0.1, 10.0, n)
    b = -(p @ W)
    regions = region_polygons(one_layer(W, b), BOX)
    assert len(regions) == 2 * n
    assert sum(area(v) for v, _ in regions) == pytest.approx(4.0, rel=1e-12)


def test_patterns_of_the_two_axes():
    regions = region_polygons(one_layer(np.eye(2), [0.0, 0.0]), BOX)
    for v, pattern in regions:
        centre = v.mean(axis=0)
        assert pattern.tolist() == [bool(centre[0] > 0), bool(centre[1] > 0)]
        assert area(v) == pytest.approx(1.0, rel=1e-12)


def test_network_without_hidden_layer_has_one_region():
    regions = region_polygons([layer([[1.0], [2.0]], [3.0])], (0, 2, 0, 1))
    assert len(regions) == 1
    v, pattern = regions[0]
    assert pattern.shape == (0,)
    np.testing.assert_allclose(v, [[0, 0], [2, 0], [2, 1], [0, 1]])


# ---------------------------------------------------------------- deep networks


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    widths=st.lists(st.integers(1, 9), min_size=1, max_size=3),
)
def test_polygons_agree_with_an_independent_forward_pass(seed, widths):
    params = random_mlp(seed, [2, *widths, 1])
    box = (-1.5, 1.0, -0.5, 2.0)
    regions = region_polygons(params, box)
    patterns = [p.tobytes() for _, p in regions]
    # one polygon per pattern, convex and counter-clockwise, tiling the box
    assert len(set(patterns)) == len(regions) == count_regions_2d(params, box)
    areas = np.array([area(v) for v, _ in regions])
    assert np.all(areas > 0)
    assert areas.sum() == pytest.approx(2.5 * 2.5, rel=1e-9)
    for v, _ in regions:
        e = np.roll(v, -1, axis=0) - v
        turn = e[:, 0] * np.roll(e[:, 1], -1) - e[:, 1] * np.roll(e[:, 0], -1)
        assert np.all(turn >= -1e-9)
    # each polygon's centroid has the polygon's pattern
    centroids = np.array([v.mean(axis=0) for v, _ in regions])
    _, pats, margin = forward(params, centroids)
    for (_, p), q, m in zip(regions, pats, margin, strict=True):
        if m > 1e-7:
            assert np.array_equal(p, q)
    # every random point lies in the polygon carrying its pattern
    rng = np.random.default_rng(seed % 1000)
    pts = rng.uniform([box[0], box[2]], [box[1], box[3]], size=(400, 2))
    _, pats, margin = forward(params, pts)
    lookup = dict(zip(patterns, regions, strict=True))
    for x, q, m in zip(pts, pats, margin, strict=True):
        if m > 1e-7:
            v, _ = lookup[q.tobytes()]
            assert inside_convex(v, x, 1e-9)


@pytest.mark.parametrize("seed, widths", [(0, [8, 8]), (1, [16, 4, 8]), (2, [12])])
def test_dense_grid_never_finds_more_patterns_than_the_exact_count(seed, widths):
    params = random_mlp(seed, [2, *widths, 1])
    exact = {p.tobytes() for _, p in region_polygons(params, BOX)}
    g = np.linspace(-1.0, 1.0, 301)
    xy = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    _, pats, margin = forward(params, xy)
    seen = {q.tobytes() for q, m in zip(pats, margin, strict=True) if m > 1e-9}
    assert seen <= exact
    assert len(seen) <= count_regions_2d(params, BOX)
    # and the grid does find most of them (not a test that cannot fail)
    assert len(seen) >= 0.8 * len(exact)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(0.01, 100.0))
def test_count_is_invariant_under_rescaling_and_permuting_units(seed, scale):
    params = random_mlp(seed, [2, 6, 5, 1])
    (W1, b1), (W2, b2), (W3, b3) = params
    perm = np.random.default_rng(seed).permutation(6)
    # relu(s z) = s relu(z) for s > 0: scale unit j of layer 1, unscale its outgoing weights
    s = scale * np.linspace(0.5, 2.0, 6)
    same = [
        layer((W1 * s)[:, perm], (b1 * s)[perm]),
        layer((W2 / s[:, None])[perm], b2),
        layer(W3, b3),
    ]
    np.testing.assert_allclose(forward(same, np.ones((1, 2)))[0], forward(params, np.ones((1, 2)))[0], rtol=1e-9)
    assert count_regions_2d(same, BOX) == count_regions_2d(params, BOX)


def test_accepts_jax_arrays_and_tuples():
    params = [(jnp.asarray(W, jnp.float32), jnp.asarray(b, jnp.float32)) for W, b in random_mlp(3, [2, 5, 1])]
    as_np = [layer(np.asarray(W), np.asarray(b)) for W, b in params]
    assert count_regions_2d(tuple(params), BOX) == count_regions_2d(as_np, BOX)


def test_zero_biases_give_cones_through_the_origin():
    # a positively homogeneous network: every region is a cone with apex 0
    params = [(W, np.zeros_like(b)) for W, b in random_mlp(4, [2, 10, 10, 1])]
    for v, _ in region_polygons(params, BOX):
        assert inside_convex(v, np.zeros(2), 1e-9)
        assert np.min(np.linalg.norm(v, axis=1)) < 1e-9


# ---------------------------------------------------------------- constructions


@pytest.mark.parametrize("k", [0, 1, 2, 3, 5, 8])
def test_sawtooth_is_the_composed_tent_map(k):
    params = sawtooth_params(k)
    assert [W.shape for W, _ in params] == ([(1, 2)] + [(2, 2)] * (k - 1) + [(2, 1)] if k else [(1, 1)])
    x = np.linspace(0.0, 1.0, 2 ** (k + 4) + 1)  # dyadic: contains every breakpoint
    np_params = [layer(np.asarray(W), np.asarray(b)) for W, b in params]
    y = forward(np_params, x[:, None])[0][:, 0]
    np.testing.assert_allclose(y, tent_numpy(x, k), rtol=0, atol=1e-12)
    y32 = np.asarray(jax.jit(mlp_apply)(params, jnp.asarray(x[:, None], jnp.float32)))[:, 0]
    np.testing.assert_allclose(y32, y, rtol=0, atol=1e-5)
    # 2^k pieces: slopes on the grid are +-2^k and change sign 2^k - 1 times
    slopes = np.diff(y) / np.diff(x)
    np.testing.assert_allclose(np.abs(slopes), 2.0**k, rtol=1e-9)
    assert 1 + np.count_nonzero(np.diff(np.sign(slopes))) == 2**k


@pytest.mark.parametrize("k", [1, 2, 4, 6])
def test_sawtooth_regions_and_pieces_number_2_to_the_k(k):
    params = [layer(np.asarray(W), np.asarray(b)) for W, b in sawtooth_params(k)]
    assert count_pieces_1d(params, 0.0, 1.0) == 2**k
    # the same network, fed (x, y) and ignoring y: vertical strips of [0, 1]^2
    (W1, b1), *rest = params
    params_2d = [layer(np.vstack([W1, np.zeros_like(W1)]), b1), *rest]
    regions = region_polygons(params_2d, (0.0, 1.0, 0.0, 1.0))
    assert len(regions) == 2**k
    widths = sorted(v[:, 0].max() - v[:, 0].min() for v, _ in regions)
    np.testing.assert_allclose(widths, 2.0**-k, rtol=1e-9)


@pytest.mark.parametrize("m", [0, 1, 2, 3, 4, 6, 8])
def test_yarotsky_error_is_2_to_the_minus_2m_minus_2(m):
    params = yarotsky_square_params(m)
    assert [W.shape[1] for W, _ in params] == [3] * m + [1]
    np_params = [layer(np.asarray(W), np.asarray(b)) for W, b in params]
    x = np.linspace(0.0, 1.0, 2 ** (m + 6) + 1)  # contains every knot and midpoint
    err = forward(np_params, x[:, None])[0][:, 0] - x**2
    np.testing.assert_allclose(np.abs(err).max(), 2.0 ** (-2 * m - 2), rtol=1e-12)
    assert np.all(err >= -1e-15)  # the interpolant of a convex function lies above it
    knots = x[:: 2**6]
    np.testing.assert_allclose(forward(np_params, knots[:, None])[0][:, 0], knots**2, atol=1e-15)
    assert max(float(jnp.max(jnp.abs(W))) for W, _ in params) <= 4.0


def test_yarotsky_in_float32_with_mlp_apply():
    x = jnp.linspace(0.0, 1.0, 4097)[:, None]
    for m in (2, 5):
        err = jnp.max(jnp.abs(mlp_apply(yarotsky_square_params(m), x) - x**2))
        np.testing.assert_allclose(float(err), 2.0 ** (-2 * m - 2), rtol=1e-3)
    assert yarotsky_square_params(2, dtype=jnp.bfloat16)[0][0].dtype == jnp.bfloat16


def test_arrangement_bound_matches_the_sum_of_binomials():
    for n in range(0, 30):
        for d in (1, 2, 3):
            assert arrangement_bound(n, d) == sum(math.comb(n, j) for j in range(d + 1))
    assert arrangement_bound(64) == 1 + 64 + 64 * 63 // 2


# ---------------------------------------------------------------- bad input

GOOD = one_layer(np.eye(2), [0.0, 0.0])


@pytest.mark.parametrize(
    "params, error, match",
    [
        ([], ValueError, r"params must be a non-empty list of \(W, b\) pairs .*got an empty list"),
        ("abc", TypeError, "non-empty list"),
        ([np.eye(2)], TypeError, r"params\[0\] must be a \(W, b\) pair"),
        ([layer(np.ones((3, 2)), [0, 0])], ValueError, r"n_in = 2.*got shape \(3, 2\)"),
        ([layer(np.ones((2, 2)), [0, 0, 0])], ValueError, r"b must have shape \(2,\)"),
        (
            [layer(np.ones((2, 2)), [0, 0]), layer(np.ones((3, 1)), [0])],
            ValueError,
            r"params\[1\] W must have n_in = previous n_out.*\(2, n_out\)",
        ),
        ([layer([[np.nan], [0]], [0])], ValueError, "non-finite"),
        ([(np.array([["a"], ["b"]]), np.zeros(1))], TypeError, "real numbers"),
    ],
)
def test_bad_params(params, error, match):
    with pytest.raises(error, match=match):
        count_regions_2d(params, BOX)
    with pytest.raises(error, match=match):
        region_polygons(params, BOX)


@pytest.mark.parametrize(
    "box, error, match",
    [
        ((0, 1, 0), ValueError, "four real numbers"),
        ((1, 0, 0, 1), ValueError, "xmin < xmax"),
        ((0, 1, 1, 1), ValueError, "ymin < ymax"),
        ((0, np.inf, 0, 1), ValueError, r"box\[1\] must be a finite real number, got inf"),
        (("a", "b", "c", "d"), TypeError, r"box\[0\] must be a finite real number, got str 'a'"),
        ("abcd", TypeError, "box must be four real numbers"),
    ],
)
def test_bad_box(box, error, match):
    with pytest.raises(error, match=match):
        count_regions_2d(GOOD, box)


def test_bad_rtol():
    with pytest.raises(ValueError, match=r"rtol must be a number in \[0, 0.001\), got 0.1"):
        count_regions_2d(GOOD, BOX, rtol=0.1)
    with pytest.raises(TypeError, match=r"rtol must be a number in \[0, 0.001\), got str 'small'"):
        region_polygons(GOOD, BOX, rtol="small")


def test_one_tolerance_name_and_default_in_1d_and_2d():
    """Both dimensions take ``rtol`` with the one default ``DEFAULT_RTOL`` (the 2D ``tol`` is gone)."""
    import inspect

    from relulab import regions

    for fn in (
        regions.count_regions_2d,
        regions.region_polygons,
        regions.count_pieces_1d,
        regions.pieces_1d,
        regions.breakpoints_1d,
        regions.unit_switches_1d,
    ):
        params = inspect.signature(fn).parameters
        assert "tol" not in params and params["rtol"].default == regions.DEFAULT_RTOL, fn.__name__
    assert not hasattr(regions, "DEFAULT_TOL_2D") and not hasattr(regions, "DEFAULT_RTOL_1D")


@pytest.mark.parametrize("fn, name", [(sawtooth_params, "k"), (yarotsky_square_params, "m")])
def test_bad_levels(fn, name):
    with pytest.raises(ValueError, match=rf"{name} must be a non-negative integer \(>= 0\), got -1"):
        fn(-1)
    with pytest.raises(TypeError, match=rf"{name} must be a non-negative integer \(>= 0\), got float 2.0"):
        fn(2.0)


def test_bad_arrangement_bound():
    with pytest.raises(ValueError, match=r"n_units must be a non-negative integer \(>= 0\), got -1"):
        arrangement_bound(-1)
    with pytest.raises(TypeError, match=r"n_inputs must be a positive integer \(>= 1\), got float 2.5"):
        arrangement_bound(3, 2.5)


def test_constructions_are_importable_from_regions_and_their_own_module():
    from relulab import constructions, regions

    assert regions.sawtooth_params is constructions.sawtooth_params
    assert regions.yarotsky_square_params is constructions.yarotsky_square_params
