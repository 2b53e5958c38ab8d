"""relulab.minimax against closed forms: the best line and the best three-piece fits of x^2."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from relulab import minimax

X = np.linspace(0.0, 1.0, 201)


def relu(z):
    return np.maximum(z, 0.0)


def test_best_line_for_x_squared_is_the_chebyshev_one():
    coef, err = minimax.chebyshev_fit(np.c_[np.ones_like(X), X], X**2)
    np.testing.assert_allclose(coef, [-0.125, 1.0], atol=1e-9)
    assert err == pytest.approx(0.125, abs=1e-9)


def test_error_equioscillates_and_matches_an_independent_check():
    features = np.c_[np.ones_like(X), X, relu(X - 0.37)]
    coef, err = minimax.chebyshev_fit(features, X**2)
    residual = features @ coef - X**2
    assert np.max(np.abs(residual)) == pytest.approx(err, abs=1e-9)
    # no random perturbation of the coefficients does better
    rng = np.random.default_rng(0)
    for delta in rng.normal(0.0, 1e-3, (200, 3)):
        assert np.max(np.abs(features @ (coef + delta) - X**2)) >= err - 1e-12


def test_two_relu_units_reach_one_fiftieth_at_kinks_two_and_six_tenths():
    # three pieces, the first constant: t^2/2 = h^2/8 with t + 2h = 1 gives t = 1/5, error 1/50
    kinks = np.linspace(-0.05, 1.05, 23)
    units = [(k, s) for k in kinks for s in (1.0, -1.0)]
    cands = np.array([u + v for u, v in itertools.combinations(units, 2)])

    def features(p):
        return np.c_[np.ones_like(X), relu(p[1] * (X - p[0])), relu(p[3] * (X - p[2]))]

    params, coef, err = minimax.minimax_search(features, cands, X**2)
    assert err == pytest.approx(1 / 50, abs=1e-9)
    np.testing.assert_allclose(sorted([params[0], params[2]]), [0.2, 0.6], atol=1e-12)
    # exact over the candidates: no candidate does better (brute force on a subsample)
    for c in cands[::37]:
        assert minimax.chebyshev_fit(features(c), X**2)[1] >= err - 1e-9


def test_refine_never_worsens():
    cands = np.array([[0.45]])

    def features(p):
        return np.c_[np.ones_like(X), X, relu(X - p[0])]

    _, _, err0 = minimax.minimax_search(features, cands, X**2)
    params, _, err1 = minimax.minimax_search(features, cands, X**2, refine=True)
    assert err1 <= err0
    assert err1 == pytest.approx(1 / 32, abs=1e-6)
    assert params[0] == pytest.approx(0.5, abs=1e-3)


def test_bad_input():
    with pytest.raises(ValueError, match="y must have shape"):
        minimax.chebyshev_fit(np.ones((3, 2)), np.ones(4))
    with pytest.raises(TypeError, match="features"):
        minimax.chebyshev_fit(np.ones((3, 2), bool), np.ones(3))
    with pytest.raises(ValueError, match="finite"):
        minimax.chebyshev_fit(np.full((3, 2), np.nan), np.ones(3))
    with pytest.raises(TypeError, match="features_of"):
        minimax.minimax_search(3, np.ones((1, 1)), np.ones(3))
    with pytest.raises(ValueError, match="candidates"):
        minimax.minimax_search(lambda p: np.ones((3, 1)), np.ones(3), np.ones(3))
