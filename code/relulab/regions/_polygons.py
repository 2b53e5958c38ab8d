"""Exact convex-polygon splitting behind :func:`relulab.regions.count_regions_2d`.

Private module: the public API lives in :mod:`relulab.regions`.

Algorithm
---------
A region is a convex polygon ``V`` (vertices in counter-clockwise order, shape
``(k, 2)``) together with the affine map ``x -> x @ A + c`` that the network's
current hidden layer computes on it (``A`` of shape ``(2, d)``, ``c`` of shape
``(d,)``). For the next hidden layer ``(W, b)`` every unit ``j`` has the
pre-activation ``z_j(x) = x @ (A W)[:, j] + (c W + b)[j]``, which is *affine on
the region*, so its zero set is a straight line. Splitting the polygon by each of
these lines in turn (Sutherland-Hodgman clipping of a convex polygon against a
half-plane) gives convex pieces on which every unit of the layer has a constant
sign. On a piece with activation mask ``m`` the layer's output is again affine,
``x @ (A W * m) + (c W + b) * m``, and the procedure repeats with the next layer.
The last layer is linear and creates no regions.

For speed the splitting is vectorised over regions rather than over lines: all
polygons are stored in one padded array ``(P, K, 2)`` (rows past a polygon's
vertex count repeat its first vertex), and the units of a layer are taken one at
a time, each splitting *every* polygon its line crosses in one batch of NumPy
operations. The work is then a few dozen array operations per hidden unit,
whatever the number of regions.

Because every piece of a split differs from its sibling in the sign of the unit
that split them, no two final pieces share an activation pattern: each pattern's
set of inputs is an intersection of half-planes, hence convex and connected, so
"activation region" and "distinct realised pattern" are the same thing here.

Tolerance
---------
All arithmetic is ``float64``. The value of ``z_j`` at a vertex ``x`` is
classified as positive, negative or zero with the absolute tolerance

    rtol * (|x| @ |A|_j + |c|_j) + 100 * eps * R * sum(|A|_j),

where ``|A|_j``, ``|c|_j`` are the same products and sums that give ``z_j`` but
taken with absolute values of every weight, bias and coefficient (so that
cancellation inside a deep layer does not shrink the tolerance below the
rounding error it leaves behind), ``eps`` is float64's machine epsilon and ``R``
the largest absolute coordinate of the box (the second term covers the rounding
of vertices computed on long edges of a large box). A line splits a polygon only when some vertex is strictly
positive and some strictly negative, so a line that merely touches a vertex or
runs along an edge (up to the tolerance) does not create a zero-area sliver. A
unit whose pre-activation is within the tolerance of zero on a whole piece counts
as inactive (``relu(0) = 0``). Genuine regions thinner than about the tolerance
can therefore be merged with a neighbour; with the default ``rtol = 1e-9`` that
happens only for (near-)coincident lines.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._rtol import DEFAULT_RTOL

FLOOR_EPS = 100.0


def box_polygon(box: Sequence[float]) -> np.ndarray:
    """The box ``(xmin, xmax, ymin, ymax)`` as a counter-clockwise ``(4, 2)`` array."""
    xmin, xmax, ymin, ymax = box
    return np.array([[xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax]], dtype=np.float64)


def polygon_area(vertices: np.ndarray) -> float:
    """Signed shoelace area of a polygon given in order (positive if counter-clockwise)."""
    x, y = vertices[:, 0], vertices[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _pad_to(v: np.ndarray, k: int) -> np.ndarray:
    """Pad the vertex axis of ``v`` (``(P, K, 2)``) to ``k`` with copies of vertex 0."""
    extra = k - v.shape[1]
    if extra <= 0:
        return v
    return np.concatenate([v, np.repeat(v[:, :1], extra, axis=1)], axis=1)


def _split_batch(
    v: np.ndarray, nv: np.ndarray, z: np.ndarray, pos: np.ndarray, neg: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split ``S`` convex polygons, each by its own line, into two pieces.

    Sutherland-Hodgman clipping against both half-planes, vectorised over the
    polygons. New vertices are placed where an edge changes sign *strictly*; a
    vertex within the tolerance of the line (neither ``pos`` nor ``neg``) belongs
    to both pieces. Vertex order (counter-clockwise) is preserved.

    Args:
        v: ``(S, K)`` padded vertices, shape ``(S, K, 2)``; rows past ``nv`` repeat vertex 0.
        nv: ``(S,)`` vertex counts.
        z: ``(S, K)`` values of each polygon's line at its vertices.
        pos, neg: ``(S, K)`` strict classification ``z > t`` and ``z < -t``, ``t`` the vertex's tolerance;
            every row has at least one of each.

    Returns:
        ``(v_plus, nv_plus, v_minus, nv_minus)``, padded the same way.
    """
    s, k = z.shape
    idx = np.arange(k)
    valid = idx < nv[:, None]
    nxt = np.where(idx + 1 < nv[:, None], idx + 1, 0)
    z_next = np.take_along_axis(z, nxt, axis=1)
    pos_next = np.take_along_axis(pos, nxt, axis=1)
    neg_next = np.take_along_axis(neg, nxt, axis=1)
    cross = valid & ((pos & neg_next) | (neg & pos_next))
    denom = np.where(cross, z - z_next, 1.0)
    t = np.where(cross, z / denom, 0.0)
    v_next = np.take_along_axis(v, nxt[:, :, None], axis=1)
    inter = v + t[:, :, None] * (v_next - v)
    both = np.empty((s, 2 * k, 2), dtype=np.float64)
    both[:, 0::2] = v
    both[:, 1::2] = inter
    out: list[np.ndarray] = []
    for keep_vertex in (valid & ~neg, valid & ~pos):
        keep = np.empty((s, 2 * k), dtype=bool)
        keep[:, 0::2] = keep_vertex
        keep[:, 1::2] = cross
        count = keep.sum(axis=1)
        kmax = int(count.max())
        order = np.argsort(~keep, axis=1, kind="stable")[:, :kmax]
        g = np.take_along_axis(both, order[:, :, None], axis=1)
        inside = (np.arange(kmax) < count[:, None])[:, :, None]
        out += [np.where(inside, g, g[:, :1]), count]
    return out[0], out[1], out[2], out[3]


def _split_layer(
    v: np.ndarray,
    nv: np.ndarray,
    a: np.ndarray,
    c: np.ndarray,
    a_abs: np.ndarray,
    c_abs: np.ndarray,
    rtol: float,
    floor: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split every region by the zero lines of one layer's units.

    Args:
        v: ``(R, K, 2)`` padded convex polygons, ``nv`` their ``(R,)`` vertex counts.
        a: ``(R, 2, n)`` gradients of the layer's ``n`` pre-activations on each region.
        c: ``(R, n)`` their offsets, so ``z_j(x) = x @ a[r, :, j] + c[r, j]`` on region ``r``.
        a_abs, c_abs: the same as ``a`` and ``c`` computed with absolute values.
        rtol, floor: the tolerance at vertex ``x`` is
            ``rtol * (|x| @ a_abs + c_abs) + floor * |a_abs|_1`` (module docstring).

    Returns:
        ``(v, nv, parent, active)`` for the pieces: polygons, vertex counts, the
        index of the region each piece came from, and the ``(P, n)`` boolean
        activation pattern of the layer on each piece.
    """
    r, n = c.shape
    # Which lines cross which regions, and each unit's sign where it does not.
    z_r = v[:, :, :1] * a[:, None, 0, :] + v[:, :, 1:] * a[:, None, 1, :] + c[:, None, :]
    av = np.abs(v)
    t_r = (
        rtol * (av[:, :, :1] * a_abs[:, None, 0, :] + av[:, :, 1:] * a_abs[:, None, 1, :] + c_abs[:, None, :])
        + floor * a_abs.sum(axis=1)[:, None, :]
    )
    any_pos = (z_r > t_r).any(axis=1)
    crosses = any_pos & (z_r < -t_r).any(axis=1)
    del z_r, t_r, av
    units = np.flatnonzero(crosses.any(axis=0))
    if units.size == 0:
        return v, nv, np.arange(r), any_pos
    # Growable storage for the pieces; a piece starts as its whole region.
    cap, kcap = 2 * r + 16, v.shape[1]
    V = np.empty((cap, kcap, 2))
    V[:r] = v
    NV = np.empty(cap, dtype=nv.dtype)
    NV[:r] = nv
    PAR = np.empty(cap, dtype=np.intp)
    PAR[:r] = np.arange(r)
    ACT = np.empty((cap, n), dtype=bool)
    ACT[:r] = any_pos
    p = r
    a_t = np.ascontiguousarray(a.transpose(2, 0, 1))
    c_t = np.ascontiguousarray(c.T)
    a_abs_t = np.ascontiguousarray(a_abs.transpose(2, 0, 1))
    c_abs_t = np.ascontiguousarray(c_abs.T)
    crosses_t = np.ascontiguousarray(crosses.T)
    for j in units:
        # only pieces of regions that line j crosses can be split by it
        cand = np.flatnonzero(crosses_t[j][PAR[:p]])
        par = PAR[cand]
        aj = a_t[j][par]
        vv = V[cand]
        z = vv[:, :, 0] * aj[:, :1] + vv[:, :, 1] * aj[:, 1:] + c_t[j][par][:, None]
        aj_abs = a_abs_t[j][par]
        tj = (
            rtol
            * (np.abs(vv[:, :, 0]) * aj_abs[:, :1] + np.abs(vv[:, :, 1]) * aj_abs[:, 1:] + c_abs_t[j][par][:, None])
            + floor * aj_abs.sum(axis=1)[:, None]
        )
        pos = z > tj
        neg = z < -tj
        ap = pos.any(axis=1)
        ACT[cand, j] = ap
        split = ap & neg.any(axis=1)
        sel = cand[split]
        m = sel.size
        if m == 0:
            continue
        vp, nvp, vm, nvm = _split_batch(vv[split], NV[sel], z[split], pos[split], neg[split])
        k = max(vp.shape[1], vm.shape[1])
        if k > kcap:
            V = _pad_to(V, k + 2)
            kcap = k + 2
        if p + m > cap:
            cap = max(2 * cap, p + m)
            V = np.concatenate([V, np.empty((cap - V.shape[0], kcap, 2))])
            NV = np.concatenate([NV, np.empty(cap - NV.shape[0], dtype=NV.dtype)])
            PAR = np.concatenate([PAR, np.empty(cap - PAR.shape[0], dtype=np.intp)])
            ACT = np.concatenate([ACT, np.empty((cap - ACT.shape[0], n), dtype=bool)])
        V[sel] = _pad_to(vp, kcap)
        NV[sel] = nvp
        ACT[sel, j] = True
        V[p : p + m] = _pad_to(vm, kcap)
        NV[p : p + m] = nvm
        PAR[p : p + m] = PAR[sel]
        ACT[p : p + m] = ACT[sel]
        ACT[p : p + m, j] = False
        p += m
    kmax = int(NV[:p].max())
    return V[:p, :kmax], NV[:p], PAR[:p], ACT[:p]


def split_network(
    layers: Sequence[tuple[np.ndarray, np.ndarray]],
    box: Sequence[float],
    rtol: float = DEFAULT_RTOL,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All activation regions of the hidden ReLU layers ``layers`` inside ``box``.

    Args:
        layers: the hidden layers only, float64 ``(W, b)`` with ``W`` of shape
            ``(n_in, n_out)``; the first has ``n_in = 2``.
        box: ``(xmin, xmax, ymin, ymax)``.
        rtol: relative tolerance (see the module docstring).

    Returns:
        ``(v, nv, patterns)``: ``v`` of shape ``(P, K, 2)`` holds the ``P`` convex
        regions, counter-clockwise, padded past their vertex counts ``nv``
        (``(P,)``) with copies of the first vertex; ``patterns`` ``(P, N)`` is the
        boolean activation pattern of all ``N`` hidden units, layer after layer.
    """
    floor = FLOOR_EPS * np.finfo(np.float64).eps * float(np.max(np.abs(np.asarray(box, np.float64))))
    v = box_polygon(box)[None]
    nv = np.array([4])
    # x @ a + c is the previous layer's output on each region; a_abs, c_abs the
    # same computed with absolute values (the scale of rounding errors).
    a = np.eye(2)[None]
    c = np.zeros((1, 2))
    a_abs, c_abs = a.copy(), c.copy()
    patterns = np.zeros((1, 0), dtype=bool)
    for w, b in layers:
        r, d = c.shape
        n = w.shape[1]
        a_l = (a.reshape(2 * r, d) @ w).reshape(r, 2, n)
        c_l = c @ w + b
        a_abs_l = (a_abs.reshape(2 * r, d) @ np.abs(w)).reshape(r, 2, n)
        c_abs_l = c_abs @ np.abs(w) + np.abs(b)
        v, nv, parent, active = _split_layer(v, nv, a_l, c_l, a_abs_l, c_abs_l, rtol, floor)
        mask = active.astype(np.float64)
        a = a_l[parent] * mask[:, None, :]
        c = c_l[parent] * mask
        a_abs = a_abs_l[parent] * mask[:, None, :]
        c_abs = c_abs_l[parent] * mask
        patterns = np.concatenate([patterns[parent], active], axis=1)
    return v, nv, patterns
