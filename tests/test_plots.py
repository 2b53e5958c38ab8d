"""Tests for relulab.plots: the palette helpers and bad input."""

from __future__ import annotations

import pytest

from relulab import plots


def test_series_style_bad_index():
    with pytest.raises(ValueError, match=r"i must be a non-negative integer \(>= 0\), got -1"):
        plots.series_style(-1)
    with pytest.raises(TypeError, match="i must be a non-negative integer"):
        plots.series_style(1.5)
