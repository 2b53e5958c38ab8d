"""Live Code (thebe) on the built site, end to end, without Binder.

The page's "Live Code" button asks the BinderHub of ``_config.yml`` to build the repository
(``<binderhub>/build/gh/<owner>/<repo>/<branch>``, an event stream). The test answers that request
itself (Playwright routing) with one ``ready`` event that points at a Jupyter server it started
from the project environment (with a token, allowing the site's origin), then, on every chapter,
clicks Live Code and runs the visible code cells in order with their run buttons, as a reader
would, up to and including the first visible cell that uses a name only a ``remove-input`` cell
defines (``tests/chapter_names.py`` finds it; Live Code runs those hidden cells first,
``_ext/hidden_cells.py`` and ``_static/thebe/relulab-thebe.js``). No cell may end with an error or
stderr output, every hidden cell above the last cell run must have run once and without error,
and no widget may be left without its view. On continuity the run goes on until a text output
and a figure have appeared, and a cell is re-run with code whose output is Markdown with maths,
which must be typeset by the page's own MathJax (no TeX left; dollar amounts are left alone).
The network is blocked except for the site and the local server: thebe and MathJax are
self-hosted (``_extra/thebe``, ``_extra/mathjax``, checked by ``tests/test_vendored.py``), so this
is exactly what readers load.
"""

from __future__ import annotations

import json
import os
import sys
import time
from urllib.parse import urlsplit

import pytest
import yaml
from relulab_browser import REPO, SITE, new_page, skip_or_fail, wait_for_maths

sys.path.insert(0, str(REPO / "tests"))
from chapter_names import code_cells, dependencies  # noqa: E402

pytestmark = pytest.mark.browser

CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
OWNER, NAME = urlsplit(CONFIG["repository"]["url"]).path.strip("/").split("/")[:2]
BRANCH = CONFIG["repository"].get("branch", "main")
BUILD_URL = f"{CONFIG['launch_buttons']['binderhub_url'].rstrip('/')}/build/gh/{OWNER}/{NAME}/{BRANCH}"
CHAPTERS = sorted(p.stem for p in (REPO / "chapters").glob("*.md") if not p.name.startswith("_"))
MARKDOWN_WITH_MATHS = (
    "from IPython.display import Markdown\n"
    "Markdown('| program (equals $x$) | derivative |\\n|---|---|\\n| `relu(x) - relu(-x)` | $1$ |\\n\\n"
    "$$\\\\mathrm{relu}(x) = \\\\max(x, 0)$$ costs $5 and $6')"
)


@pytest.fixture(scope="module")
def live_code(browser, site_url, tmp_path_factory):
    from relulab_browser import lab_problem, start_jupyter

    problem = lab_problem()
    if problem:
        skip_or_fail(problem)
    import shutil

    root = tmp_path_factory.mktemp("thebe-root")
    shutil.copytree(REPO / "chapters", root / "chapters")
    origin = site_url.rstrip("/")
    server = start_jupyter(root, tmp_path_factory.mktemp("thebe-home"), allow_origin=origin)
    yield server
    server.stop()


RUN_CELL_JS = r"""async ([i, code]) => {
  const cell = window.thebe.notebook.cells[i];
  if (code === null) document.querySelectorAll('.thebe-cell')[i].querySelector('.thebe-run-button').click();
  else cell.execute(code);
  const t0 = performance.now();
  while (performance.now() - t0 < 180000) {
    await new Promise(r => setTimeout(r, 100));
    if (cell.executionCount !== null && !cell.isBusy) break;
  }
  const out = document.querySelectorAll('.thebe-output')[i];
  const imgs = out ? [...out.querySelectorAll('img')] : [];
  await Promise.all(imgs.map(im => im.decode ? im.decode().catch(() => null) : null));
  await new Promise(r => setTimeout(r, 50));
  await window.relulabThebeTypeset();
  const rendered = out ? [...out.querySelectorAll('.jp-RenderedMarkdown, .jp-RenderedLatex')] : [];
  const texts = rendered.map(el => { const c = el.cloneNode(true);
    c.querySelectorAll('mjx-container, code, pre').forEach(e => e.remove()); return c.textContent; });
  return {
    markdown: rendered.length,
    typeset: rendered.reduce((n, el) => n + el.querySelectorAll('mjx-container').length, 0),
    raw_tex: texts.filter(t => /\$\$[^$]+\$\$|\$[^\s$](?:[^$]*[^\s$])?\$|\\\(|\\\[/.test(t)).map(t => t.slice(0, 200)),
    count: cell.executionCount, busy: cell.isBusy,
    text: out ? out.innerText.slice(0, 600) : '',
    stderr: out ? [...out.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')].map(e => e.innerText.slice(0, 400)) : [],
    images: imgs.filter(im => im.complete && im.naturalWidth > 0 && im.getClientRects().length && !im.closest('details:not([open])')).length,
    widgets: out ? out.querySelectorAll('.jupyter-widgets').length : 0,
    widget_errors: out ? [...out.querySelectorAll('.jupyter-widgets')].filter(w => /Error displaying widget|model not found/i.test(w.innerText)).map(w => w.innerText.slice(0, 200)) : [],
  };
}"""


def _start_live_code(page, site_url: str, rel: str, builds: list[str]) -> float:
    page.goto(site_url + rel, wait_until="load")
    wait_for_maths(page)
    assert page.evaluate("() => !!(window.thebelab && window.thebelab.relulabShim)"), "the thebe shim did not load"
    button = page.locator('[onclick*="initThebe"]').first
    if not button.is_visible():
        page.locator(".dropdown-launch-buttons button").first.click()
    t0 = time.monotonic()
    button.click()
    page.wait_for_function("() => window.thebe && window.thebe.session && window.thebe.notebook", timeout=180_000)
    started = time.monotonic() - t0
    assert builds and all(b.split("?")[0] == BUILD_URL for b in builds), f"Binder build requests: {builds}"
    return started


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_live_code_runs_a_chapter_in_order(browser, site_url, live_code, chapter):
    rel = f"chapters/{chapter}.html"
    if not (SITE / rel).is_file():
        skip_or_fail(f"{rel} is not in the built site")
    cells = code_cells(REPO / "chapters" / f"{chapter}.md")
    visible = [c for c in cells if c.kind == "visible"]
    needs_hidden = [d for d in dependencies(REPO / "chapters" / f"{chapter}.md") if d.cell.kind == "visible"]
    # the first visible cell that needs a hidden (remove-input) cell is the target; a chapter without one runs its
    # first three cells (the check that it has none is in tests/test_hidden_cells.py, which lists them)
    target = needs_hidden[0].cell.visible_position if needs_hidden else min(2, len(visible) - 1)
    if os.environ.get("RELULAB_THEBE_CELLS") == "all":  # the whole chapter (minutes; for a check by hand)
        target = len(visible) - 1
    builds: list[str] = []
    ready = {"phase": "ready", "url": live_code.url, "token": live_code.token, "message": "local test server\n"}

    def binder(r) -> bool:
        """Answer the BinderHub build request with the local server (the only remote service Live Code uses)."""
        if r.request.url.split("?")[0] != BUILD_URL:
            return False
        builds.append(r.request.url)
        r.fulfill(
            status=200,
            headers={"Content-Type": "text/event-stream", "Access-Control-Allow-Origin": "*"},
            body=f"data: {json.dumps(ready)}\n\n",
        )
        return True

    context, page, load = new_page(
        browser, [site_url, live_code.url, live_code.url.replace("http", "ws", 1)], answer=binder
    )
    t_start = time.monotonic()
    try:
        started = _start_live_code(page, site_url, rel, builds)
        sources = page.evaluate("() => window.thebe.notebook.cells.map(c => c.source)")
        assert [s.strip() for s in sources] == [c.source.strip() for c in visible], (
            "Live Code's cells are not the chapter's visible code cells, in order"
        )
        hidden_sources = page.evaluate(
            "() => [...document.querySelectorAll('script.relulab-hidden-cell')].map(e => JSON.parse(e.textContent))"
        )
        assert hidden_sources == [c.source for c in cells if c.kind == "remove-input"]
        ran, text_cell, figure_cell = [], None, None
        continuity = chapter == "continuity"
        for i in range(len(visible)):
            r = page.evaluate(RUN_CELL_JS, [i, None])
            ran.append(r)
            assert r["count"] is not None and not r["busy"], f"{chapter}: cell {i + 1} did not finish: {r}"
            assert not r["stderr"], f"{chapter}: cell {i + 1} wrote to stderr or raised: {r['stderr']}"
            assert not r["widget_errors"], f"{chapter}: cell {i + 1}: a widget did not render: {r['widget_errors']}"
            assert not r["raw_tex"], f"{chapter}: cell {i + 1}: maths left as TeX in a Markdown output: {r['raw_tex']}"
            if text_cell is None and r["text"].strip() and not r["images"]:
                text_cell = i
            if figure_cell is None and r["images"]:
                figure_cell = i
            if i >= target and (not continuity or None not in (text_cell, figure_cell)):
                break
        # an explorable (anywidget) shown by a cell run here is its text/html view, started by the page's host
        explorables = page.evaluate("() => document.querySelectorAll('.thebe-output [data-relulab-explorable]').length")
        if explorables:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.thebe-output [data-relulab-explorable]')]"
                ".every(e => e.dataset.relulabReady || e.dataset.relulabError)",
                timeout=30_000,
            )
            errors = page.evaluate(
                "() => [...document.querySelectorAll('.thebe-output [data-relulab-explorable]')]"
                ".map(e => e.dataset.relulabError).filter(Boolean)"
            )
            assert not errors, f"{chapter}: an explorable did not start in Live Code: {errors}"
        hidden = page.evaluate("() => window.relulabThebeHidden()")
        box_of_last = page.locator(".thebe-cell").nth(len(ran) - 1)
        above = page.evaluate(
            """(box) => [...document.querySelectorAll('script.relulab-hidden-cell')]
                 .filter(s => s.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING).length""",
            box_of_last.element_handle(),
        )
        assert all(h["runs"] == 1 and h["ran"] and not h["error"] and not h["stderr"] for h in hidden[:above]), hidden
        assert all(h["runs"] == 0 for h in hidden[above:]), f"hidden cells below the last cell run were run: {hidden}"
        if needs_hidden:
            assert above >= 1 and len(ran) > target, f"{chapter}: the run stopped before the target cell {target + 1}"
        if continuity:
            assert figure_cell is not None, f"no figure appeared in the first {len(ran)} cells: {ran}"
            assert text_cell is not None, f"no text output appeared in the first {len(ran)} cells: {ran}"
            # a re-run cell whose output is Markdown with maths, as several chapters show (tables, sentences)
            r = page.evaluate(RUN_CELL_JS, [text_cell, MARKDOWN_WITH_MATHS])
            assert r["markdown"] == 1 and not r["stderr"], r
            assert not r["raw_tex"], f"maths left as TeX in a re-run Markdown output: {r['raw_tex']}"
            assert r["typeset"] == 3, f"the page's MathJax did not typeset the output's three formulas: {r}"
            assert "costs $5 and $6" in r["text"], f"dollar amounts were taken for maths: {r['text']}"
        sessions = live_code.api("api/sessions")
        assert any(s["path"].lstrip("./").startswith("chapters") for s in sessions), sessions
        assert not load.external, f"requests to other origins: {load.external}"
        assert not load.failed, f"failed requests: {load.failed}"
        assert not load.console_errors, "JavaScript errors:\n" + "\n".join(load.console_errors)
        shot = live_code.home / f"thebe-{chapter}.png"
        page.locator(".thebe-cell").nth(target).scroll_into_view_if_needed()
        page.screenshot(path=str(shot))
        widgets = sum(r["widgets"] for r in ran)
        print(
            f"Live Code {chapter}: kernel ready {started:.1f} s after the click; ran {len(ran)} of {len(visible)} "
            f"visible cells and {above} hidden ones (target: cell {target + 1}) in "
            f"{time.monotonic() - t_start:.1f} s; {widgets} live widget views, {explorables} explorables; ({shot})"
        )
    except BaseException:
        page.screenshot(path=str(live_code.home / f"thebe-{chapter}-failure.png"), full_page=False)
        print(f"screenshot: {live_code.home / f'thebe-{chapter}-failure.png'}; server log: {live_code.log}")
        raise
    finally:
        context.close()
        live_code.forget_sessions()
