"""The claims extension (``_ext/claims.py``) and the chapters' answer and claim boxes.

Two kinds of test:

* A tiny fixture book (two chapters, a ledger, a front page) is built with Sphinx + myst-nb in a temporary
  directory, in a subprocess, with ``-W``: the boxes render with their classes and anchors, the ledger and
  ``claims.json`` list every claim (glued numbers resolved), and each kind of mistake fails the build with a
  message naming the file and the claim id. One chapter is a notebook with a stored glue output, so no kernel runs.

The real chapters are checked by the book build itself (``make book`` builds with ``-W``, so each of these mistakes
fails it); ``tests/test_chapter_shape.py`` checks the rest of a chapter's shape the same way, on fixture books.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import bs4  # pinned in requirements-test.txt: a missing bs4 is an error, never a skip
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "_ext"
VERDICTS = {"holds": "Holds", "caveat": "Holds, with a caveat", "misleading": "Misleading"}

# ---------------------------------------------------------------------------------------------------------------
# The fixture book
# ---------------------------------------------------------------------------------------------------------------

CONF = f"""
import sys
sys.path.insert(0, {str(EXT)!r})
project = "fixture"
extensions = ["myst_nb", "claims"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
nb_execution_mode = "off"
root_doc = "index"
exclude_patterns = ["_build"]
html_theme = "basic"
"""

INDEX = """\
# Fixture book

```{answer-summaries}
```

```{toctree}
chapters/alpha
chapters/beta
claims
```
"""

LEDGER = """\
# Every claim, checked

```{claim-ledger}
```
"""

ALPHA_MARKDOWN = [
    """\
(alpha)=
# Is alpha first?

:::{admonition} Our answer
:class: answer
:summary: Yes, alpha comes *first*.
:figure: fig-alpha
Alpha is first, by {glue:text}`pi:.2f` lengths.
:::

:::{admonition} Holds: Alpha is the first letter.
:class: claim tip dropdown
:name: alpha-first
The gap is {glue:text}`pi:.2f`, and $a < b$.

Evidence: {ref}`alpha-evidence`
:::

:::{admonition} Holds, with a caveat: Alpha is the only first letter.
:class: claim warning dropdown
:name: alpha-only
Only in the Greek alphabet; see {ref}`beta-evidence`.

Evidence: {ref}`beta-evidence`
:::

:::{admonition} An ordinary admonition
:class: tip
Left as Sphinx makes it.
:::
""",
    """\
(alpha-evidence)=
## The evidence for alpha

The glued gap is {glue:text}`pi:.4f`.
""",
]

# A stored glue output, exactly as ``myst_nb.glue("pi", 3.14159, display=False)`` records it.
GLUE_OUTPUT = {
    "output_type": "display_data",
    "data": {"application/papermill.record/text/plain": "3.14159"},
    "metadata": {"scrapbook": {"name": "pi", "mime_prefix": "application/papermill.record/"}},
}

BETA = """\
(beta)=
# Is beta second?

:::{admonition} Our answer
:class: answer
:summary: No, it is a letter like any other.
Beta is second only by convention.
:::

:::{admonition} Misleading: Beta is the second letter.
:class: claim danger dropdown
:name: beta-second
Order is a convention, not a property of $\\beta$.

Evidence: {ref}`beta-evidence`
:::

(beta-evidence)=
## The evidence for beta

Text.
"""


# A stored figure output (a 1x1 PNG), named fig-alpha by the cell's metadata: the answer box's key figure.
PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
FIGURE_CELL = {
    "cell_type": "code",
    "id": "c3",
    "execution_count": 2,
    "metadata": {"mystnb": {"figure": {"name": "fig-alpha", "caption": "A pixel."}, "image": {"alt": "One pixel."}}},
    "source": "show_pixel()",
    "outputs": [{"output_type": "display_data", "data": {"image/png": PIXEL_PNG}, "metadata": {}}],
}


def alpha_notebook(markdown: list[str] = ALPHA_MARKDOWN) -> str:
    cells = [
        {"cell_type": "markdown", "id": "c0", "metadata": {}, "source": markdown[0]},
        {
            "cell_type": "code",
            "id": "c1",
            "execution_count": 1,
            "metadata": {},
            "source": 'glue("pi", 3.14159, display=False)',
            "outputs": [GLUE_OUTPUT],
        },
        {"cell_type": "markdown", "id": "c2", "metadata": {}, "source": markdown[1]},
        FIGURE_CELL,
    ]
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook)


def write_book(src: Path, alpha: str | None = None, beta: str = BETA, extra: dict[str, str] | None = None) -> Path:
    (src / "chapters").mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text(INDEX)
    (src / "claims.md").write_text(LEDGER)
    (src / "chapters" / "alpha.ipynb").write_text(alpha if alpha is not None else alpha_notebook())
    (src / "chapters" / "beta.md").write_text(beta)
    for name, text in (extra or {}).items():
        (src / name).write_text(text)
    return src


def sphinx_build(src: Path, *args: str) -> subprocess.CompletedProcess:
    out = src / "_build" / "html"
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", *args, str(src), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def soup(path: Path) -> bs4.BeautifulSoup:
    return bs4.BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def good_book(tmp_path_factory) -> Path:
    src = write_book(tmp_path_factory.mktemp("book"))
    result = sphinx_build(src)
    assert result.returncode == 0, result.stderr
    return src / "_build" / "html"


def test_boxes_render_with_classes_anchors_and_collapsed_reason(good_book):
    page = soup(good_book / "chapters" / "alpha.html")
    answers = page.select("div.answer")
    assert len(answers) == 1
    assert answers[0].select_one(".admonition-title").get_text(strip=True) == "Our answer"  # not "short answer",
    assert "short answer" not in answers[0].get_text().lower()  # which the chapters use for the source's answer
    assert "3.14 lengths" in answers[0].get_text()  # glue resolved in the answer's body
    assert "comes first" not in answers[0].get_text()  # the summary is for the front page only
    assert sorted(answers[0]["class"]) == ["admonition", "answer"]  # no admonition-short-answer class from the title

    boxes = {box["id"]: box for box in page.select("div.claim")}
    assert set(boxes) == {"alpha-first", "alpha-only"}
    for claim_id, verdict, claim in [
        ("alpha-first", "holds", "Alpha is the first letter."),
        ("alpha-only", "caveat", "Alpha is the only first letter."),
    ]:
        box = boxes[claim_id]
        assert box["class"] == ["claim", f"claim-{verdict}"]  # the JupyterLab classes (tip, dropdown) stay out
        summary = box.select_one("details > summary")
        assert summary is not None and not box.select_one("details").has_attr("open")  # reason collapsed
        assert summary.select_one(".claim-verdict").get_text(strip=True) == VERDICTS[verdict]
        assert summary.select_one(".claim-text").get_text(strip=True) == claim
        assert box.select_one("details .claim-reason").get_text(strip=True)
    assert "The gap is 3.14, and" in boxes["alpha-first"].select_one(".claim-reason").get_text()
    assert "Evidence" not in boxes["alpha-first"].select_one(".claim-reason").get_text()  # the line became the link

    # an admonition that is neither box is left alone
    (tip,) = page.select("div.admonition.tip")
    assert tip.select_one(".admonition-title").get_text(strip=True) == "An ordinary admonition"

    # evidence links point at the labelled sections, in this chapter and in another one
    first = boxes["alpha-first"].select_one(".claim-evidence a")
    assert first["href"] == "#alpha-evidence" and "The evidence for alpha" in first.get_text()
    assert page.find(id="alpha-evidence") is not None
    other = boxes["alpha-only"].select_one(".claim-evidence a")
    assert other["href"] == "beta.html#beta-evidence"
    assert soup(good_book / "chapters" / "beta.html").find(id="beta-evidence") is not None

    beta = soup(good_book / "chapters" / "beta.html").select("div.claim")
    assert [b["id"] for b in beta] == ["beta-second"] and "claim-misleading" in beta[0]["class"]

    # the extension's stylesheet is linked and copied
    assert any("claims.css" in link["href"] for link in page.select("link[rel=stylesheet]"))
    assert (good_book / "_static" / "claims.css").is_file()


def _all_claim_ids(html: Path) -> set[str]:
    return {box["id"] for page in html.rglob("chapters/*.html") for box in soup(page).select("div.claim")}


def test_ledger_lists_every_claim_with_resolved_reason_and_links(good_book):
    ids = _all_claim_ids(good_book)
    assert ids == {"alpha-first", "alpha-only", "beta-second"}
    page = soup(good_book / "claims.html")
    rows = page.select("table.claim-ledger-table tbody tr")
    linked = {}
    for row in rows:
        cells = row.find_all("td")
        assert len(cells) == 4
        href = cells[0].a["href"]
        linked[href.split("#")[1]] = (href, cells)
    assert set(linked) == ids
    href, cells = linked["alpha-first"]
    assert href == "chapters/alpha.html#alpha-first"
    assert cells[1].get_text(strip=True) == "Holds"
    assert "The gap is 3.14, and" in cells[2].get_text() and "glue" not in cells[2].get_text()
    assert cells[2].select(".math")  # maths kept
    assert cells[3].a["href"] == "chapters/alpha.html#alpha-evidence"
    href, cells = linked["alpha-only"]
    assert "The evidence for beta" in cells[2].get_text()  # the {ref} in the reason, resolved from the ledger
    assert cells[2].a["href"] == "chapters/beta.html#beta-evidence"
    assert linked["beta-second"][1][1].get_text(strip=True) == "Misleading"

    # grouped by question, in table-of-contents order, each heading linking to its chapter
    headings = [
        (h.get_text(strip=True).rstrip("¶"), h.a["href"]) for h in page.select("section.claim-ledger-question h2")
    ]
    assert headings == [("Is alpha first?", "chapters/alpha.html"), ("Is beta second?", "chapters/beta.html")]
    assert "3 claims from 2 questions" in page.get_text()


def test_claims_json_lists_every_claim(good_book):
    records = json.loads((good_book / "claims.json").read_text())
    assert [r["id"] for r in records] == ["alpha-first", "alpha-only", "beta-second"]
    assert {r["id"] for r in records} == _all_claim_ids(good_book)
    first = records[0]
    assert first == {
        "id": "alpha-first",
        "chapter": "chapters/alpha",
        "question": "Is alpha first?",
        "claim": "Alpha is the first letter.",
        "verdict": "holds",
        "reason": first["reason"],
        "url": "chapters/alpha.html#alpha-first",
        "evidence_url": "chapters/alpha.html#alpha-evidence",
    }
    assert first["reason"] == "The gap is 3.14, and $a < b$."  # maths keeps its delimiters
    assert "The evidence for beta" in records[1]["reason"]
    for r in records:
        assert r["verdict"] in VERDICTS
        for key in ("url", "evidence_url"):
            path, anchor = r[key].split("#")
            assert soup(good_book / path).find(id=anchor) is not None, r[key]


def test_front_page_lists_questions_with_summaries_and_counts(good_book):
    page = soup(good_book / "index.html")
    items = page.select("ol.answer-summaries > li")
    questions = [li.select_one(".answer-summary-question a") for li in items]
    assert [a["href"] for a in questions] == ["chapters/alpha.html", "chapters/beta.html"]
    assert [a.get_text(strip=True) for a in questions] == ["Is alpha first?", "Is beta second?"]
    assert " ".join(items[0].select_one(".answer-summary-text").get_text().split()) == "Yes, alpha comes first."
    assert items[0].select_one(".answer-summary-text em") is not None  # inline markup kept
    assert "1 holds · 1 with a caveat" in items[0].get_text()
    assert "1 misleading" in items[1].get_text()


# As the book's _toc.yml does it: only the questions are numbered (chapter numbers only), the ledger is not.
NUMBERED_INDEX = """\
# Fixture book

```{answer-summaries}
```

```{toctree}
:numbered: 1
chapters/alpha
chapters/beta
```

```{toctree}
claims
```
"""


def test_numbered_questions_show_their_chapter_number_on_the_front_page_and_in_the_ledger(tmp_path):
    src = write_book(tmp_path, extra={"index.md": NUMBERED_INDEX})
    result = sphinx_build(src)
    assert result.returncode == 0, result.stderr
    html = src / "_build" / "html"
    expected = ["1. Is alpha first?", "2. Is beta second?"]
    for stem, title in zip(["alpha", "beta"], expected, strict=True):  # the number Sphinx gives the chapter
        assert soup(html / "chapters" / f"{stem}.html").h1.get_text().rstrip("¶#").strip() == title
    front = soup(html / "index.html").select(".answer-summary-question a")
    assert [a.get_text().strip() for a in front] == expected
    assert all(a.select_one("strong > span.section-number") for a in front)
    ledger = soup(html / "claims.html")
    headings = [h.a.get_text().strip() for h in ledger.select("section.claim-ledger-question h2")]
    assert headings == expected
    assert ledger.h1.get_text().rstrip("¶#").strip() == "Every claim, checked"  # outside the numbered toctree
    assert [r["question"] for r in json.loads((html / "claims.json").read_text())][::2] == [
        "Is alpha first?",
        "Is beta second?",
    ]  # the data keeps the bare question


# As the book's _toc.yml does it: the questions in two captioned parts, numbered across both.
PARTS_INDEX = """\
# Fixture book

```{answer-summaries}
```

```{toctree}
:caption: First part
:numbered: 1
chapters/alpha
```

```{toctree}
:caption: Second part
:numbered: 1
chapters/beta
```

```{toctree}
claims
```
"""


def test_the_front_page_groups_the_questions_under_their_parts(tmp_path, good_book):
    src = write_book(tmp_path, extra={"index.md": PARTS_INDEX})
    result = sphinx_build(src)
    assert result.returncode == 0, result.stderr
    page = soup(src / "_build" / "html" / "index.html")
    parts = page.select("p.rubric.answer-summaries-part")
    assert [p.get_text().strip() for p in parts] == ["First part", "Second part"]
    lists = page.select("ol.answer-summaries")
    assert len(lists) == 2 and [len(ol.select(":scope > li")) for ol in lists] == [1, 1]
    assert lists[1].get("start") == "2"  # numbering goes on across the parts
    for part, ol in zip(parts, lists, strict=True):
        assert part.find_next("ol") is ol  # each heading right above its questions
    # without captions (one part), one list and no heading
    single = soup(good_book / "index.html")
    assert len(single.select("ol.answer-summaries")) == 1 and not single.select("p.answer-summaries-part")


def test_front_page_shows_the_key_figure_named_by_the_answer_box(good_book):
    items = soup(good_book / "index.html").select("ol.answer-summaries > li")
    order = [
        next((c for c in child.get("class", []) if c.startswith("answer-summary-")), None)
        for child in items[0].find_all(True, recursive=False)
    ]
    # the question, its answer, then the figure with its caption, then the counts
    assert (
        order.index("answer-summary-text")
        < order.index("answer-summary-figure-block")
        < order.index("answer-summary-counts")
    )
    caption = items[0].select_one(".answer-summary-caption")
    assert " ".join(caption.get_text().split()).endswith("A pixel.")  # the chapter's caption
    assert caption.a["href"] == "chapters/alpha.html#fig-alpha"
    link = items[0].select_one(".answer-summary-thumb a")
    assert link["href"] == "chapters/alpha.html#fig-alpha"
    assert link.img["alt"] == "One pixel." and (good_book / link.img["src"]).read_bytes() == base64.b64decode(PIXEL_PNG)
    assert soup(good_book / "chapters" / "alpha.html").find(id="fig-alpha") is not None
    assert items[1].select_one(".answer-summary-figure-block") is None  # beta names no key figure


def test_incremental_rebuild_updates_the_ledger(good_book, tmp_path):
    src = tmp_path / "book"
    shutil.copytree(good_book.parents[1], src)
    (src / "chapters" / "beta.md").write_text(
        BETA.replace("Misleading: Beta", "Holds: Beta").replace("claim danger dropdown", "claim tip dropdown")
    )
    result = sphinx_build(src)
    assert result.returncode == 0, result.stderr
    html = src / "_build" / "html"
    rows = {r.a["href"]: r for r in soup(html / "claims.html").select("table.claim-ledger-table tbody tr")}
    assert rows["chapters/beta.html#beta-second"].find_all("td")[1].get_text(strip=True) == "Holds"
    assert json.loads((html / "claims.json").read_text())[-1]["verdict"] == "holds"
    items = soup(html / "index.html").select("ol.answer-summaries > li")
    assert "1 holds" in items[1].get_text() and "misleading" not in items[1].get_text()


def test_parallel_build_collects_every_claim(tmp_path):
    extra = {f"page{i}.md": f"# Page {i}\n" for i in range(8)}
    index = INDEX.replace("claims\n```", "claims\n" + "\n".join(f"page{i}" for i in range(8)) + "\n```")
    src = write_book(tmp_path, extra={**extra, "index.md": index})
    result = sphinx_build(src, "-j", "2")
    assert result.returncode == 0, result.stderr
    records = json.loads((src / "_build" / "html" / "claims.json").read_text())
    assert [r["id"] for r in records] == ["alpha-first", "alpha-only", "beta-second"]


# ---------------------------------------------------------------------------------------------------------------
# Each mistake is a warning naming the file and the claim id, so it fails the -W build
# ---------------------------------------------------------------------------------------------------------------


def chapter_like_beta(stem: str) -> str:
    return re.sub(r"\bbeta(?=[-)])", stem, BETA)  # ids and labels, not the $\\beta$ of the reason


# mistake -> (chapter file stem, its text, what its warning must say). All go into one book (one build, not nine):
# each chapter has exactly one mistake, and the warning is matched to its chapter's file.
BROKEN = {
    "duplicate id": (
        "dup",
        chapter_like_beta("dup").replace(":name: dup-second", ":name: alpha-first"),
        ["'alpha-first'", "duplicate claim id", "also used in chapters/alpha.ipynb"],
    ),
    "no verdict in the title": (
        "verdict",
        chapter_like_beta("verdict").replace("Misleading: Beta", "Mostly: Beta"),
        ["'verdict-second'", "its title does not start with a verdict"],
    ),
    "colour that does not match the verdict": (
        "colour",
        chapter_like_beta("colour").replace(":class: claim danger dropdown", ":class: claim tip dropdown"),
        ["'colour-second'", "a 'misleading' box takes the class 'danger'", "not 'tip'"],
    ),
    "reason not collapsed in JupyterLab": (
        "dropdown",
        chapter_like_beta("dropdown").replace(":class: claim danger dropdown", ":class: claim danger"),
        ["'dropdown-second'", "no class 'dropdown'"],
    ),
    "broken evidence": (
        "evidence",
        chapter_like_beta("evidence").replace("{ref}`evidence-evidence`\n:::", "{ref}`evidence-nowhere`\n:::"),
        ["'evidence-second'", "'evidence-nowhere' does not exist"],
    ),
    "no evidence line": (
        "noevidence",
        chapter_like_beta("noevidence").replace("\nEvidence: {ref}`noevidence-evidence`\n", ""),
        ["'noevidence-second'", "no evidence: its last line must be Evidence:"],
    ),
    "no answer box": (
        "noanswer",
        re.sub(r":::\{admonition\} Our answer.*?:::\n", "", chapter_like_beta("noanswer"), flags=re.S),
        ["0 answer boxes"],
    ),
    "two answer boxes": (
        "twoanswers",
        chapter_like_beta("twoanswers").replace(
            ":::{admonition} Misleading",
            ":::{admonition} Our answer\n:class: answer\n:summary: Again.\nAgain.\n:::\n\n:::{admonition} Misleading",
        ),
        ["2 answer boxes"],
    ),
    "answer box with another title": (
        "title",
        chapter_like_beta("title").replace(":::{admonition} Our answer", ":::{admonition} Answer"),
        ["answer box titled 'Answer'; its title is 'Our answer'"],
    ),
    "missing claim": (
        "option",
        chapter_like_beta("option").replace("Misleading: Beta is the second letter.", "Misleading:"),
        ["'option-second'", "no claim after the verdict"],
    ),
    "missing id": (
        "noname",
        chapter_like_beta("noname").replace(":name: noname-second\n", ""),
        ["claim ''", "no :name: (the claim id)"],
    ),
    "missing summary": (
        "summary",
        chapter_like_beta("summary").replace(":summary: No, it is a letter like any other.\n", ""),
        ["answer box without a :summary:"],
    ),
    "summary outside an answer box": (
        "strayed",
        chapter_like_beta("strayed") + "\n:::{admonition} A note\n:summary: Lost.\nText.\n:::\n",
        ["only an answer box (:class: answer) takes a :summary:"],
    ),
    "no reason": (
        "reason",
        chapter_like_beta("reason").replace("Order is a convention, not a property of $\\beta$.\n", ""),
        ["'reason-second'", "no reason given"],
    ),
    "id without the chapter's prefix": (
        "prefix",
        chapter_like_beta("prefix").replace(":name: prefix-second", ":name: second"),
        ["'second'", "does not start with the chapter's file name (prefix-)"],
    ),
}


def test_every_mistake_is_really_made():
    for mistake, (stem, text, _) in BROKEN.items():
        assert text != chapter_like_beta(stem), mistake


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory) -> subprocess.CompletedProcess:
    src = tmp_path_factory.mktemp("broken")
    stems = [stem for stem, _, _ in BROKEN.values()]
    index = INDEX.replace("claims\n```", "claims\n" + "\n".join(f"chapters/{s}" for s in stems) + "\n```")
    extra = {f"chapters/{stem}.md": text for stem, text, _ in BROKEN.values()}
    write_book(src, extra={**extra, "index.md": index})
    return sphinx_build(src)


def test_a_mistake_fails_the_build(broken_build):
    assert broken_build.returncode != 0


@pytest.mark.parametrize("mistake", list(BROKEN))
def test_build_warns_on(mistake, broken_build):
    stem, _, expected = BROKEN[mistake]
    warnings = [line for line in broken_build.stderr.splitlines() if "WARNING" in line]
    matching = [w for w in warnings if f"chapters/{stem}.md" in w and all(part in w for part in expected)]
    assert matching, f"no warning on chapters/{stem}.md with {expected} in:\n{broken_build.stderr}"


def test_the_good_chapters_of_the_broken_book_raise_no_warning(broken_build):
    assert not [w for w in broken_build.stderr.splitlines() if "alpha.ipynb:" in w or "beta.md" in w]
