"""What a reader sees of each chapter page when it loads: words of prose, lines of code, figures.

Usage (after ``make book``)::

    .venv/bin/python -m benchmarks.reader_path                 # every chapter of _toc.yml, from _build/html
    .venv/bin/python -m benchmarks.reader_path --chromium      # and the same count by Chromium, page by page
    .venv/bin/python -m benchmarks.reader_path --site DIR --pages chapters/x.html

Counted inside the page's article, as a browser shows it at load, after its scripts ran:

* **prose words**: the answer box, the verdicts' summaries, the main path's text and headings, the exercises'
  statements; a formula, a glued value and an inline code span count as one word each.
  Not counted: what is collapsed (a closed ``<details>``: verdict reasons, Going-further blocks, hidden code cells;
  a dropdown admonition's body: solutions), cell outputs, code, and interface text (heading permalinks, "why?",
  the verdicts' evidence links, "Show code cell source", a solution's "Solution to ..." toggle, the reading-time
  line, buttons).
* **code lines**: lines of visible code, code cells' inputs and code blocks in the prose (not outputs).
* **figures**: visible images, interactive figures and explorables (an explorable counts once, with or
  without its fallback image, which the browser replaces when the view renders).
* **minutes**: what ``_ext/chapter_shape.py`` writes under the title, from these counts: words at 150 a minute,
  3 s a line of code, 30 s a figure.

The targets of issue 26 are at most 3,000 words and 60 lines of code per chapter page.

``--chromium`` loads each page in headless Chromium (Playwright, ``/usr/bin/chromium``) and counts again from the
rendered DOM: ``innerText`` of the article (which leaves out what is not rendered or hidden) after the same
interface text is emptied and each formula, glued value and inline code span is replaced by one word, and the
lines of every ``<pre>`` that ``checkVisibility()`` reports visible. The two counts must agree; the script prints
both and exits with status 1 if they differ by more than 1%.
"""

from __future__ import annotations

import argparse
import http.server
import json
import socketserver
import sys
import threading
from functools import partial
from pathlib import Path

import bs4

try:
    from tools import ROOT
    from tools.toc import toc_chapters
except ModuleNotFoundError as err:  # run as a file, the repository root is not on the path
    if err.name != "tools":
        raise
    sys.exit("run it from the repository root as: .venv/bin/python -m benchmarks.reader_path [--chromium]")

WORDS_PER_MINUTE = 150
SECONDS_PER_CODE_LINE = 3
SECONDS_PER_FIGURE = 30

#: interface text: not prose, not counted (same list for the HTML parser and for Chromium)
UI = [
    "script",
    "style",
    "noscript",
    "template",
    "button",
    "a.headerlink",
    ".claim-why",
    "details.hide > summary",
    "p.reading-time",
    ".going-further-time",
    ".relulab-if-controls",
    ".claim-evidence",
    ".solution > .admonition-title",
]
#: one word each, whatever their text
UNITS = [".math", ".pasted-text", "code.literal"]
CODE = "div.cell_input pre, div.highlight pre"
FIGURES = "img, .relulab-interactive, [data-relulab-explorable]"
BLOCKS = [
    "p",
    "div",
    "section",
    "article",
    "li",
    "ol",
    "ul",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "figure",
    "figcaption",
    "blockquote",
    "details",
    "summary",
    "br",
    "pre",
    "hr",
    "img",
]


def article(soup: bs4.BeautifulSoup) -> bs4.Tag:
    return soup.select_one("article.bd-article") or soup.select_one("main") or soup.body or soup


def _hidden(tag: bs4.Tag) -> bool:
    """Hidden at load: inside a closed <details> (but its summary), or a dropdown admonition's body."""
    for parent in [tag, *tag.parents]:
        if not isinstance(parent, bs4.Tag):
            continue
        if parent.has_attr("hidden") or "display:none" in parent.get("style", "").replace(" ", ""):
            return True
        up = parent.parent
        if up is None or not isinstance(up, bs4.Tag):
            continue
        if up.name == "details" and not up.has_attr("open") and parent.name != "summary":
            return True
        classes = up.get("class", [])
        if "admonition" in classes and ("dropdown" in classes or "toggle" in classes):
            if "admonition-title" not in parent.get("class", []):
                return True
    return False


def count_html(html: str) -> dict:
    """Prose words, code lines and figures visible at load in a built page's article."""
    soup = bs4.BeautifulSoup(html, "html.parser")
    root = article(soup)
    for tag in root.select(", ".join(UI)):
        tag.clear()  # emptied, not removed: a removed toggle title would change what the page's CSS hides
    figures = sum(1 for tag in root.select(FIGURES) if not _hidden(tag) and not _in_figure_player(tag))
    code_lines = 0
    for pre in root.select(CODE):
        if pre.find_parent(class_="cell_output") is None and not _hidden(pre):
            code_lines += _lines(pre.get_text())
    for tag in root.select(".cell_output, " + CODE):
        tag.decompose()
    for tag in root.select(", ".join(UNITS)):
        tag.clear()
        tag.append("W")
    for tag in list(root.find_all(True)):
        if tag.decomposed:
            continue
        if _hidden(tag):
            tag.decompose()
    for tag in root.find_all(BLOCKS):  # text of neighbouring blocks never runs together; inline text does
        tag.insert_before(" ")
        tag.insert_after(" ")
    words = len(root.get_text("").split())
    return {
        "words": words,
        "code_lines": code_lines,
        "figures": figures,
        "minutes": minutes(words, code_lines, figures),
    }


def _in_figure_player(tag: bs4.Tag) -> bool:
    """An image inside an interactive figure or an explorable (its fallback, which the browser replaces
    once the view renders) is counted with the figure, not on its own."""
    return tag.name == "img" and (
        tag.find_parent(class_="relulab-interactive") is not None
        or tag.find_parent(attrs={"data-relulab-explorable": True}) is not None
    )


def _lines(text: str) -> int:
    text = text.strip("\n")
    return len(text.split("\n")) if text.strip() else 0


def minutes(words: int, code_lines: int, figures: int) -> float:
    return words / WORDS_PER_MINUTE + code_lines * SECONDS_PER_CODE_LINE / 60 + figures * SECONDS_PER_FIGURE / 60


# ---------------------------------------------------------------------------------------------------------------
# The same count in Chromium
# ---------------------------------------------------------------------------------------------------------------

BROWSER_JS = """([ui, units, code, figures]) => {
  const root = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  const visible = el => el.checkVisibility({visibilityProperty: true, opacityProperty: false});
  root.querySelectorAll(ui.join(", ")).forEach(el => { el.textContent = ""; });
  const figureCount = [...root.querySelectorAll(figures)]
    .filter(el => !(el.tagName === "IMG" && el.closest(".relulab-interactive, [data-relulab-explorable]")))
    .filter(el => visible(el)).length;
  let codeLines = 0;
  root.querySelectorAll(code).forEach(pre => {
    if (!pre.closest(".cell_output") && visible(pre)) {
      const text = pre.innerText.replace(/^\\n+|\\n+$/g, "");
      if (text.trim()) codeLines += text.split("\\n").length;
    }
  });
  root.querySelectorAll(".cell_output, " + code).forEach(el => el.remove());
  root.querySelectorAll(units.join(", ")).forEach(el => { el.textContent = "W"; });
  const words = root.innerText.split(/\\s+/).filter(Boolean).length;
  return {words: words, code_lines: codeLines, figures: figureCount};
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def count_in_chromium(
    site: Path, pages: list[str], chromium: str = "/usr/bin/chromium", browser=None
) -> dict[str, dict]:
    """Count each page as loaded by headless Chromium from a server on 127.0.0.1 (nothing else is fetched).

    ``browser`` is a Playwright browser to use (the browser suite passes its own); without one, Chromium is started.
    """
    handler = partial(_Quiet, directory=str(site))
    with socketserver.TCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            if browser is not None:
                return _count_pages(browser, base, pages)
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                own = pw.chromium.launch(
                    executable_path=chromium,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
                    headless=True,
                )
                try:
                    return _count_pages(own, base, pages)
                finally:
                    own.close()
        finally:
            server.shutdown()


def _count_pages(browser, base: str, pages: list[str]) -> dict[str, dict]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        out = {}
        for rel in pages:
            page.goto(base + rel)
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)  # togglebutton and the page fixes run on load
            counts = page.evaluate(BROWSER_JS, [UI, UNITS, CODE, FIGURES])
            counts["minutes"] = minutes(counts["words"], counts["code_lines"], counts["figures"])
            out[rel] = counts
        return out
    finally:
        context.close()


def chapter_pages(site: Path) -> list[str]:
    pages = []
    for path in toc_chapters():
        rel = path.relative_to(ROOT).with_suffix(".html").as_posix()
        if (site / rel).is_file():
            pages.append(rel)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--pages", nargs="*", help="pages relative to the site (default: the toc's chapters)")
    parser.add_argument("--chromium", action="store_true", help="count again in headless Chromium and compare")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    pages = args.pages or chapter_pages(args.site)
    if not pages:
        print(f"no chapter pages under {args.site}: run `make book` first", file=sys.stderr)
        return 2
    counts = {rel: count_html((args.site / rel).read_text(encoding="utf-8")) for rel in pages}
    browser = count_in_chromium(args.site, pages) if args.chromium else {}
    if args.json:
        print(json.dumps({"html": counts, "chromium": browser}, indent=1))
    else:
        head = f"{'page':<32} {'words':>6} {'code lines':>10} {'figures':>7} {'minutes':>7}"
        if browser:
            head += f"   {'Chromium: words':>15} {'code lines':>10} {'figures':>7}"
        print(head)
        for rel in pages:
            c = counts[rel]
            line = f"{rel:<32} {c['words']:>6} {c['code_lines']:>10} {c['figures']:>7} {c['minutes']:>7.1f}"
            if browser:
                b = browser[rel]
                line += f"   {b['words']:>15} {b['code_lines']:>10} {b['figures']:>7}"
            print(line)
        print("targets (issue 26): at most 3,000 words and 60 lines of code per chapter page, about 20 minutes")
    if browser:
        bad = [
            rel
            for rel in pages
            if abs(browser[rel]["words"] - counts[rel]["words"]) > 0.01 * max(counts[rel]["words"], 1)
            or browser[rel]["code_lines"] != counts[rel]["code_lines"]
            or browser[rel]["figures"] != counts[rel]["figures"]
        ]
        if bad:
            print(f"the HTML count and Chromium's disagree on: {', '.join(bad)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
