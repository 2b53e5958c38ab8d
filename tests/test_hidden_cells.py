"""``_ext/hidden_cells.py``: every ``remove-input`` cell's source is in the page, unseen, for Live Code.

A fixture book (Sphinx, MyST-NB with execution off, seconds) with one notebook page holds a visible cell, a
``hide-input`` cell, three ``remove-input`` cells (one whose source could end a ``<script>`` element early, one
with a word nothing else on the page has) and a ``remove-cell`` cell. The built page must carry each
``remove-input`` source, in order, as a JSON ``<script>`` inside that cell's container, and nothing else: no
``remove-cell`` source, no visible text, no word of it in the search index. The chapters' own pages are driven
in Chromium by ``tests/browser/test_thebe.py``.

Live Code never runs a ``remove-cell`` cell, so no cell it runs may need one: checked on every chapter with
``tests/chapter_names.py``, and shown to fail on a fixture chapter that breaks the rule.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from book_fixture import ROOT, sphinx_book, sphinx_build, warnings_of
from chapter_names import dependencies, needs_removed_cells

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

TRICKY = 'banner = "</script><script>alert(1)</script> <!-- & &amp; \\u2028 é"\nprint(banner)'
SECRET = "zyxwvhiddenword = 42"
SOURCES = {
    "visible": "a = 1",
    "hidden-1": "import math\nb = math.pi * a",
    "folded": "c = b + 1",
    "hidden-2": TRICKY,
    "hidden-3": SECRET,
    "removed": "never_shown = 'qqqremovedcell'",
}


def notebook_page() -> str:
    cell = "```{{code-cell}} ipython3\n{tags}{source}\n```\n"
    tag = {
        "hidden-1": "remove-input",
        "hidden-2": "remove-input",
        "hidden-3": "remove-input",
        "folded": "hide-input",
        "removed": "remove-cell",
    }
    parts = [HEADER, "# Hidden cells\n"]
    for name, source in SOURCES.items():
        tags = f":tags: [{tag[name]}]\n\n" if name in tag else ""
        parts.append(f"Some text before {name}.\n\n" + cell.format(tags=tags, source=source))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("hidden-cells")
    sphinx_book(src, {"index.md": notebook_page()}, extra_extensions=("hidden_cells",))
    result = sphinx_build(src)
    assert result.returncode == 0 and not warnings_of(result), result.stderr
    return src / "_build" / "html"


SCRIPT = re.compile(r'<script type="application/json" class="relulab-hidden-cell">(.*?)</script>', re.S)


def test_every_remove_input_source_is_in_the_page_in_order(built):
    page = (built / "index.html").read_text(encoding="utf-8")
    found = [json.loads(text) for text in SCRIPT.findall(page)]
    assert found == [SOURCES["hidden-1"], SOURCES["hidden-2"], SOURCES["hidden-3"]]
    # each one inside its own (input-less) cell container, which has no other input
    container = r'<div class="cell tag_remove-input[^"]*">(.*?)</div>\s*(?=<p>|<div class="cell|</section)'
    cells = re.findall(container, page, re.S)
    assert len(cells) == 3 and all(len(SCRIPT.findall(c)) == 1 and "<pre" not in c for c in cells), cells
    # the JSON text never ends the element early or opens a comment: no "<" or "&" inside it at all
    assert all("<" not in text and "&" not in text for text in SCRIPT.findall(page))


def test_hidden_sources_are_not_shown_nor_indexed(built):
    page = (built / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", page, flags=re.S))
    shown = " ".join(text.replace("<", " < ").replace(">", " > ").split())  # as highlighted code reads, tokens apart

    def words(source: str) -> str:
        return " ".join(re.sub(r"([=<>\"])", r" \1 ", source).split())

    for name in ("hidden-1", "hidden-2", "hidden-3", "removed"):
        first = words(SOURCES[name].splitlines()[0])
        assert first not in shown, f"{name}: {first!r} is visible on the page"
    assert words("a = 1") in shown and words("c = b + 1") in shown  # the visible and folded cells are there, as before
    assert "qqqremovedcell" not in page  # remove-cell: not in the page at all
    index = (built / "searchindex.js").read_text(encoding="utf-8")
    assert "zyxwvhiddenword" not in index and "qqqremovedcel" not in index


def test_the_analysis_finds_what_live_code_needs_in_the_fixture(tmp_path):
    """The fixture's visible cell ``c = b + 1`` needs a hidden cell; a cell using a remove-cell name is found."""
    path = tmp_path / "chapter.md"
    path.write_text(notebook_page() + "\n```{code-cell} ipython3\nprint(never_shown, b)\n```\n", encoding="utf-8")
    deps = dependencies(path)
    assert [(d.cell.source, sorted(d.names)) for d in deps if d.cell.kind == "visible"] == [
        ("c = b + 1", ["b"]),
        ("print(never_shown, b)", ["b", "never_shown"]),
    ]
    broken = needs_removed_cells(path)
    assert [(d.cell.source, sorted(d.names)) for d in broken] == [("print(never_shown, b)", ["never_shown"])]


CHAPTERS = sorted(p for p in (ROOT / "chapters").glob("*.md") if not p.name.startswith("_"))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_cell_live_code_runs_needs_a_removed_cell(chapter):
    broken = [
        f"cell {d.cell.index} ({d.cell.kind}) uses {sorted(d.names)} from remove-cell cell(s) "
        f"{sorted({c.index for c in d.names.values()})}"
        for d in needs_removed_cells(chapter)
    ]
    assert not broken, f"{chapter.name}: Live Code never runs remove-cell cells; tag them remove-input: {broken}"
