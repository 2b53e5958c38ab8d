"""The chapters in JupyterLab, as a Binder reader gets them (issue 17).

A Jupyter server is started from the project environment (``.venv``: requirements.txt, the Python
of runtime.txt, and postBuild, which installs the pinned JupyterLab of requirements-lab.txt and
the "open .md as a notebook" default) on 127.0.0.1 with a token, serving a copy of the
repository's chapters. Chromium opens each chapter by the URL a Binder launch button uses
(``lab/tree/chapters/<name>.md``) and, for each chapter:

* it opens as a notebook (no "Open With" by hand) and its kernel starts;
* Run All executes every code cell; no output is an error or stderr, no widget fails to render,
  and the kernel is idle at the end;
* saving writes exactly ``format_chapters.jupyterlab_form`` of the file (the model that
  ``tests/test_roundtrip.py`` applies to every chapter);
* every slider of every live figure, moved with the keyboard, changes the figure's image (the
  time from key press to the new image being decoded is reported; target < 100 ms);
* an edited cell re-runs and shows its new output;
* every module the kernel imported belongs to a distribution in the dependency closure of
  requirements.txt + requirements-lab.txt, so a chapter that needs a package installed only
  here (e.g. by requirements-test.txt) fails here before it fails on Binder.

``RELULAB_LAB_CHAPTERS`` (comma-separated names, or ``all``) chooses the chapters; the default
is one chapter with interactive figures and the first chapter of the book.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

import pytest
from relulab_browser import LAB_METRICS, REPO, new_page

sys.path.insert(0, str(REPO / "tests"))
from format_chapters import jupyterlab_form, toc_chapters  # noqa: E402

pytestmark = pytest.mark.browser

TOC = [p.stem for p in toc_chapters()]
_wanted = os.environ.get("RELULAB_LAB_CHAPTERS", "two-layer,what-is-relu")
LAB_CHAPTERS = TOC if _wanted.strip() == "all" else [c.strip() for c in _wanted.split(",") if c.strip()]
RUN_ALL_TIMEOUT_S = 600
KEY_PRESSES_PER_SLIDER = 4
LATENCY_TARGET_MS = 100


# ------------------------------------------------------------------ helpers
def kernel_eval(lab, kernel_id: str, code: str, timeout: float = 120) -> str:
    """Run ``code`` on the notebook's kernel from a second client; return what it printed."""
    kc = lab.kernel_client(kernel_id)
    try:
        msg_id = kc.execute(code, store_history=False)
        out = []
        while True:
            msg = kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                raise AssertionError("\n".join(content["traceback"]))
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(out)
    finally:
        kc.stop_channels()


def _kernel_ready(page, timeout_ms: int = 180_000) -> None:
    page.wait_for_function(
        """() => {
          const tb = document.querySelector('.jp-NotebookPanel-toolbar');
          const ind = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
          return tb && !/No Kernel|Connecting|Initializing|Starting/.test(tb.innerText) && /\\S/.test(tb.innerText)
                 && ind && ind.dataset.status === 'idle';
        }""",
        timeout=timeout_ms,
        polling=250,
    )


def _menu(page, menu: str, item: str | re.Pattern) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(menu)}$")).click()
    pattern = item if isinstance(item, re.Pattern) else re.compile(f"^{re.escape(item)}$")
    page.locator(".lm-Menu-itemLabel", has_text=pattern).first.click()


PROMPTS_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell')].map(c => {
  const p = c.querySelector('.jp-InputPrompt'); return p ? p.textContent.trim() : '';
})"""

OUTPUTS_JS = """() => {
  const cells = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell')];
  const bad = [];
  cells.forEach((c, i) => {
    c.querySelectorAll('.jp-OutputArea-output').forEach(o => {
      const mime = o.dataset.mimeType || '';
      const text = (o.textContent || '').slice(0, 400);
      if (mime === 'application/vnd.jupyter.stderr' || /Traceback \\(most recent call last\\)/.test(text))
        bad.push(`cell ${i + 1}: ${mime || 'output'}: ${text}`);
    });
    c.querySelectorAll('.jupyter-widgets').forEach(w => {
      const text = (w.textContent || '');
      if (/Failed to create view|Error displaying widget|Cannot read properties/.test(text) || w.matches('.widget-error, .jupyter-widgets-error'))
        bad.push(`cell ${i + 1}: widget error: ${text.slice(0, 400)}`);
    });
  });
  const figures = [...document.querySelectorAll('.jp-NotebookPanel .widget-vbox')].filter(b => b.querySelector('[role=slider]'))
    .map(b => { const img = b.querySelector('img'); return !!(img && img.complete && img.naturalWidth > 0); });
  return {bad, figures};
}"""

MARK_SLIDERS_JS = """() => {
  const out = [];
  [...document.querySelectorAll('.jp-NotebookPanel .widget-vbox')].forEach((box, f) => {
    const img = box.querySelector(':scope > img, :scope > .widget-image, img');
    box.querySelectorAll('[role=slider]').forEach((h, k) => {
      const id = `${f}-${k}`;
      h.dataset.relulabLab = id;
      if (img) img.dataset.relulabLabImg = ((img.dataset.relulabLabImg || '') + ' ' + id).trim();
      out.push({id, figure: f, has_img: !!img, min: +h.getAttribute('aria-valuemin'), max: +h.getAttribute('aria-valuemax')});
    });
  });
  return out;
}"""

ARM_LATENCY_JS = """(id) => {
  const h = document.querySelector(`[data-relulab-lab="${id}"]`);
  const img = document.querySelector(`[data-relulab-lab-img~="${id}"]`);
  const before = img.src;
  window.__relulabLatency = new Promise(resolve => {
    let t0 = null;
    const key = () => { if (t0 === null) t0 = performance.now(); };
    h.addEventListener('keydown', key, {capture: true, once: true});
    const obs = new MutationObserver(() => {
      if (img.src === before) return;
      obs.disconnect();
      const shown = () => requestAnimationFrame(() => resolve({ms: performance.now() - t0, value: h.getAttribute('aria-valuenow')}));
      (img.decode ? img.decode() : Promise.resolve()).then(shown, shown);
    });
    obs.observe(img, {attributes: true, attributeFilter: ['src']});
    setTimeout(() => { obs.disconnect(); resolve({ms: null, value: h.getAttribute('aria-valuenow')}); }, 20000);
  });
  return +h.getAttribute('aria-valuenow');
}"""


def _kernels(lab) -> list[dict]:
    return lab.api("api/kernels")


def _wait_kernels_idle(lab, timeout: float = 60) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        ks = _kernels(lab)
        if all(k["execution_state"] == "idle" for k in ks) or time.monotonic() > deadline:
            return ks
        time.sleep(0.25)


def requirement_closure(files: list[Path]) -> set[str]:
    """Canonical names of the distributions pip installs for these requirement files: the named
    ones, ``-e .`` as this project, ``-r`` includes, and everything they require (markers and
    extras evaluated in this environment)."""
    import importlib.metadata as md
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    todo: list[tuple[str, frozenset]] = []
    for f in files:
        for line in f.read_text().splitlines():
            line = line.split(" #")[0].strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith(("-r", "--requirement")):
                todo += [(n, frozenset()) for n in requirement_closure([f.parent / line.split()[-1]])]
            elif line.startswith(("-e", "--editable")):
                project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["name"]
                todo.append((project, frozenset()))
            else:
                req = Requirement(line)
                todo.append((req.name, frozenset(req.extras)))
    seen: set[str] = set()
    done: set[tuple[str, frozenset]] = set()
    while todo:
        name, extras = todo.pop()
        key = (canonicalize_name(name), extras)
        if key in done:
            continue
        done.add(key)
        seen.add(key[0])
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in (extras or {""})):
                continue
            todo.append((req.name, frozenset(req.extras)))
    return seen


KERNEL_MODULES_EXPR = (
    "__import__('json').dumps({m.split('.')[0]: getattr(__import__('sys').modules[m], '__file__', None) "
    "for m in list(__import__('sys').modules) if '.' not in m})"
)


def _imported_outside_closure(lab, kernel_id: str) -> list[str]:
    """Distributions whose modules the kernel imported but that requirements.txt +
    requirements-lab.txt do not bring in."""
    import importlib.metadata as md
    import sysconfig

    from packaging.utils import canonicalize_name

    kc = lab.kernel_client(kernel_id)
    try:
        msg_id = kc.execute("", silent=True, store_history=False, user_expressions={"mods": KERNEL_MODULES_EXPR})
        reply = kc.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=60)
    finally:
        kc.stop_channels()
    expr = reply["content"]["user_expressions"]["mods"]
    assert expr["status"] == "ok", expr
    modules: dict[str, str | None] = json.loads(eval(expr["data"]["text/plain"]))  # a repr of a JSON string
    allowed = requirement_closure([REPO / "requirements.txt", REPO / "requirements-lab.txt"])
    owners = md.packages_distributions()
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    outside = []
    for mod, file in sorted(modules.items()):
        if mod in sys.stdlib_module_names or mod == "__main__":
            continue
        dists = {canonicalize_name(d) for d in owners.get(mod, [])}
        if dists:
            if not dists & allowed:
                outside.append(f"{mod} (from {', '.join(sorted(dists))})")
        elif file and not (Path(file).resolve().is_relative_to(REPO) or Path(file).resolve().is_relative_to(stdlib)):
            outside.append(f"{mod} ({file}: no distribution owns it)")
    return outside


# ------------------------------------------------------------------ tests
def test_environment_is_requirements_runtime_and_postbuild(jupyter_lab):
    """The server runs on runtime.txt's Python, with the pinned JupyterLab and postBuild's setting."""
    want_python = (REPO / "runtime.txt").read_text().strip().removeprefix("python-")
    status = jupyter_lab.api("api/kernelspecs")
    assert status["default"] == "python3"
    pins = dict(
        line.split("==")
        for line in (REPO / "requirements-lab.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    log = jupyter_lab.log.read_text(errors="replace")
    import subprocess

    from relulab_browser import LAB_PYTHON

    got = subprocess.run(
        [
            str(LAB_PYTHON),
            "-c",
            "import sys, jupyterlab; print('%d.%d' % sys.version_info[:2], jupyterlab.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert got[0] == want_python, f"the environment runs Python {got[0]}, runtime.txt asks for {want_python}"
    assert got[1] == pins["jupyterlab"], (
        f"JupyterLab {got[1]} installed, requirements-lab.txt pins {pins['jupyterlab']}"
    )
    assert "jupyterlab_jupytext | extension was successfully loaded" in log, "jupytext's server extension did not load"


@pytest.mark.parametrize("chapter", LAB_CHAPTERS)
def test_chapter_runs_in_jupyterlab(browser, jupyter_lab, chapter):
    assert chapter in TOC, f"{chapter} is not a chapter in _toc.yml"
    lab = jupyter_lab
    source = lab.root / "chapters" / f"{chapter}.md"
    original = source.read_text(encoding="utf-8")
    import jupytext

    n_code = sum(c.cell_type == "code" for c in jupytext.reads(original, fmt="md:myst").cells)
    metrics: dict = {"code cells": n_code}
    LAB_METRICS[chapter] = metrics

    context, page, load = new_page(browser, _lab_origins(lab))
    console = load.console_errors
    try:
        # ---- open as Binder's launch link does; it must open as a notebook and start its kernel
        t0 = time.monotonic()
        page.goto(f"{lab.url}lab/tree/chapters/{chapter}.md?token={lab.token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=120_000)
        _kernel_ready(page)
        metrics["open + kernel start s"] = round(time.monotonic() - t0, 1)
        # JupyterLab attaches cells progressively: wait until every code cell is in the page
        page.wait_for_function(
            f"() => document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell').length === {n_code}",
            timeout=60_000,
            polling=250,
        )

        # ---- save: JupyterLab writes exactly what format_chapters.jupyterlab_form predicts
        stamp = source.stat().st_ctime_ns  # (jupyter_server copies the old mtime onto a saved file)
        for attempt in range(3):  # a click in the first instants after start-up can go unheard
            if attempt:
                page.keyboard.press("Escape")
            _menu(page, "File", re.compile(r"^Save (Notebook|Markdown File)$"))
            deadline = time.monotonic() + 10
            while source.stat().st_ctime_ns == stamp and time.monotonic() < deadline:
                time.sleep(0.2)
            if source.stat().st_ctime_ns != stamp:
                break
        assert source.stat().st_ctime_ns != stamp, "File > Save did not write the chapter (3 tries)"
        saved = source.read_text(encoding="utf-8")
        expected = jupyterlab_form(original, config=_config(lab))
        assert saved == expected, (
            "JupyterLab saved the chapter differently from format_chapters.jupyterlab_form (so the "
            "round-trip test checks the wrong form):\n"
            + "".join(
                list(
                    difflib.unified_diff(
                        expected.splitlines(True), saved.splitlines(True), "jupyterlab_form", "JupyterLab"
                    )
                )[:30]
            )
        )
        metrics["save = stored form"] = saved == original

        # ---- Run All
        t0 = time.monotonic()
        _menu(page, "Run", "Run All Cells")
        page.wait_for_function(
            # done when every cell has run, or when a cell raised (Run All then stops and
            # un-queues the rest): fail at once with the error rather than at the time-out
            f"""() => {{ const p = ({PROMPTS_JS})();
                 if (p.length === {n_code} && p.every(s => /^\\[\\d+\\]:$/.test(s))) return true;
                 const err = document.querySelector('.jp-NotebookPanel .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
                 return !!err && !p.some(s => s.includes('*')); }}""",
            timeout=RUN_ALL_TIMEOUT_S * 1000,
            polling=200,
        )
        kernels = _wait_kernels_idle(lab)
        metrics["run all s"] = round(time.monotonic() - t0, 1)
        page.wait_for_timeout(500)  # widget views render just after their cell
        out = page.evaluate(OUTPUTS_JS)
        assert not out["bad"], "error or stderr output in JupyterLab:\n" + "\n".join(out["bad"])
        prompts = page.evaluate(PROMPTS_JS)
        numbers = [int(re.sub(r"\D", "", p) or -1) for p in prompts]
        assert -1 not in numbers and numbers == sorted(numbers) and len(set(numbers)) == n_code, (
            f"cells did not all run, in order: {prompts}"
        )
        assert all(out["figures"]), f"live figures without a displayed image: {out['figures']}"
        assert [k["execution_state"] for k in kernels] == ["idle"], f"kernel not idle after Run All: {kernels}"
        widget_errors = [
            c for c in console if re.search(r"widget|Failed to create view|TypeError|ReferenceError", c, re.I)
        ]
        assert not widget_errors, "JavaScript errors in JupyterLab:\n" + "\n".join(widget_errors)

        # ---- live figures: each slider, moved with the keyboard, changes its image
        sliders = page.evaluate(MARK_SLIDERS_JS)
        metrics["live sliders"] = len(sliders)
        latencies: list[float] = []
        for s in sliders:
            assert s["has_img"], f"slider {s['id']} has no image next to it"
            handle = page.locator(f'[data-relulab-lab="{s["id"]}"]')
            handle.scroll_into_view_if_needed()
            handle.focus()
            for _ in range(KEY_PRESSES_PER_SLIDER):
                value = page.evaluate(ARM_LATENCY_JS, s["id"])
                page.keyboard.press("ArrowLeft" if value >= s["max"] else "ArrowRight")
                result = page.evaluate("() => window.__relulabLatency")
                assert result["ms"] is not None, (
                    f"slider {s['id']}: a key press did not change the figure (value {value} -> {result['value']})"
                )
                assert float(result["value"]) != value, f"slider {s['id']}: the arrow key did not move the slider"
                latencies.append(result["ms"])
                _wait_kernels_idle(lab, timeout=30)
        if latencies:
            metrics["key->image median ms"] = round(statistics.median(latencies), 1)
            metrics["key->image max ms"] = round(max(latencies), 1)
            metrics["key presses"] = len(latencies)

        # ---- an edited cell re-runs and shows its new output
        first = page.locator(".jp-NotebookPanel .jp-CodeCell").first
        first.scroll_into_view_if_needed()
        before = int(re.sub(r"\D", "", first.locator(".jp-InputPrompt").text_content()))
        first.locator(".cm-content").click()
        page.keyboard.press("Control+Home")  # a new first line: never inside an indented block
        page.keyboard.type("print('relulab edit check', 6 * 7)")
        page.keyboard.press("Enter")
        page.keyboard.press("Shift+Enter")
        page.wait_for_function(
            """(before) => { const c = document.querySelector('.jp-NotebookPanel .jp-CodeCell');
               const n = parseInt((c.querySelector('.jp-InputPrompt').textContent.match(/\\d+/) || ['0'])[0]);
               return n > before && /relulab edit check 42/.test(c.querySelector('.jp-OutputArea').innerText); }""",
            arg=before,
            timeout=60_000,
        )

        # ---- the kernel imported nothing that Binder would not install
        kernels = _wait_kernels_idle(lab)
        assert [k["execution_state"] for k in kernels] == ["idle"], f"kernel not idle at the end: {kernels}"
        outside = _imported_outside_closure(lab, kernels[0]["id"])
        assert not outside, (
            "the chapter imported modules that requirements.txt + requirements-lab.txt do not install "
            "(Binder would fail): " + ", ".join(outside)
        )
        assert not load.external, f"JupyterLab asked other origins for: {load.external}"
    except BaseException:
        shot = lab.home / f"{chapter}-failure.png"
        page.screenshot(path=str(shot))
        print(f"screenshot of the failure: {shot}; server log: {lab.log}")
        raise
    finally:
        context.close()
        # One chapter, one kernel, one reader: before the next chapter, shut the kernel down and
        # forget the workspace (JupyterLab would otherwise reopen this chapter's tab with it).
        lab.forget_sessions()


def _lab_origins(lab) -> list[str]:
    return [lab.url, lab.url.replace("http://", "ws://", 1)]


# ------------------------------------------------------------------ the first screen (issue 21)
FIRST_SCREEN_PX = 900
FIRST_SCREEN_JS = """(height) => {
  const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell')]
    .filter(c => c.getBoundingClientRect().top < height);
  const shown = cells.map(c => c.querySelector('.myst, .jp-MarkdownOutput') || c);
  const text = shown.map(c => c.innerText).join('\\n');
  const titles = shown.flatMap(c => [...c.querySelectorAll('.myst-admonition-header')])
    .filter(h => h.getBoundingClientRect().top < height && h.getClientRects().length)
    .map(h => h.innerText.replace(/\\s+/g, ' ').trim());
  const editing = cells.filter(c => [...c.querySelectorAll('.cm-content')].some(e => e.getClientRects().length && e.getBoundingClientRect().top < height));
  return {text, titles, raw: editing.length};
}"""
SYNTAX = [
    (re.compile(r":::"), "a ::: fence"),
    (re.compile(r"\{(claim|answer|admonition|glue)"), "a directive or role name"),
    (re.compile(r"\{[\w:-]+\}`"), "a role"),
    (re.compile(r"(?m)^\([\w-]+\)=\s*$"), "a (label)= target"),
]
GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+)")


BOX = re.compile(
    r"(?ms)^:::\{admonition\}[ \t]*(?P<title>[^\n]*)\n(?P<options>(?::[\w-]+:[^\n]*\n)*)(?P<body>.*?)^:::[ \t]*$"
)


def first_screen_expectations(text: str) -> tuple[list[str], set[str]]:
    """From a chapter's source: the box titles its first screen must show ("Our answer", then each claim's
    "Verdict: claim"), and the names of the numbers glued into its answer box (which must not show)."""
    titles, glued = [], set()
    for box in BOX.finditer(text):
        classes = re.search(r"(?m)^:class:([^\n]*)", box["options"])
        kinds = set(classes[1].split()) if classes else set()
        if not kinds & {"answer", "claim"}:
            continue
        titles.append(" ".join(box["title"].split()))
        if "answer" in kinds:
            glued |= set(GLUE_ROLE.findall(box["options"] + box["body"]))
    return titles, glued


def first_screen_problems(screen: dict, titles: list[str], glued: set[str]) -> list[str]:
    problems = []
    if screen["raw"]:
        problems.append(f"{screen['raw']} Markdown cells on the first screen are not rendered")
    for pattern, what in SYNTAX:
        m = pattern.search(screen["text"])
        if m:
            at = screen["text"][max(0, m.start() - 40) : m.end() + 40].replace("\n", " ")
            problems.append(f"{what} is visible: ...{at}...")

    def plain(text: str) -> str:  # JupyterLab (like Sphinx) prints typographic quotes
        return " ".join(text.translate(str.maketrans("‘’“”", "''\"\"")).split())

    shown = [plain(t) for t in screen["titles"]]
    for title in titles:
        if not any(t.startswith(plain(title)[:60]) for t in shown):
            problems.append(f"box {title[:60]!r} is not on the first screen (titles shown: {shown})")
    for name in sorted(glued):
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", screen["text"]):
            problems.append(f"the glued number {name!r} shows as its name in the answer box")
    return problems


@pytest.fixture(scope="module")
def lab_page(browser, jupyter_lab):
    """One JupyterLab page for the first-screen checks: loaded once by the Binder link's URL of the first
    chapter; the next chapters open in the same page, as the file browser opens them (the same viewer)."""
    context, page, load = new_page(browser, _lab_origins(jupyter_lab), height=FIRST_SCREEN_PX)
    page.goto(f"{jupyter_lab.url}lab/tree/chapters/{TOC[0]}.md?token={jupyter_lab.token}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=120_000)
    yield page, load
    context.close()
    jupyter_lab.forget_sessions()


OPEN_JS = """async (path) => {
  await window.jupyterapp.started;
  await window.jupyterapp.commands.execute('application:close-all');
  await window.jupyterapp.commands.execute('docmanager:open', {path});
}"""


@pytest.mark.parametrize("chapter", TOC)
def test_first_screen_shows_the_rendered_answer_and_verdicts(lab_page, jupyter_lab, chapter):
    """Opened without running a cell, a chapter's first screen in JupyterLab shows the rendered answer box and every
    verdict box (verdict word and claim), and no MyST syntax: no ::: fence, directive or role, (label)= target, nor
    the name of a glued number in place of the number."""
    lab = jupyter_lab
    page, load = lab_page
    titles, glued = first_screen_expectations((REPO / "chapters" / f"{chapter}.md").read_text(encoding="utf-8"))
    if chapter != TOC[0]:
        page.evaluate(OPEN_JS, f"chapters/{chapter}.md")
    page.wait_for_function(
        "(name) => { const t = document.querySelector('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current');"
        " return !!t && t.textContent.includes(name); }",
        arg=f"{chapter}.md",
        timeout=60_000,
    )
    page.wait_for_selector(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell .myst-admonition-header", timeout=120_000
    )
    page.wait_for_timeout(300)  # the notebook-wide pass that resolves cross-references
    screen = page.evaluate(FIRST_SCREEN_JS, FIRST_SCREEN_PX)
    problems = first_screen_problems(screen, titles, glued)
    if problems:
        shot = lab.home / f"{chapter}-first-screen.png"
        page.screenshot(path=str(shot))
        problems.append(f"screenshot: {shot}")
    assert not problems, f"{chapter} in JupyterLab:\n" + "\n".join(problems)
    assert not load.external, f"JupyterLab asked other origins for: {load.external}"


def test_first_screen_check_catches_raw_syntax():
    """The check fails on what issue 21 found: raw boxes, roles, labels, glue names, a missing verdict."""
    titles = ["Short answer", "Holds: Alpha is first."]
    good = {"text": "Short answer\nAlpha is first by 3.14.\nHolds: Alpha is first.", "titles": titles, "raw": 0}
    assert first_screen_problems(good, titles, {"gap"}) == []
    raw = {
        "text": "(alpha)=\n:::{answer}\nby {glue:text}`gap:.2f`, see {numref}`fig-x`\n:::",
        "titles": [],
        "raw": 1,
    }
    problems = first_screen_problems(raw, titles, {"gap"})
    for what in (
        "not rendered",
        "::: fence",
        "directive or role name",
        "a role",
        "(label)= target",
        "'Short answer'",
        "'Holds: Alpha is first.'",
        "glued number 'gap'",
    ):
        assert any(what in p for p in problems), (what, problems)


def _config(lab):
    from jupytext.config import load_jupytext_config

    return load_jupytext_config(str(lab.root / "chapters"))


def test_latency_target_reported():
    """The median key-press-to-image time is reported (target under 100 ms), not asserted: on a
    shared 2-core machine it varies with load. This test only checks a number was measured."""
    measured = {c: m.get("key->image median ms") for c, m in LAB_METRICS.items() if m.get("live sliders")}
    if not LAB_METRICS:
        pytest.skip("no chapter ran in JupyterLab in this session")
    assert measured, f"none of the chapters opened has a live figure (the test needs one): {LAB_METRICS}"
    assert all(v is not None for v in measured.values()), f"no slider latency measured: {LAB_METRICS}"


def test_requirement_closure_leaves_out_test_only_packages():
    """The import check can fail: test tools installed in .venv are outside Binder's closure."""
    closure = requirement_closure([REPO / "requirements.txt", REPO / "requirements-lab.txt"])
    assert {"jax", "numpy", "ipykernel", "ipywidgets", "jupytext", "jupyterlab", "relulab"} <= closure
    assert not {"hypothesis", "pytest", "playwright", "pytest-xdist"} & closure
