"""relulab.seeding and relulab.evidence: the book seed, its streams, and the claim guard."""

from __future__ import annotations

import jax
import numpy as np
import pytest

from relulab import evidence, seeding


def _bits(key):
    return np.asarray(jax.random.key_data(key))


def test_default_seed_is_zero(monkeypatch):
    monkeypatch.delenv("RELULAB_SEED", raising=False)
    assert seeding.book_seed() == 0
    monkeypatch.setenv("RELULAB_SEED", "  ")
    assert seeding.book_seed() == 0


@pytest.mark.parametrize("raw", ["x", "1.5", "-1", "--1", "²"])
def test_bad_seed_is_a_value_error_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("RELULAB_SEED", raw)
    with pytest.raises(ValueError, match=f"RELULAB_SEED must be a non-negative integer, got {raw!r}"):
        seeding.book_seed()


def test_streams_are_stable_distinct_and_shift_with_the_seed(monkeypatch):
    monkeypatch.setenv("RELULAB_SEED", "0")
    a, b = _bits(seeding.key("race")), _bits(seeding.key("dead"))
    assert np.array_equal(a, _bits(seeding.key("race")))
    assert not np.array_equal(a, b)
    expected = _bits(jax.random.fold_in(jax.random.key(0), seeding.stream_id("race")))
    assert np.array_equal(a, expected)
    x0 = seeding.rng("split").normal(size=4)
    assert np.array_equal(x0, seeding.rng("split").normal(size=4))
    monkeypatch.setenv("RELULAB_SEED", "3")
    assert not np.array_equal(a, _bits(seeding.key("race")))
    assert not np.array_equal(x0, seeding.rng("split").normal(size=4))


def test_stream_ids_are_crc32_of_the_name_or_the_int():
    import zlib

    assert seeding.stream_id("race") == zlib.crc32(b"race") & 0x7FFFFFFF
    assert seeding.stream_id(7) == 7


@pytest.mark.parametrize(
    "bad, exc",
    [(1.0, TypeError), (True, TypeError), ("", ValueError), (" ", ValueError), (-1, ValueError), (2**31, ValueError)],
)
def test_bad_streams(bad, exc):
    with pytest.raises(exc, match=r"stream must be a stream name \(a non-empty str\) or an int in \[0, 2\*\*31\), got"):
        seeding.stream_id(bad)


def test_require_passes_and_fails_with_the_claim_id():
    evidence.require("c1", np.bool_(True), "ok")
    evidence.require("c1", np.asarray(3) > 2, "0-d array")
    with pytest.raises(evidence.ClaimNotSupported, match="'tanh-faster'.*as fast"):
        evidence.require("tanh-faster", False, "tanh reached the target at least as fast")


@pytest.mark.parametrize(
    "claim, cond, what, exc, match",
    [
        ("", True, "x", ValueError, "claim must be a non-empty string, got ''"),
        (3, True, "x", TypeError, "claim must be a non-empty string, got int 3"),
        ("c", True, "", ValueError, "what must be a non-empty string, got ''"),
        ("c", 1.0, "x", TypeError, r"condition must be True or False, or a bool array of shape \(\), got float 1.0"),
        ("c", np.array([1.0]), "x", TypeError, "condition must be True or False, .*, got dtype float64"),
        ("c", np.array([True, True]), "x", ValueError, r"condition must have shape \(\) .*, got shape \(2,\)"),
    ],
)
def test_require_rejects_malformed_input(claim, cond, what, exc, match):
    with pytest.raises(exc, match=match):
        evidence.require(claim, cond, what)
