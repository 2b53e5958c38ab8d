"""Test configuration shared by every test module.

* Warnings are errors (also set in ``pyproject.toml``'s ``filterwarnings``).
* JAX runs on the CPU and refuses implicit dtype promotion between
  non-weak types (``jax_numpy_dtype_promotion="strict"``), so the library
  cannot silently mix int and float arrays. Rank promotion stays allowed on
  purpose: the book's notation ``x @ W + b`` broadcasts a bias of shape
  ``(n_out,)`` over the batch.
* The repository root and ``_ext/`` are importable (``pythonpath`` in ``pyproject.toml``): the
  tests use the build tools of ``tools/`` (toc, chapter runner) and the Sphinx extensions.
* Under ``CI=true`` a skipped test fails (:mod:`tools.ci_skips`): CI installs everything the
  tests need, so a skip there would hide a test that did not run.
* Long tests run first: chapter executions, then tests marked ``slow`` (and the
  training doctests, marked here), then the rest. With ``pytest -n 2`` (and the
  ``--dist worksteal`` of ``pyproject.toml``) the two workers then finish together
  instead of one waiting for a long test picked up last. ``-m "not slow and not
  chapters"`` gives a quick run.
"""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import matplotlib  # noqa: E402
import pytest  # noqa: E402

from tools.ci_skips import pytest_make_collect_report, pytest_runtest_makereport  # noqa: E402, F401

matplotlib.use("Agg")
jax.config.update("jax_numpy_dtype_promotion", "strict")

# Doctests that train networks for hundreds of steps (seconds each, like the slow tests).
SLOW_DOCTESTS = {"relulab.train", "relulab.train._fit.fit", "relulab.train._sweep.sweep"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.name in SLOW_DOCTESTS:
            item.add_marker(pytest.mark.slow)

    def rank(item):
        if item.get_closest_marker("chapters"):
            return 0
        return 1 if item.get_closest_marker("slow") else 2

    items.sort(key=rank)  # stable: the order within each group is kept
