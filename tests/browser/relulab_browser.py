"""Machinery of the real-browser tests (used by conftest.py and the test modules).

Real-browser tests of the built book: Playwright (Python) driving Debian's Chromium.

What it provides
----------------
* **Requirements check.** The suite needs Chromium at ``$RELULAB_CHROMIUM``
  (default ``/usr/bin/chromium``; the one Chromium setting of the project),
  the ``playwright`` Python package, the pinned npm assets
  in ``tests/browser/node_modules`` (``npm ci`` here) and a built site
  (``_build/html``, or ``$RELULAB_SITE``). If one is missing, every browser test
  is *skipped* with one clear line -- unless ``CI=true``, where it is a *failure*.
  ``pytest_report_header`` prints that line at the top of the run.
* **A local server.** ``serve(directory)`` starts a threaded ``http.server`` on
  127.0.0.1 and a free port, in-process; it is shut down at the end of the session.
* **No network.** Every request from the browser goes through a route: requests
  to the local server pass, anything else is aborted and reported, and so is a
  request to the local server that fails (a 404): the site loads nothing from
  another origin (``new_page``, shared by the site, JupyterLab and Live Code tests).
* **Page reports.** ``site_report(path)`` loads a page once and records console
  errors, blocked and failed requests, maths rendering, image alt texts, interactive figures,
  whether each control changes its figure (mouse and keyboard), axe-core
  violations and the page weight. ``test_site.py`` asserts on these;
  ``test_checker.py`` runs the same checks on deliberately broken fixture pages.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NODE_MODULES = HERE / "node_modules"
FIXTURES = HERE / "fixtures"
DEFAULT_CHROMIUM = "/usr/bin/chromium"  # the Makefile's and .ci/install-system-deps's default too
CHROMIUM = Path(os.environ.get("RELULAB_CHROMIUM", DEFAULT_CHROMIUM))
SITE = Path(os.environ.get("RELULAB_SITE", REPO / "_build" / "html"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
MAX_PAGE_BYTES = 3 * 1024 * 1024  # the page's own HTML and images, raw
MAX_TRANSFER_BYTES = 1_500_000  # everything a browser loads for the page, as sent gzipped
SERIOUS = ("critical", "serious")
IN_CI = os.environ.get("CI", "").lower() == "true"


# ------------------------------------------------------------ requirements
def pinned_npm_packages() -> dict[str, str]:
    """``{package: exact version}`` from package.json."""
    data = json.loads((HERE / "package.json").read_text())
    return {**data.get("dependencies", {}), **data.get("devDependencies", {})}


def installed_version(pkg: str) -> str | None:
    meta = NODE_MODULES / pkg / "package.json"
    if not meta.is_file():
        return None
    return json.loads(meta.read_text()).get("version")


def browser_problem() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} not found (bash .ci/install-system-deps installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -r requirements-test.txt)"
    for pkg, version in pinned_npm_packages().items():
        got = installed_version(pkg)
        if got != version:
            return (
                f"npm package {pkg}@{version} is not installed in {NODE_MODULES} "
                f"(found {got}); run `npm ci` in tests/browser"
            )
    return None


def site_problem() -> str | None:
    if not (SITE / "index.html").is_file():
        return f"no built site at {SITE} (run `make book` first)"
    return None


def skip_or_fail(problem: str) -> None:
    """Skip (locally) or fail (CI=true) the calling test/fixture."""
    if IN_CI:
        pytest.fail(f"browser tests cannot run and CI=true: {problem}", pytrace=False)
    pytest.skip(f"browser tests skipped: {problem}")


# ------------------------------------------------------------------ server
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


_extra_types = {".woff2": "font/woff2", ".woff": "font/woff", ".webp": "image/webp", ".svg": "image/svg+xml"}
_QuietHandler.extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **_extra_types}


@dataclass
class Server:
    root: Path
    httpd: http.server.ThreadingHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def start_server(directory: Path) -> Server:
    """Serve ``directory`` on 127.0.0.1 and a free port from a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name=f"serve {directory}", daemon=True)
    thread.start()
    return Server(Path(directory), httpd, thread)


# ------------------------------------------------------------------ browser
@dataclass
class Load:
    """What happened while a page was open."""

    url: str
    base: str
    console_errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)  # loads from another origin (blocked)
    failed: list[str] = field(default_factory=list)  # loads from an allowed origin that failed (e.g. 404)
    files: dict[str, Path] = field(default_factory=dict)  # url -> file on disk served for it

    def weight(self) -> dict[str, int]:
        """Bytes of every distinct file the page loaded.

        ``raw``: sum of file sizes. ``transfer``: what a server that gzips text
        (HTML, JS, CSS, SVG, JSON; GitHub Pages does) sends, estimated with gzip -6;
        fonts and images count raw. ``own``: the page itself and its images,
        i.e. everything except the theme and MathJax (``_static``, ``mathjax/``).
        """
        raw = transfer = own = 0
        seen = set()
        for url, path in self.files.items():
            if path in seen:
                continue
            seen.add(path)
            data = path.read_bytes()
            raw += len(data)
            textual = path.suffix.lower() in {".html", ".js", ".css", ".svg", ".json", ".txt", ".map", ".mjs"}
            transfer += len(gzip.compress(data, compresslevel=6)) if textual else len(data)
            if url.startswith(self.base) and "/_static/" not in url and "/mathjax/" not in url:
                own += len(data)
        return {"raw": raw, "transfer": transfer, "own": own}


def new_page(
    browser: Any,
    allowed: list[str],
    *,
    width: int = 1280,
    height: int = 900,
    answer: Any = None,
    on_allowed: Any = None,
) -> tuple[Any, Any, Load]:
    """A page in a fresh context whose network is blocked except for the origins in ``allowed``
    (URL prefixes; ``blob:``/``data:`` always pass). Returns (context, page, load): ``load`` records
    console errors, blocked requests (``external``) and failed allowed ones (``failed``, e.g. a 404).
    ``answer(route) -> bool`` may fulfil a request itself first (a test's stand-in for a remote
    service); ``on_allowed(url)`` is told of every allowed request. The one set-up shared by the site,
    JupyterLab and Live Code tests."""
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    load = Load(url="", base=allowed[0] if allowed else "")
    passes = (*allowed, "blob:", "data:")

    def route(r: Any) -> None:
        url = r.request.url
        if answer is not None and answer(r):
            return
        if url.startswith(passes):
            if on_allowed is not None:
                on_allowed(url)
            r.continue_()
            return
        load.external.append(url)
        r.abort()

    failed_urls: set[str] = set()

    def response(resp: Any) -> None:
        if resp.status >= 400 and resp.url.startswith(passes) and resp.url not in failed_urls:
            failed_urls.add(resp.url)
            load.failed.append(f"{resp.status} {resp.url}")

    def request_failed(req: Any) -> None:
        if req.url.startswith(passes) and not req.url.startswith(("ws:", "wss:")) and req.url not in failed_urls:
            failed_urls.add(req.url)
            load.failed.append(f"{req.failure} {req.url}")

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console", lambda m: load.console_errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: load.console_errors.append(f"uncaught: {e}"))
    page.on("response", response)
    page.on("requestfailed", request_failed)
    return context, page, load


def open_page(browser: Any, base: str, root: Path, rel: str, *, width: int = 1280, height: int = 900):
    """Open ``base + rel`` of a site served from ``root``, offline; returns (context, page, load)."""

    def record(url: str) -> None:
        path = urlsplit(url).path
        disk = (root / unquote(path.lstrip("/"))).resolve()
        if disk.is_dir():
            disk = disk / "index.html"
        if disk.is_file():
            load.files[url.split("#")[0].split("?")[0]] = disk

    context, page, load = new_page(browser, [base], width=width, height=height, on_allowed=record)
    load.url = base + rel
    page.goto(load.url, wait_until="load")
    wait_for_maths(page)
    wait_for_explorables(page)
    return context, page, load


def wait_for_explorables(page: Any, timeout_ms: int = 15_000) -> None:
    """Until every explorable of the page (relulab.explorables) has rendered or failed (its view module is
    imported after the load event)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-relulab-explorable]')]
              .every(e => e.dataset.relulabReady || e.dataset.relulabError)""",
        timeout=timeout_ms,
        polling=100,
    )


def wait_for_maths(page: Any) -> None:
    page.evaluate(
        """() => new Promise((resolve) => {
            const done = () => (window.MathJax && MathJax.startup && MathJax.startup.promise)
                ? MathJax.startup.promise.then(() => resolve(true), () => resolve(false)) : resolve(true);
            if (document.readyState === 'complete') done(); else addEventListener('load', done);
        })"""
    )


# ------------------------------------------------------------------ checks
MATHS_JS = """() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('script, style, pre, code, .highlight, mjx-container, noscript, textarea').forEach(e => e.remove());
  const text = clone.textContent;
  const raw = [];
  for (const token of ['\\\\(', '\\\\)', '\\\\[', '\\\\]', '$$', '\\\\begin{']) {
    const i = text.indexOf(token);
    if (i >= 0) raw.push(token + ' in "' + text.slice(Math.max(0, i - 30), i + 30).replace(/\\s+/g, ' ') + '"');
  }
  const maths = [...document.querySelectorAll('.math')];
  const unrendered = maths.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 60));
  return {raw, n_maths: maths.length, unrendered, n_rendered: document.querySelectorAll('mjx-container').length};
}"""

IMAGES_JS = """() => [...document.querySelectorAll('img')].map(img => ({
  src: (img.getAttribute('src') || '').slice(0, 80), alt: img.getAttribute('alt'),
  complete: img.complete, width: img.naturalWidth,
  visible: !!(img.offsetWidth || img.offsetHeight || img.getClientRects().length)
}))"""

FIGURES_JS = """() => {
  const players = [...document.querySelectorAll('[data-relulab-interactive]')].map(root => {
    const img = root.querySelector('img');
    const box = root.querySelector('.relulab-if-controls');
    return {id: root.id, decoded: !!(img && img.complete && img.naturalWidth > 0),
            controls_visible: !!(box && !box.hidden && box.getClientRects().length),
            n_controls: root.querySelectorAll('input[type=range]').length};
  });
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')].map(s => ({
    model: (JSON.parse(s.textContent || '{}').model_id) || '?',
    rendered: !!(s.parentElement && s.parentElement.querySelector('.jupyter-widgets, .widget-box, .lm-Widget'))
  }));
  const explorables = [...document.querySelectorAll('[data-relulab-explorable]')].map(root => ({
    id: root.id, view: root.dataset.relulabExplorable, ready: root.dataset.relulabReady === '1',
    error: root.dataset.relulabError || null}));
  // figure captions in the body's text colour (the theme's muted grey was hard to read)
  const captions = {body: getComputedStyle(document.body).color,
    colors: [...document.querySelectorAll('figure figcaption')].map(f =>
      getComputedStyle(f.querySelector('.caption-text') || f).color)};
  return {players, widget_views: views, explorables, captions};
}"""

REVEAL_JS = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('button.toggle-button[aria-expanded="false"], .toggle-button:not(.toggle-button-hidden)').forEach(b => {
    if (b.getAttribute('aria-expanded') === 'false') b.click();
  });
}"""

# Finds each control's figure and the tabbable element before it (for the Tab check).
CONTROLS_JS = """() => {
  const sel = 'input[type=range], [role=slider]';
  const controls = [...document.querySelectorAll(sel)];
  const tabbable = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter(e => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden');
  return controls.map((c, i) => {
    c.dataset.relulabCheck = String(i);
    const root = c.closest('[data-relulab-interactive], [data-relulab-explorable], .cell_output, .output, .jupyter-widgets-view, .widget-vbox, figure, section') || document.body;
    let fig = null, best = 0;
    for (const e of root.querySelectorAll('img, canvas, svg')) {
      if (e.closest('[role=slider]')) continue;
      const r = e.getBoundingClientRect(), a = r.width * r.height;
      if (a > best) { best = a; fig = e; }
    }
    if (fig) fig.dataset.relulabFigure = ((fig.dataset.relulabFigure || '') + ' ' + i).trim();
    const k = tabbable.indexOf(c);
    if (k > 0) tabbable[k - 1].dataset.relulabBefore = ((tabbable[k - 1].dataset.relulabBefore || '') + ' ' + i).trim();
    const label = (c.labels && c.labels[0] && c.labels[0].textContent) || c.getAttribute('aria-label') || c.id || ('control ' + i);
    return {index: i, label: label.trim(), has_figure: !!fig, tabbable: k >= 0, first_tabbable: k === 0,
            visible: !!c.getClientRects().length, vertical: c.getAttribute('aria-orientation') === 'vertical'};
  });
}"""


def _control_value(page: Any, i: int) -> tuple[float, float, float]:
    return tuple(
        page.evaluate(
            """(i) => { const c = document.querySelector(`[data-relulab-check="${i}"]`);
            if (c.matches('input')) return [+c.value, +(c.min || 0), +(c.max || 100)];
            return [+c.getAttribute('aria-valuenow'), +c.getAttribute('aria-valuemin'), +c.getAttribute('aria-valuemax')]; }""",
            i,
        )
    )


FIGURE_PIXELS_JS = """(i) => new Promise(res => {
  const f = document.querySelector(`[data-relulab-figure~="${i}"]`);
  const p = (f && f.decode) ? f.decode().catch(() => null) : Promise.resolve();
  p.then(() => requestAnimationFrame(() => requestAnimationFrame(() => {
    if (!(f instanceof HTMLImageElement) || !f.naturalWidth) return res(null);
    try {
      const c = document.createElement('canvas');
      c.width = f.naturalWidth; c.height = f.naturalHeight;
      const ctx = c.getContext('2d', {willReadFrequently: true});
      ctx.drawImage(f, 0, 0);
      const px = new Uint32Array(ctx.getImageData(0, 0, c.width, c.height).data.buffer);
      let h1 = 0x811c9dc5, h2 = 0;
      for (let k = 0; k < px.length; k++) { h1 = Math.imul(h1 ^ px[k], 16777619); h2 = (h2 + px[k] * (k + 1)) % 4294967291; }
      res(`${c.width}x${c.height}:${h1 >>> 0}:${h2}`);
    } catch (e) { res(null); }  // a cross-origin image cannot be read: compare screenshots instead
  })));
})"""


def _figure_shot(page: Any, i: int) -> bytes:
    """What the control's figure shows: for an image, a hash of its decoded pixels (drawn on a canvas in the
    page, no screenshot needed); for anything else (canvas, SVG, widgets), a screenshot of it."""
    pixels = page.evaluate(FIGURE_PIXELS_JS, i)
    if pixels is not None:
        return pixels.encode()
    return page.locator(f'[data-relulab-figure~="{i}"]').screenshot(animations="disabled", caret="hide")


@dataclass
class ControlCheck:
    label: str
    problems: list[str]


PLAYER_STATE_JS = """(i) => {
  const c = document.querySelector(`[data-relulab-check="${i}"]`);
  const root = c.closest('[data-relulab-interactive="player"]');
  if (!root) return null;
  const img = root.querySelector('img');
  return {data: root.querySelector('script[type="application/json"]').textContent,
          values: [...root.querySelectorAll('input[type=range]')].map(e => +e.value),
          src: img.getAttribute('src'), alt: img.getAttribute('alt')};
}"""


def player_problem(page: Any, i: int, how: str) -> str | None:
    """For a control of a relulab.interactive player: is the frame shown, and its alt text, the one of the grid
    point the controls select? Computed here from the player's data (row-major over the controls, as
    ``relulab.interactive`` stores it), independently of the page's script. None if right or not a player."""
    state = page.evaluate(PLAYER_STATE_JS, i)
    if state is None:
        return None
    data = json.loads(state["data"])
    point = tuple(state["values"])
    flat = 0
    for v, n in zip(point, data["shape"], strict=True):
        flat = flat * n + v
    if state["src"] != "data:image/webp;base64," + data["frames"][data["index"][flat]]:
        return f"moved with the {how}, the figure shows another frame than the one of grid point {point}"
    named = ", ".join(
        f"{label} = {text[v]}" for label, text, v in zip(data["labels"], data["text"], point, strict=True)
    )
    if state["alt"] != f"{data['alt']} ({named})":
        return f"moved with the {how}, the alt text {state['alt']!r} does not name grid point {point} ({named})"
    return None


def check_controls(page: Any) -> list[ControlCheck]:
    """Move every control with the mouse, then with the keyboard (Tab + arrow);
    each move must change the control's figure (its pixels) and, in a
    relulab.interactive player, show the frame and alt text of the grid point selected."""
    page.evaluate(REVEAL_JS)
    results = []
    for info in page.evaluate(CONTROLS_JS):
        i, problems = info["index"], []
        if not info["visible"]:
            results.append(ControlCheck(info["label"], ["control is not visible"]))
            continue
        if not info["has_figure"]:
            results.append(ControlCheck(info["label"], ["no figure (img/canvas/svg) found next to the control"]))
            continue
        control = page.locator(f'[data-relulab-check="{i}"]')
        control.scroll_into_view_if_needed()
        # --- mouse: drag the thumb to the far side of the track (a vertical slider: up or down
        # by its own height, as an explorable's slope handle moves)
        before = _figure_shot(page, i)
        value, lo, hi = _control_value(page, i)
        frac = 0.0 if hi <= lo else (value - lo) / (hi - lo)
        box = control.bounding_box()
        y = box["y"] + box["height"] / 2
        if info.get("vertical"):
            x = box["x"] + box["width"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x, y + box["height"] * (1.5 if frac >= 0.5 else -1.5), steps=6)
        else:
            start = box["x"] + box["width"] * min(max(frac, 0.02), 0.98)
            target = box["x"] + box["width"] * (0.9 if frac < 0.5 else 0.1)
            page.mouse.move(start, y)
            page.mouse.down()
            page.mouse.move(target, y, steps=6)
        page.mouse.up()
        if _control_value(page, i)[0] == value:
            problems.append("mouse drag did not move the control")
        elif _figure_shot(page, i) == before:
            problems.append("moved with the mouse, the figure did not change")
        if problem := player_problem(page, i, "mouse"):
            problems.append(problem)
        # --- keyboard: Tab onto the control, then an arrow key
        if not info["tabbable"]:
            problems.append("control is not in the Tab order")
        else:
            if info["first_tabbable"]:
                # Chromium resumes Tab from the last focused point, so start from
                # a temporary first element rather than from a blurred document.
                page.evaluate(
                    """() => { const b = document.createElement('button'); b.id = 'relulab-tab-start';
                    b.textContent = 'start'; document.body.prepend(b); b.focus(); }"""
                )
            else:
                page.locator(f'[data-relulab-before~="{i}"]').first.focus()
            page.keyboard.press("Tab")
            focused = page.evaluate(
                f"() => document.activeElement && document.activeElement.dataset.relulabCheck === '{i}'"
            )
            page.evaluate("() => { const b = document.getElementById('relulab-tab-start'); if (b) b.remove(); }")
            if not focused:
                problems.append("Tab from the previous element did not focus the control")
            else:
                before = _figure_shot(page, i)
                value, lo, hi = _control_value(page, i)
                page.keyboard.press("ArrowLeft" if value >= hi else "ArrowRight")
                if _control_value(page, i)[0] == value:
                    problems.append("arrow key did not move the control")
                elif _figure_shot(page, i) == before:
                    problems.append("moved with the keyboard, the figure did not change")
                if problem := player_problem(page, i, "keyboard"):
                    problems.append(problem)
        results.append(ControlCheck(info["label"], problems))
    return results


def run_axe(page: Any) -> list[dict]:
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": len(v["nodes"]),
            "example": (v["nodes"][0]["target"] if v["nodes"] else None),
        }
        for v in result["violations"]
    ]


_FILE_NAME = re.compile(r"^[\w\-. /]+\.(png|jpe?g|svg|gif|webp|pdf)$", re.I)
_GENERIC = {"image", "img", "figure", "picture", "graph", "plot", "chart", "png", "svg", "untitled", "alt"}


def alt_problem(alt: str | None, src: str) -> str | None:
    """Why an alt text is not meaningful, or None."""
    if alt is None:
        return "no alt attribute"
    text = alt.strip()
    if not text:
        return "empty alt text"
    if _FILE_NAME.match(text) or text == Path(urlsplit(src).path).name:
        return f"alt text is a file name: {text!r}"
    if text.lower() in _GENERIC:
        return f"alt text says nothing: {text!r}"
    return None


# The answer and verdict boxes of a chapter (_ext/claims.py): where they start and whether a reason is open.
BOXES_JS = """() => {
  const top = (el) => el.getBoundingClientRect().top + window.scrollY;
  const bottom = (el) => el.getBoundingClientRect().bottom + window.scrollY;
  return {
    answers: [...document.querySelectorAll('div.answer')].map(el => ({
      top: top(el), head: bottom(el.querySelector('.admonition-title') || el)})),
    claims: [...document.querySelectorAll('div.claim')].map(el => ({
      id: el.id, top: top(el), head: bottom(el.querySelector('.claim-verdict') || el),
      open: !!el.querySelector('details[open]'), verdict: (el.querySelector('.claim-verdict') || {}).textContent})),
  };
}"""


@dataclass
class PageReport:
    rel: str
    console_errors: list[str]
    external: list[str]
    failed: list[str]
    maths: dict
    images: list[dict]
    figures: dict
    controls: list[ControlCheck]
    axe: list[dict]
    weight: dict[str, int]
    boxes: dict  # the answer and verdict boxes as the page loaded, at 1280 x 900 (test_site.first_screen_problems)


ICON_JS = """() => { const l = document.querySelector('link[rel~="icon"]'); return l ? l.href : null; }"""


_SERIES_SWATCHES_JS = """(s) => {
  const root = document.querySelector(s);
  const look = (line) => {
    if (!line) return null;
    const c = getComputedStyle(line), b = line.getBoundingClientRect();
    return {stroke: c.stroke, dash: c.strokeDasharray, opacity: Number(c.strokeOpacity), width: parseFloat(c.strokeWidth),
            length: b.width, shown: line.checkVisibility({visibilityProperty: true, opacityProperty: true}),
            d: line.getAttribute('d')};
  };
  return {
    rows: [...root.querySelectorAll('tbody th[scope=row]')].map(th => ({label: th.textContent.trim(), line: look(th.querySelector('svg line'))})),
    legend: [...root.querySelectorAll('.rl-legend > span')].map(sp => ({label: sp.textContent.trim(), line: look(sp.querySelector('svg line'))})),
    charts: [...root.querySelectorAll('svg.rl-chart')].map(svg => [...svg.querySelectorAll(':scope > path')].map(look)),
  };
}"""


def series_swatches(page: Any, selector: str) -> dict:
    """The line samples of a training view (the one under ``selector``): ``rows``, one per table row
    (``th[scope=row]``), ``legend``, one per legend item, each ``{label, line}``, and ``charts``, the series
    paths of each line chart; a line is its computed ``stroke``, ``dash`` (stroke-dasharray), ``opacity``,
    ``width``, drawn ``length`` (px), whether it is ``shown`` and its path ``d`` (or None without a line)."""
    return page.evaluate(_SERIES_SWATCHES_JS, selector)


def swatch_problems(swatches: dict) -> list[str]:
    """What is wrong with the line samples of :func:`series_swatches`: a row or legend item without a line
    sample, or with one a reader cannot see (no stroke: e.g. a colour the browser cannot parse, such as
    "0.5,0.34,0", which it ignores), and a row whose sample differs from its legend item's."""
    problems = []
    for where in ("rows", "legend"):
        for item in swatches[where]:
            line = item["line"]
            if line is None:
                problems.append(f"{where}: {item['label']!r} has no line sample")
            elif line["stroke"] in ("none", "") or line["opacity"] == 0 or line["width"] <= 0 or line["length"] < 10:
                problems.append(f"{where}: {item['label']!r} has a line sample nobody sees: {line}")
            elif not line["shown"]:
                problems.append(f"{where}: {item['label']!r} has a hidden line sample")
    legend = {item["label"]: item["line"] for item in swatches["legend"]}
    for item in swatches["rows"]:
        other = legend.get(item["label"])
        if other is None:
            problems.append(f"rows: {item['label']!r} is not in the legend")
        elif item["line"] and (item["line"]["stroke"], item["line"]["dash"]) != (other["stroke"], other["dash"]):
            problems.append(f"rows: {item['label']!r} is drawn {item['line']} in the table, {other} in the legend")
    return problems


def check_favicon(page: Any, load: Load) -> None:
    """Headless Chromium fetches no favicon, a reader's browser does: the page must name one that is there
    (without a ``<link rel="icon">`` a browser asks for /favicon.ico)."""
    href = page.evaluate(ICON_JS)
    if href is None:
        load.failed.append("no <link rel=icon>: a browser asks for /favicon.ico")
    elif not href.startswith("data:"):
        status = page.request.get(href).status
        if status >= 400:
            load.failed.append(f"{status} {href}")


def build_report(browser: Any, base: str, root: Path, rel: str, *, axe: bool = True) -> PageReport:
    context, page, load = open_page(browser, base, root, rel)
    try:
        boxes = page.evaluate(BOXES_JS)
        check_favicon(page, load)
        maths = page.evaluate(MATHS_JS)
        images = page.evaluate(IMAGES_JS)
        figures = page.evaluate(FIGURES_JS)
        violations = run_axe(page) if axe else []
        controls = check_controls(page)
        page.wait_for_timeout(100)  # let late console errors arrive
        return PageReport(
            rel,
            list(load.console_errors),
            list(load.external),
            list(load.failed),
            maths,
            images,
            figures,
            controls,
            violations,
            load.weight(),
            boxes,
        )
    finally:
        context.close()


_REFRESH = re.compile(r"""<meta\s+http-equiv=["']?refresh["']?\s+content=["']?\d+;\s*url=([^"'>\s]+)""", re.I)


def redirect_target(path: Path) -> str | None:
    """The target of a meta-refresh redirect page (Jupyter Book's index.html), or None."""
    head = path.read_text(errors="replace")[:2000]
    m = _REFRESH.search(head)
    return m.group(1) if m and "<body" not in head.lower() else None


def discover_pages(site: Path = SITE, *, redirects: bool = False) -> list[str]:
    """Every HTML page of the built site (relative paths), except Sphinx's raw
    sources and static files. Redirect-only pages are listed only with
    ``redirects=True`` (they are checked by following the redirect)."""
    if not site.is_dir():
        return []
    skip = ("_static/", "_sources/", "_images/")
    pages = []
    for p in site.rglob("*.html"):
        rel = p.relative_to(site).as_posix()
        if rel.startswith(skip):
            continue
        if (redirect_target(p) is not None) == redirects:
            pages.append(rel)
    return sorted(pages)


# ------------------------------------------------------------ Jupyter server
LAB_PYTHON = Path(os.environ.get("RELULAB_LAB_PYTHON", REPO / ".venv" / "bin" / "python"))
LAB_OVERRIDES = REPO / "jupyterlab-overrides.json"
LAB_METRICS: dict[str, dict] = {}  # chapter -> measurements, filled by test_lab.py, printed by conftest


def lab_problem() -> str | None:
    """Why JupyterLab cannot be tested here, or None (postBuild must have been applied)."""
    import subprocess

    if not LAB_PYTHON.is_file():
        return f"no project environment at {LAB_PYTHON} (run `make lab` or `make test`)"
    probe = subprocess.run(
        [str(LAB_PYTHON), "-c", "import sys, jupyterlab; print(sys.prefix); print(jupyterlab.__version__)"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        return "JupyterLab is not installed in the project environment (postBuild installs it: run `make lab`)"
    prefix = Path(probe.stdout.split()[0])
    installed = prefix / "etc/jupyter/labconfig/default_setting_overrides.d/relu-book.json"
    if not installed.is_file() or installed.read_bytes() != LAB_OVERRIDES.read_bytes():
        return f"{installed} is missing or differs from jupyterlab-overrides.json (postBuild has not run since it changed: run `make lab`)"
    return None


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class JupyterServer:
    """A Jupyter server (JupyterLab) started from the project environment for one test session."""

    url: str
    token: str
    root: Path
    home: Path
    process: Any
    log: Path

    def api(self, path: str, method: str = "GET", body: Any = None) -> Any:
        import urllib.request

        req = urllib.request.Request(
            self.url + path.lstrip("/"),
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            data = r.read()
        return json.loads(data) if data else None

    def forget_sessions(self) -> None:
        """Shut down every session and kernel and delete the saved workspaces, so that the next test finds the
        server as it started (JupyterLab would otherwise reopen the last test's tabs)."""
        for s in self.api("api/sessions"):
            self.api(f"api/sessions/{s['id']}", method="DELETE")
        for k in self.api("api/kernels"):
            self.api(f"api/kernels/{k['id']}", method="DELETE")
        for f in (self.home / "workspaces").glob("*"):
            f.unlink()

    def kernel_client(self, kernel_id: str):
        """A blocking jupyter_client connected to one of this server's kernels."""
        from jupyter_client import BlockingKernelClient

        kc = BlockingKernelClient()
        kc.load_connection_file(str(self.home / "runtime" / f"kernel-{kernel_id}.json"))
        kc.start_channels()
        kc.wait_for_ready(timeout=30)
        return kc

    def stop(self) -> None:
        import subprocess

        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_jupyter(
    root: Path, home: Path, *, extra_args: list[str] = (), allow_origin: str | None = None, timeout: float = 120
) -> JupyterServer:
    """Start ``python -m jupyterlab`` from the project environment on 127.0.0.1, a free port and a
    random token, serving ``root``. User-level Jupyter directories (config, data, runtime, lab
    settings and workspaces) are fresh ones under ``home``, so only what postBuild installed into
    the environment applies, as on Binder."""
    import secrets
    import subprocess
    import time
    import urllib.error
    import urllib.request

    token = secrets.token_hex(16)
    port = free_port()
    dirs = {k: home / k for k in ("config", "data", "runtime", "settings", "workspaces")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    server_config: dict[str, Any] = {
        # No news prompt and no update check (they would reach the internet), nothing else changed.
        # window.jupyterapp, so that a test can open the next chapter without reloading JupyterLab.
        "LabApp": {
            "news_url": None,
            "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
            "expose_app_in_browser": True,
        },
        "ServerApp": {"open_browser": False},
    }
    if allow_origin:
        server_config["ServerApp"].update({"allow_origin": allow_origin, "allow_credentials": True})
    (dirs["config"] / "jupyter_server_config.json").write_text(json.dumps(server_config))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JUPYTERLAB", "JPY_"))}
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
        JAX_PLATFORMS="cpu",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    args = [
        str(LAB_PYTHON),
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        *extra_args,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    log = home / "jupyter.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = JupyterServer(f"http://127.0.0.1:{port}/", token, root, home, proc, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            server.api("api/status")
            return server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{log.read_text()[-3000:]}")
