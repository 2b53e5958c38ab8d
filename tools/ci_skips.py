"""Under ``CI=true`` a skipped test is a failed test (a pytest plugin, loaded by ``tests/conftest.py``).

A test that skips because something is missing (a package, Node.js, Chromium, the npm test assets)
checks nothing; on a developer's machine that may be acceptable, and the skip is listed at the end
of the run (``-ra``). In CI everything the tests need is installed by ``.ci/run``, so a skip there
means a test did not run: these hooks turn it, and a module skipped at collection
(``pytest.importorskip``), into a failure that gives the skip's reason. Expected failures
(``xfail``) are left alone.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

__all__ = ["pytest_make_collect_report", "pytest_runtest_makereport"]


def ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _reason(longrepr: object) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (path, line, "Skipped: reason")
        return f"{longrepr[2]} ({longrepr[0]}:{longrepr[1]})"
    return str(longrepr)


def _fail(report: pytest.TestReport | pytest.CollectReport) -> None:
    report.outcome = "failed"
    report.longrepr = f"skipped under CI=true, where every test must run: {_reason(report.longrepr)}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if ci() and report.skipped and not hasattr(report, "wasxfail"):
        _fail(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, Any]:
    report = yield
    if ci() and report.skipped:
        _fail(report)
    return report
