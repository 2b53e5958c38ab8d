"""Live Code (thebe) on the built site, end to end, without Binder.

The page's "Live Code" button asks the BinderHub of ``_config.yml`` to build the repository
(``<binderhub>/build/gh/<owner>/<repo>/<branch>``, an event stream). The test answers that request
itself (Playwright routing) with one ``ready`` event that points at a Jupyter server it started
from the project environment (with a token, allowing the site's origin), then clicks Live Code on
a chapter, runs its code cells in order with their run buttons until a cell with text output and
a figure cell have run, and asserts that the text output and the figure's image appear and that
no cell produced an error or stderr. Everything the page loads comes from the site itself or
from the pinned npm copies (``package.json``): thebe is self-hosted (``_extra/thebe``), so this is
exactly what readers load. The vendored copy is checked against ``_extra/thebe/SOURCE.txt``.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import time
from urllib.parse import urlsplit

import pytest
import yaml
from relulab_browser import REPO, SITE, local_copy, skip_or_fail, wait_for_maths

pytestmark = pytest.mark.browser

CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
OWNER, NAME = urlsplit(CONFIG["repository"]["url"]).path.strip("/").split("/")[:2]
BRANCH = CONFIG["repository"].get("branch", "main")
BUILD_URL = f"{CONFIG['launch_buttons']['binderhub_url'].rstrip('/')}/build/gh/{OWNER}/{NAME}/{BRANCH}"
CHAPTER = "chapters/continuity.html"
THEBE = REPO / "_extra" / "thebe"
MAX_CELLS = 12


def test_vendored_thebe_matches_its_manifest():
    lines = (THEBE / "SOURCE.txt").read_text().splitlines()
    assert lines[0].startswith("thebe 0.9.3 from npm")
    sums = dict(reversed(line.split("  ", 1)) for line in lines[2:])
    files = sorted(p.relative_to(THEBE).as_posix() for p in (THEBE / "lib").iterdir())
    assert files == sorted(sums), "files in _extra/thebe/lib differ from SOURCE.txt (run `make vendor-thebe`)"
    for rel, digest in sums.items():
        assert hashlib.sha256((THEBE / rel).read_bytes()).hexdigest() == digest, f"{rel} was changed"


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


RUN_CELL_JS = """async (i) => {
  const cell = window.thebe.notebook.cells[i];
  document.querySelectorAll('.thebe-cell')[i].querySelector('.thebe-run-button').click();
  const t0 = performance.now();
  while (performance.now() - t0 < 180000) {
    await new Promise(r => setTimeout(r, 100));
    if (cell.executionCount !== null && !cell.isBusy) break;
  }
  const out = document.querySelectorAll('.thebe-output')[i];
  const imgs = out ? [...out.querySelectorAll('img')] : [];
  await Promise.all(imgs.map(im => im.decode ? im.decode().catch(() => null) : null));
  return {
    count: cell.executionCount, busy: cell.isBusy,
    text: out ? out.innerText.slice(0, 300) : '',
    stderr: out ? [...out.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')].map(e => e.innerText.slice(0, 400)) : [],
    images: imgs.filter(im => im.complete && im.naturalWidth > 0 && im.getClientRects().length && !im.closest('details:not([open])')).length,
  };
}"""


def test_live_code_runs_cells_against_a_jupyter_server(browser, site_url, live_code):
    if not (SITE / CHAPTER).is_file():
        skip_or_fail(f"{CHAPTER} is not in the built site")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    builds: list[str] = []
    unrouted: list[str] = []
    console: list[str] = []
    ready = {"phase": "ready", "url": live_code.url, "token": live_code.token, "message": "local test server\n"}

    def route(r):
        url = r.request.url
        if url.startswith(site_url) or url.startswith(live_code.url):
            r.continue_()
        elif url.split("?")[0] == BUILD_URL:
            builds.append(url)
            r.fulfill(
                status=200,
                headers={"Content-Type": "text/event-stream", "Access-Control-Allow-Origin": "*"},
                body=f"data: {json.dumps(ready)}\n\n",
            )
        elif (copy := local_copy(url)) is not None:
            r.fulfill(
                path=str(copy),
                content_type=mimetypes.guess_type(copy.name)[0] or "application/octet-stream",
                headers={"Access-Control-Allow-Origin": "*"},
            )
        else:
            unrouted.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
    try:
        page.goto(site_url + CHAPTER, wait_until="load")
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
        n = page.evaluate("() => window.thebe.notebook.cells.length")
        assert n == page.locator(".thebe-cell").count() and n > 0
        ran, text_cell, figure_cell = [], None, None
        for i in range(min(n, MAX_CELLS)):
            r = page.evaluate(RUN_CELL_JS, i)
            ran.append(r)
            assert r["count"] is not None and not r["busy"], f"cell {i + 1} did not finish: {r}"
            assert not r["stderr"], f"cell {i + 1} wrote to stderr or raised: {r['stderr']}"
            if text_cell is None and r["text"].strip() and not r["images"]:
                text_cell = i
            if figure_cell is None and r["images"]:
                figure_cell = i
            if text_cell is not None and figure_cell is not None:
                break
        assert figure_cell is not None, f"no figure appeared in the first {len(ran)} cells: {ran}"
        assert text_cell is not None, f"no text output appeared in the first {len(ran)} cells: {ran}"
        sessions = live_code.api("api/sessions")
        assert sessions and sessions[0]["path"].lstrip("./").startswith("chapters"), sessions
        assert not unrouted, f"requests with no local answer: {unrouted}"
        errors = [c for c in console if "favicon" not in c]
        assert not errors, "JavaScript errors:\n" + "\n".join(errors)
        page.locator(".thebe-output").nth(figure_cell).scroll_into_view_if_needed()
        page.screenshot(path=str(live_code.home / "thebe-figure.png"))
        print(
            f"Live Code: kernel ready {started:.1f} s after the click; ran {len(ran)} cells; "
            f"text output in cell {text_cell + 1}, figure in cell {figure_cell + 1} ({live_code.home / 'thebe-figure.png'})"
        )
    except BaseException:
        page.screenshot(path=str(live_code.home / "thebe-failure.png"), full_page=False)
        print(f"screenshot: {live_code.home / 'thebe-failure.png'}; server log: {live_code.log}")
        raise
    finally:
        context.close()
