"""Fixtures and hooks for the browser suite; the machinery is in relulab_browser.py.

Invocation: ``pytest tests/browser`` after ``make book``. Without Chromium (or
playwright, or ``npm ci`` in tests/browser, or a built site) every browser test
is skipped with one clear line; with ``CI=true`` each is a failure instead.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from relulab_browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    FIXTURES,
    IN_CI,
    LAB_METRICS,
    NODE_MODULES,
    REPO,
    SITE,
    PageReport,
    Server,
    browser_problem,
    build_report,
    discover_pages,
    lab_problem,
    site_problem,
    skip_or_fail,
    start_jupyter,
    start_server,
)

LAB_COPY = ("chapters", "jupytext.toml", "pyproject.toml")  # what a Binder checkout has that the lab tests use


def pytest_report_header(config: Any) -> str:
    problem = browser_problem() or site_problem()
    if problem is None:
        return f"browser tests: Chromium {CHROMIUM}, site {SITE}, network blocked (npm test assets in {NODE_MODULES})"
    verdict = "FAIL (CI=true)" if IN_CI else "SKIPPED"
    return f"browser tests: {verdict}: {problem}"


@pytest.fixture(scope="session")
def serve():
    """``serve(directory) -> base URL``; every server stops at the end of the session."""
    servers: list[Server] = []

    def start(directory: Path) -> str:
        server = start_server(directory)
        servers.append(server)
        return server.url

    yield start
    for s in servers:
        s.stop()


@pytest.fixture(scope="session")
def browser():
    problem = browser_problem()
    if problem:
        skip_or_fail(problem)
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield b
    b.close()
    pw.stop()


# ---------------------------------------------------- site-wide fixtures
@pytest.fixture(scope="session")
def site_url(serve):
    problem = site_problem()
    if problem:
        skip_or_fail(problem)
    return serve(SITE)


_REPORTS: dict[str, PageReport] = {}


@pytest.fixture(scope="session")
def site_report(browser, site_url):
    """``site_report(rel) -> PageReport`` (each page is loaded and checked once)."""

    def get(rel: str) -> PageReport:
        if rel not in _REPORTS:
            _REPORTS[rel] = build_report(browser, site_url, SITE, rel)
        return _REPORTS[rel]

    return get


def pytest_generate_tests(metafunc: Any) -> None:
    if "page_path" in metafunc.fixturenames:
        pages = discover_pages()
        metafunc.parametrize("page_path", pages or ["<no built site>"])


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory):
    """JupyterLab from the project environment (as postBuild set it up) serving a copy of the
    repository's chapters (``$RELULAB_LAB_SOURCE`` instead of the working tree, if set), with a
    token, on a free port; stopped at the end of the session."""
    problem = browser_problem() or lab_problem()
    if problem:
        skip_or_fail(problem)
    src = Path(os.environ.get("RELULAB_LAB_SOURCE", REPO))
    root = tmp_path_factory.mktemp("lab-root")
    for name in LAB_COPY:
        if (src / name).is_dir():
            shutil.copytree(src / name, root / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        elif (src / name).is_file():
            shutil.copy2(src / name, root / name)
    server = start_jupyter(root, tmp_path_factory.mktemp("lab-home"))
    yield server
    server.stop()


# ------------------------------------------------- running on two cores (make test-browser: -n 2 --dist loadscope)
# pytest-xdist's ``--dist loadscope`` keeps each module on one worker: the site pages (each loaded and checked once
# there), JupyterLab and Live Code (each with its server) are shared between the two cores, and nothing is done
# twice. Workers hand their page reports and JupyterLab measurements to the controller, which prints them.
def _rows() -> list[dict]:
    return [
        {
            "page": rel,
            "weight_bytes": r.weight,
            "axe": r.axe,
            "controls": [{"label": c.label, "problems": c.problems} for c in r.controls],
        }
        for rel, r in sorted(_REPORTS.items())
    ]


_FROM_WORKERS: list[dict] = []


def pytest_sessionfinish(session: Any) -> None:
    """A pytest-xdist worker hands its page reports and JupyterLab measurements to the controller."""
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["relulab_browser"] = json.dumps({"rows": _rows(), "lab": LAB_METRICS})


def pytest_testnodedown(node: Any, error: Any) -> None:
    data = getattr(node, "workeroutput", {}).get("relulab_browser")
    if data:
        _FROM_WORKERS.append(json.loads(data))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    tr = terminalreporter
    rows = _rows()
    for data in _FROM_WORKERS:
        rows += data["rows"]
        LAB_METRICS.update(data["lab"])
    rows.sort(key=lambda row: row["page"])
    if LAB_METRICS:
        tr.section("JupyterLab: Run All and live sliders per chapter")
        for chapter, m in LAB_METRICS.items():
            tr.write_line(f"{chapter:<22} " + ", ".join(f"{k}: {v}" for k, v in m.items()))
    if not rows:
        return
    tr.section("browser: page weight and axe-core results")
    tr.write_line(
        f"{'page':<40} {'own KB':>7} {'transfer KB':>11} {'raw KB':>7}  axe violations (impact: rule x nodes)"
    )
    for row in rows:
        axe = ", ".join(f"{v['impact']}: {v['id']} x{v['nodes']}" for v in row["axe"]) or "none"
        w = row["weight_bytes"]
        tr.write_line(
            f"{row['page']:<40} {w['own'] / 1024:7.0f} {w['transfer'] / 1024:11.0f} {w['raw'] / 1024:7.0f}  {axe}"
        )
    out = os.environ.get("RELULAB_BROWSER_REPORT")
    if out:
        Path(out).write_text(json.dumps(rows, indent=2))
        tr.write_line(f"report written to {out}")


@pytest.fixture(scope="session")
def fixtures_dir(tmp_path_factory):
    """A copy of tests/browser/fixtures plus pages generated from relulab.interactive."""
    d = tmp_path_factory.mktemp("browser-fixtures")
    shutil.copytree(FIXTURES, d, dirs_exist_ok=True)
    return d
