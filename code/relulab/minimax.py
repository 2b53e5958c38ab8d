r"""Best uniform (minimax) fits: the smallest maximum error a fixed set of features can reach.

For features :math:`\phi_1, \dots, \phi_p` sampled at points :math:`x_1, \dots, x_m`, the coefficients
that minimise :math:`\max_i |\sum_j c_j \phi_j(x_i) - y_i|` solve a small linear program (minimise
:math:`t` subject to :math:`-t \le \Phi c - y \le t`): :func:`chebyshev_fit` solves it exactly, with
SciPy's HiGHS solver. For a network with one hidden layer and its hidden units fixed (ReLU kinks at
given positions, say), the output weights and bias are such coefficients, so the best uniform fit
of a given set of units is exact; :func:`minimax_search` then searches the units over a finite set
of candidates, exactly (every candidate that could beat the best one found is solved), and can
refine the winner locally.

>>> import numpy as np
>>> x = np.linspace(0.0, 1.0, 101)
>>> coef, err = chebyshev_fit(np.c_[np.ones_like(x), x], x**2)   # the best line for x^2 on [0, 1]
>>> np.round(coef, 6).tolist(), round(err, 6)
([-0.125, 1.0], 0.125)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import linprog, minimize  # type: ignore[import-untyped]

from . import _validate

__all__ = ["chebyshev_fit", "minimax_search"]


def _matrix_and_target(features: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    _validate.real_dtype(features, "features")
    _validate.real_dtype(y, "y")
    A = np.asarray(features, dtype=np.float64)
    _validate.shape(A, "features", ("points", "features"), nonempty=True)
    y = np.asarray(y, dtype=np.float64)
    _validate.shape(y, "y", (A.shape[0],), why=f"to match features of shape {A.shape}")
    _validate.check(
        np.all(np.isfinite(A)) and np.all(np.isfinite(y)), "features and y", "be finite", "non-finite values"
    )
    return A, y


def chebyshev_fit(features: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, float]:
    r"""Coefficients ``c`` minimising ``max(abs(features @ c - y))``, and that maximum error.

    Args:
        features: array of shape ``(m, p)``, one column per feature sampled at ``m`` points.
        y: the target at the same points, shape ``(m,)``.

    Returns:
        ``(c, err)``: the coefficients, shape ``(p,)``, and the smallest maximum error (a linear
        program, solved to HiGHS's tolerance, about ``1e-9``).

    >>> import numpy as np
    >>> x = np.linspace(0.0, 1.0, 201)
    >>> relu = lambda z: np.maximum(z, 0.0)
    >>> round(chebyshev_fit(np.c_[np.ones_like(x), relu(x - 0.2), relu(x - 0.6)], x**2)[1], 4)
    0.02
    """
    A, y = _matrix_and_target(features, y)
    m, p = A.shape
    ones = np.ones((m, 1))
    result = linprog(
        np.r_[np.zeros(p), 1.0],
        A_ub=np.block([[A, -ones], [-A, -ones]]),
        b_ub=np.r_[y, -y],
        bounds=[(None, None)] * p + [(0.0, None)],
        method="highs",
    )
    if not result.success:  # pragma: no cover - a bounded, feasible LP always solves
        raise RuntimeError(f"the linear program failed: {result.message}")
    return result.x[:p], float(result.x[-1])


def minimax_search(
    features_of: Callable[[np.ndarray], np.ndarray],
    candidates: ArrayLike,
    y: ArrayLike,
    *,
    refine: bool = False,
) -> tuple[np.ndarray, np.ndarray, float]:
    r"""The candidate whose features fit ``y`` with the smallest maximum error, optionally refined.

    Exact over the candidates: a candidate's least-squares fit has a root-mean-square error that is a
    lower bound on its minimax error, so the candidates are taken in order of that bound and
    :func:`chebyshev_fit` is solved for each until the bound reaches the best error found; the
    others cannot do better. With ``refine``, Nelder-Mead then moves the winner's parameters
    continuously (each step an exact :func:`chebyshev_fit`), which can only lower the error.

    Args:
        features_of: maps a parameter vector (one row of ``candidates``: kink positions, say) to
            the feature matrix of shape ``(m, p)`` at the sample points.
        candidates: array of shape ``(n, k)``, ``n >= 1`` parameter vectors.
        y: the target at the sample points, shape ``(m,)``.
        refine: polish the best candidate with Nelder-Mead.

    Returns:
        ``(params, coef, err)``: the best parameter vector, its coefficients and its maximum error.

    >>> import numpy as np
    >>> x = np.linspace(0.0, 1.0, 201)
    >>> kinks = np.linspace(0.0, 1.0, 11)[:, None]                 # one ReLU unit, kink on a grid
    >>> params, coef, err = minimax_search(lambda k: np.c_[np.ones_like(x), x, np.maximum(x - k[0], 0)],
    ...                                    kinks, x**2, refine=False)
    >>> float(params[0]), round(err, 5)                            # two pieces of length 1/2: 1/32
    (0.5, 0.03125)
    """
    features_of = _validate.function(features_of, "features_of")
    _validate.real_dtype(candidates, "candidates")
    cands = np.asarray(candidates, dtype=np.float64)
    _validate.shape(cands, "candidates", ("n", "k"), nonempty=True)
    refine = _validate.boolean(refine, "refine")
    _validate.real_dtype(y, "y")
    target = np.asarray(y, dtype=np.float64)

    A, target = _matrix_and_target(np.concatenate([features_of(c) for c in cands]), np.tile(target, len(cands)))
    A = A.reshape(len(cands), -1, A.shape[1])
    target = target[: A.shape[1]]
    residual = np.einsum("nij,nj->ni", A, np.linalg.pinv(A) @ target) - target
    lower = np.sqrt(np.mean(residual**2, axis=1))
    best_params, best_coef, best_err = cands[0], np.zeros(0), np.inf
    for i in np.argsort(lower, kind="stable"):
        if lower[i] >= best_err:
            break
        coef, err = chebyshev_fit(features_of(cands[i]), target)
        if err < best_err:
            best_params, best_coef, best_err = cands[i], coef, err
    if refine:
        result = minimize(
            lambda p: chebyshev_fit(features_of(p), target)[1],
            best_params,
            method="Nelder-Mead",
            options={"xatol": 1e-5, "fatol": 1e-9},
        )
        if result.fun < best_err:
            best_params = np.asarray(result.x)
            best_coef, best_err = chebyshev_fit(features_of(best_params), target)
    return np.asarray(best_params), best_coef, best_err
