"""Tests for relulab.conv against a slow, explicit-loop numpy reference."""

from __future__ import annotations

import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relulab import conv
from relulab.activations import relu

RTOL, ATOL = 1e-5, 1e-5


# ---------------------------------------------------------------------------- slow references


def ref_pad_amounts(n: int, k: int, stride: int, padding) -> tuple[int, int]:
    """Padding on one axis, with XLA's SAME rule (extra zero at the high end)."""
    if padding == "VALID":
        return 0, 0
    if padding == "SAME":
        out = -(-n // stride)
        total = max((out - 1) * stride + k - n, 0)
        return total // 2, total - total // 2
    raise AssertionError(padding)


def ref_conv_nhwc(x, w, padding="VALID", stride=1, flip=False):
    """y[n,i,j,o] = sum_{u,v,c} xpad[n, i*s+u, j*s+v, c] * w[u,v,c,o], by explicit loops."""
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if flip:
        w = w[::-1, ::-1]
    n, h, wd, c = x.shape
    kh, kw, ci, co = w.shape
    assert ci == c
    if isinstance(padding, int):
        (pt, pb), (pl, pr) = (padding, padding), (padding, padding)
    elif isinstance(padding, tuple):
        (pt, pb), (pl, pr) = padding
    else:
        pt, pb = ref_pad_amounts(h, kh, stride, padding)
        pl, pr = ref_pad_amounts(wd, kw, stride, padding)
    xp = np.zeros((n, h + pt + pb, wd + pl + pr, c))
    xp[:, pt : pt + h, pl : pl + wd, :] = x
    ho = (xp.shape[1] - kh) // stride + 1
    wo = (xp.shape[2] - kw) // stride + 1
    y = np.zeros((n, ho, wo, co))
    for b in range(n):
        for i in range(ho):
            for j in range(wo):
                for o in range(co):
                    acc = 0.0
                    for u in range(kh):
                        for v in range(kw):
                            for ch in range(c):
                                acc += xp[b, i * stride + u, j * stride + v, ch] * w[u, v, ch, o]
                    y[b, i, j, o] = acc
    return y


def ref_max_pool_2d(x, p, s):
    h, w = x.shape
    ho, wo = (h - p) // s + 1, (w - p) // s + 1
    y = np.empty((ho, wo))
    for i in range(ho):
        for j in range(wo):
            y[i, j] = max(x[i * s + u, j * s + v] for u in range(p) for v in range(p))
    return y


# ---------------------------------------------------------------------------- convolution


@pytest.mark.parametrize("padding", ["VALID", "SAME", 1, ((0, 2), (1, 0))])
@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("flip", [False, True])
def test_conv2d_batch_matches_loop_reference(padding, stride, flip):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 7, 6, 3)).astype(np.float32)
    w = rng.normal(size=(3, 2, 3, 4)).astype(np.float32)
    got = conv.conv2d_batch(x, w, padding=padding, stride=stride, flip_kernel=flip)
    want = ref_conv_nhwc(x, w, padding, stride, flip)
    assert got.shape == want.shape
    np.testing.assert_allclose(np.asarray(got), want, rtol=RTOL, atol=ATOL)


def test_is_cross_correlation_not_convolution():
    # A single bright pixel: correlation writes the kernel rotated by 180 degrees,
    # convolution writes the kernel itself.
    delta = np.zeros((5, 5))
    delta[2, 2] = 1.0
    k = np.arange(9.0).reshape(3, 3)
    corr = np.asarray(conv.filter2d(delta, k, padding="SAME"))
    true_conv = np.asarray(conv.filter2d(delta, k, padding="SAME", flip_kernel=True))
    np.testing.assert_allclose(corr[1:4, 1:4], k[::-1, ::-1], atol=1e-6)
    np.testing.assert_allclose(true_conv[1:4, 1:4], k, atol=1e-6)


def test_conv2d_single_equals_batch_and_vmap():
    rng = np.random.default_rng(1)
    xs = rng.normal(size=(3, 6, 6, 2)).astype(np.float32)
    w = rng.normal(size=(3, 3, 2, 5)).astype(np.float32)
    batch = conv.conv2d_batch(xs, w, padding="SAME")
    single = jnp.stack([conv.conv2d_image(x, w, padding="SAME") for x in xs])
    vmapped = jax.vmap(lambda x: conv.conv2d_image(x, w, padding="SAME"))(xs)
    np.testing.assert_allclose(np.asarray(single), np.asarray(batch), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(np.asarray(vmapped), np.asarray(batch), rtol=RTOL, atol=ATOL)


def test_filter2d_matches_reference_and_is_jittable():
    rng = np.random.default_rng(2)
    img = rng.uniform(size=(9, 8))
    k = conv.get_filter("sobel_y")
    want = ref_conv_nhwc(img[None, :, :, None], k[:, :, None, None])[0, :, :, 0]
    got = jax.jit(lambda a: conv.filter2d(a, k))(jnp.asarray(img, dtype=jnp.float32))
    np.testing.assert_allclose(np.asarray(got), want, rtol=RTOL, atol=1e-5)


def test_integer_image_is_cast_and_gradients_flow():
    img = np.arange(25, dtype=np.uint8).reshape(5, 5)
    out = conv.filter2d(img, conv.get_filter("sobel_x"))
    assert jnp.issubdtype(out.dtype, jnp.floating)
    # a linear ramp along x: sobel_x gives 8 * slope = 8 everywhere
    np.testing.assert_allclose(np.asarray(out), 8.0, atol=1e-6)
    g = jax.grad(lambda k: conv.filter2d(jnp.asarray(img, dtype=jnp.float32), k).sum())(
        jnp.zeros((3, 3), dtype=jnp.float32)
    )
    # d/dk[u,v] of sum_ij x[i+u, j+v] k[u,v] = sum over the 3x3 valid windows
    want = np.array([[img[u : u + 3, v : v + 3].sum() for v in range(3)] for u in range(3)], float)
    np.testing.assert_allclose(np.asarray(g), want, rtol=1e-6)


def test_same_padding_even_kernel_puts_extra_zero_bottom_right():
    x = np.ones((1, 4, 4, 1), np.float32)
    w = np.ones((2, 2, 1, 1), np.float32)
    out = np.asarray(conv.conv2d_batch(x, w, padding="SAME"))[0, :, :, 0]
    assert out.shape == (4, 4)
    assert out[0, 0] == 4.0 and out[-1, -1] == 1.0


@settings(max_examples=25, deadline=None)
@given(
    hw=st.sampled_from([(5, 6), (7, 4)]),  # few shapes: each new shape costs a compilation
    k=st.sampled_from([1, 3]),
    seed=st.integers(0, 2**31 - 1),
)
def test_property_linear_and_reference(hw, k, seed):
    h, w = hw
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(2, h, w)).astype(np.float32)
    ker = rng.normal(size=(k, k)).astype(np.float32)
    fa, fb = conv.filter2d(a, ker), conv.filter2d(b, ker)
    fab = conv.filter2d(a + 2.0 * b, ker)
    np.testing.assert_allclose(np.asarray(fab), np.asarray(fa + 2.0 * fb), rtol=1e-4, atol=1e-4)
    want = ref_conv_nhwc(a[None, :, :, None], ker[:, :, None, None])[0, :, :, 0]
    np.testing.assert_allclose(np.asarray(fa), want, rtol=1e-4, atol=1e-4)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_property_opposite_pair_keeps_everything(seed):
    # CReLU: relu(z) - relu(-z) = z for the feature map of any filter, and
    # the negated filter's map is exactly minus the original.
    rng = np.random.default_rng(seed)
    img = rng.normal(size=(6, 6)).astype(np.float32)
    ker = rng.normal(size=(3, 3)).astype(np.float32)
    bank = conv.as_hwio([ker, -ker])
    maps = conv.conv2d_image(img[:, :, None], bank)
    z, zneg = maps[..., 0], maps[..., 1]
    np.testing.assert_allclose(np.asarray(zneg), -np.asarray(z), rtol=0, atol=1e-6)
    np.testing.assert_allclose(np.asarray(relu(z) - relu(zneg)), np.asarray(z), rtol=0, atol=1e-6)


# ---------------------------------------------------------------------------- filters


def test_filters_sums_symmetry_and_readonly():
    for name in ("sobel_x", "sobel_y", "laplacian"):
        assert conv.FILTERS[name].sum() == 0.0
    for name in ("box_blur", "gaussian_blur"):
        np.testing.assert_allclose(conv.FILTERS[name].sum(), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(conv.FILTERS["sobel_y"], conv.FILTERS["sobel_x"].T)
    for name in ("laplacian", "box_blur", "gaussian_blur"):
        f = conv.FILTERS[name]
        np.testing.assert_array_equal(f, f[::-1, ::-1])
    with pytest.raises(ValueError, match="read-only"):
        conv.FILTERS["sobel_x"][0, 0] = 5.0
    k = conv.get_filter("sobel_x")
    k[0, 0] = 5.0
    assert conv.FILTERS["sobel_x"][0, 0] == -1.0


def test_sobel_signs_on_edges():
    ramp_right = np.tile(np.arange(5.0), (5, 1))  # brighter to the right
    assert np.all(np.asarray(conv.filter2d(ramp_right, conv.get_filter("sobel_x"))) > 0)
    assert np.all(np.asarray(conv.filter2d(ramp_right.T, conv.get_filter("sobel_y"))) > 0)
    np.testing.assert_allclose(np.asarray(conv.filter2d(ramp_right, conv.get_filter("sobel_y"))), 0.0)
    # Laplacian: zero on a linear ramp, negative on a bright dot
    np.testing.assert_allclose(np.asarray(conv.filter2d(ramp_right, conv.get_filter("laplacian"))), 0.0)
    dot = np.zeros((3, 3))
    dot[1, 1] = 1.0
    assert float(conv.filter2d(dot, conv.get_filter("laplacian"))[0, 0]) == -4.0


def test_get_filter_unknown_name():
    with pytest.raises(
        ValueError, match=r"name must be one of box_blur, gaussian_blur, laplacian, sobel_x, sobel_y, got 'sobel'"
    ):
        conv.get_filter("sobel")


def test_as_hwio_layout():
    ks = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    bank = conv.as_hwio(ks)
    assert bank.shape == (3, 4, 1, 2)
    np.testing.assert_array_equal(np.asarray(bank[:, :, 0, 1]), ks[1])
    np.testing.assert_array_equal(np.asarray(conv.as_hwio(list(ks))), np.asarray(bank))


# ---------------------------------------------------------------------------- pooling, sparsity


@pytest.mark.parametrize("p,s", [(2, 2), (3, 1), (2, 3)])
def test_max_pool_matches_reference(p, s):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(7, 8)).astype(np.float32)
    got = conv.max_pool(x, p, stride=s)
    np.testing.assert_allclose(np.asarray(got), ref_max_pool_2d(x, p, s), rtol=0, atol=0)


def ref_avg_pool_2d(x, p, s):
    h, w = x.shape
    ho, wo = (h - p) // s + 1, (w - p) // s + 1
    return np.array(
        [
            [sum(x[i * s + u, j * s + v] for u in range(p) for v in range(p)) / p**2 for j in range(wo)]
            for i in range(ho)
        ]
    )


@pytest.mark.parametrize("p,s", [(2, 2), (3, 1), (2, 3)])
def test_avg_pool_matches_reference(p, s):
    x = np.random.default_rng(6).normal(size=(7, 8)).astype(np.float32)
    got = conv.avg_pool(x, p, stride=s)
    np.testing.assert_allclose(np.asarray(got), ref_avg_pool_2d(x.astype(np.float64), p, s), rtol=1e-6, atol=1e-6)


def test_avg_pool_ranks_agree_and_does_not_commute_with_relu():
    x = np.random.default_rng(7).normal(size=(2, 6, 6, 3)).astype(np.float32)
    b = np.asarray(conv.avg_pool(x))
    assert b.shape == (2, 3, 3, 3)
    np.testing.assert_allclose(np.asarray(conv.avg_pool(x[1])), b[1], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(conv.avg_pool(x[1, :, :, 2])), b[1, :, :, 2], rtol=1e-6)
    # a window [[1, -1], [-1, -1]]: relu then average is 1/4, average then relu is 0
    w = np.array([[1.0, -1.0], [-1.0, -1.0]])
    assert float(conv.avg_pool(relu(w))[0, 0]) == 0.25 and float(relu(conv.avg_pool(w))[0, 0]) == 0.0


def test_no_ambiguous_aliases_and_no_matplotlib():
    """conv2d (one image here, a CNN layer in nets) is gone: conv2d_image, conv2d_batch and
    nets.conv_layer say what they take. The module does not import matplotlib (relulab.train
    imports it through relulab.nets), checked in a fresh interpreter."""
    from relulab import nets

    assert not hasattr(conv, "conv2d") and not hasattr(nets, "conv2d")
    assert not hasattr(conv, "plot_feature_map")  # it is relulab.plots.plot_feature_map
    code = (
        "import sys, relulab.conv, relulab.nets, relulab.train, relulab.data, relulab.dead, relulab.regions; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout


def test_max_pool_ranks_agree():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 6, 6, 3)).astype(np.float32)
    b = np.asarray(conv.max_pool(x))
    assert b.shape == (2, 3, 3, 3)
    np.testing.assert_array_equal(np.asarray(conv.max_pool(x[1])), b[1])
    np.testing.assert_array_equal(np.asarray(conv.max_pool(x[1, :, :, 2])), b[1, :, :, 2])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), shift=st.floats(-1.0, 1.0))
def test_property_relu_and_max_pool_commute(seed, shift):
    x = np.random.default_rng(seed).normal(size=(6, 6)).astype(np.float32) + np.float32(shift)
    a = conv.max_pool(relu(x))
    b = relu(conv.max_pool(x))
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_active_fraction():
    assert conv.active_fraction([-1.0, 0.0, 2.0, 3.0]) == 0.5
    assert conv.active_fraction(np.arange(10), threshold=6.5) == 0.3
    z = np.random.default_rng(5).normal(size=(50, 50))
    assert conv.active_fraction(z) == pytest.approx(np.mean(z > 0), abs=1e-7)
    assert 1 - conv.active_fraction(z) == pytest.approx(np.mean(np.asarray(relu(z)) == 0), abs=1e-7)


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (
            lambda: conv.conv2d_batch(np.ones((5, 5, 1)), np.ones((3, 3, 1, 1))),
            ValueError,
            r"images must have shape \(N, H, W, C_in\) with every size >= 1, got shape \(5, 5, 1\)",
        ),
        (
            lambda: conv.conv2d_batch(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1))),
            ValueError,
            r"kernel must have shape \(kh, kw, C_in, C_out\) .* got shape \(3, 3, 1\)",
        ),
        (
            lambda: conv.conv2d_batch(np.ones((1, 5, 5, 2)), np.ones((3, 3, 1, 4))),
            ValueError,
            r"kernel must have shape \(kh, kw, 2, C_out\) to match images of shape \(1, 5, 5, 2\), "
            r"got shape \(3, 3, 1, 4\)",
        ),
        (lambda: conv.conv2d_batch(np.ones((0, 5, 5, 1)), np.ones((3, 3, 1, 1))), ValueError, r"every size >= 1"),
        (
            lambda: conv.conv2d_image(np.ones((5, 5)), np.ones((3, 3, 1, 1))),
            ValueError,
            r"image must have shape \(H, W, C_in\) with every size >= 1, got shape \(5, 5\)",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5, 1)), np.ones((3, 3))),
            ValueError,
            r"image must have shape \(H, W\) with every size >= 1, got shape \(5, 5, 1\)",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), np.ones((3, 3, 1, 1))),
            ValueError,
            r"kernel must have shape \(kh, kw\) with every size >= 1",
        ),
        (
            lambda: conv.filter2d(np.ones((2, 5)), np.ones((3, 3))),
            ValueError,
            r"kernel must have height <= the padded image height 2 \(2 \+ padding 0\+0; .*got height 3",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5), bool), np.ones((3, 3))),
            TypeError,
            r"image must be an array of real numbers, got dtype bool",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), np.ones((3, 3), complex)),
            TypeError,
            r"kernel must be an array of real numbers, got dtype complex128",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), [[1.0, 2.0], [3.0]]),
            TypeError,
            r"kernel must be an array of real numbers",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), np.ones((3, 3)), padding="FULL"),
            ValueError,
            r"padding must be 'VALID', 'SAME'.* got 'FULL'",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), np.ones((3, 3)), padding=-1),
            ValueError,
            r"padding must be 'VALID', 'SAME', a non-negative int or .*, got -1",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), np.ones((3, 3)), padding=(1, 2)),
            TypeError,
            r"padding\[0\] must be a pair \(before, after\) of non-negative ints, got int 1",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), np.ones((3, 3)), padding=((1, 1), (1, 1), (1, 1))),
            ValueError,
            r"padding must be 'VALID', 'SAME', .* with exactly 2 entries, got \(\(1, 1\), \(1, 1\), \(1, 1\)\)",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), np.ones((3, 3)), padding=((1, 1), (1, -1))),
            ValueError,
            r"padding\[1\]\[1\] must be a non-negative integer \(>= 0\), got -1",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), np.ones((3, 3)), stride=0),
            ValueError,
            r"stride must be a positive integer \(>= 1\), got 0",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), np.ones((3, 3)), stride=1.5),
            TypeError,
            r"stride must be a positive integer \(>= 1\), got float 1.5",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), np.ones((3, 3)), stride=(1, 2, 3)),
            ValueError,
            r"stride must be a positive int or a pair of them with exactly 2 entries, got \(1, 2, 3\)",
        ),
        (
            lambda: conv.filter2d(np.ones((5, 5)), np.ones((3, 3)), stride="2"),
            TypeError,
            r"stride must be a positive int or a pair of them, got str '2'",
        ),
        (lambda: conv.as_hwio(np.ones((3, 3))), ValueError, r"kernels must have shape \(K, kh, kw\)"),
        (lambda: conv.as_hwio([np.ones((3, 3)), np.ones((2, 2))]), ValueError, r"kernels must all have the same shape"),
        (
            lambda: conv.as_hwio([]),
            ValueError,
            r"kernels must be a sequence of 2D kernels with at least 1 entry, got \[\]",
        ),
        (lambda: conv.max_pool(np.ones((5,))), ValueError, r"x must have shape \(H, W\)"),
        (
            lambda: conv.max_pool(np.ones((1, 5))),
            ValueError,
            r"size must fit in the spatial size \(1, 5\), got window \(2, 2\)",
        ),
        (
            lambda: conv.max_pool(np.ones((4, 4)), 0),
            ValueError,
            r"size must be a positive integer \(>= 1\), got 0",
        ),
        (lambda: conv.active_fraction([]), ValueError, r"at least one entry"),
        (
            lambda: conv.active_fraction([1.0], threshold="0"),
            TypeError,
            r"threshold must be a real number, got str '0'",
        ),
    ],
)
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_mixed_float_dtypes_under_strict_promotion():
    # conftest sets jax_numpy_dtype_promotion="strict": float16 image with a
    # float32 kernel must not raise a promotion error.
    out = conv.filter2d(np.ones((4, 4), np.float16), np.ones((3, 3), np.float32))
    np.testing.assert_allclose(np.asarray(out), 9.0)
