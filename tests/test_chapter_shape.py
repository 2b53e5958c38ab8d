"""The chapter shape (``_ext/chapter_shape.py``), Going-further blocks (``_ext/going_further.py``) and the template.

* A well-formed chapter builds without a warning; each malformed copy of it, with one mistake, fails the ``-W`` build
  with exactly one warning, which names the rule it breaks (one fixture per rule, all in one build).
* The reading time under the title: known amounts of prose, code and figures added to the main path, or to a
  Going-further block, move it by the amount the stated speeds give.
* ``chapters/_template.md`` builds as a chapter of the book, with the book's configuration, and shows every part:
  the answer and verdict boxes, the reading time, a closed Going-further block with code in it, an "In PyTorch"
  block, glossary links, and its key figure as a thumbnail in the front page's tour.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import bs4
import chapter_shape  # _ext/ is on pytest's pythonpath
import pytest
from book_fixture import TEMPLATE, jupyter_book_build, sphinx_book, sphinx_build, template_book, warnings_of

ROOT = Path(__file__).resolve().parents[1]

# A 1x1 PNG, for figures in chapters without code cells.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

# A chapter with the shape; STEM stands for its file name. Its answer box has exactly 65 words as the rule counts
# them: the formula and the inline code count as one word each.
GOOD = """\
(STEM)=
# Is this chapter well formed?

:::{admonition} Our answer
:class: answer
:summary: Yes, it has every part.
:figure: fig-STEM
Yes: it has every part, in order, and $\\max(x, 0)$ with `jax.nn.relu` counts as two words. one two three four
five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty
twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six twenty-seven twenty-eight twenty-nine thirty
thirty-one thirty-two thirty-three thirty-four thirty-five thirty-six thirty-seven thirty-eight thirty-nine forty
forty-one forty-two forty-three forty-four forty-five forty-six forty-seven forty-eight forty-nine fifty.
:::

:::{admonition} Holds: The chapter has the shape.
:class: claim tip dropdown
:name: STEM-shape
It was written so.

Evidence: {ref}`STEM-section`
:::

```{admonition} What you will learn
:class: tip
- The shape.
```

(STEM-section)=
## A section

Words of the section.

:::{figure} ../pixel.png
:name: fig-STEM
:alt: A single pixel.

A figure.
:::

MAIN_EXTRA

### Going further: more

Deeper words.

FURTHER_EXTRA

## Summary

- Done.

## What's next

Nothing.

## Exercises

```{exercise} One
:label: ex-STEM-one

Do it.
```

```{solution} ex-STEM-one
:class: dropdown

Done.
```
"""


def chapter(stem: str, text: str = GOOD, main: str = "", further: str = "") -> str:
    return text.replace("STEM", stem).replace("MAIN_EXTRA", main).replace("FURTHER_EXTRA", further)


def index(stems: list[str]) -> str:
    return (
        "# Fixture\n\n```{answer-summaries}\n```\n\n```{toctree}\n"
        + "\n".join(f"chapters/{s}" for s in stems)
        + "\n```\n"
    )


def swap(text: str, a: str, b: str) -> str:
    assert a in text and b in text, (a, b)
    return text.replace(a, "\0").replace(b, a).replace("\0", b)


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


# fixture name -> (the rule it breaks, how the good chapter is changed)
BROKEN = {
    "nolabel": ("title-label", lambda t: replace(t, "(nolabel)=\n", "")),
    "notquestion": ("title-question", lambda t: replace(t, "# Is this chapter well formed?", "# A chapter")),
    "twotitles": ("title-question", lambda t: t + "\n# A second title\n\nText.\n"),
    "textfirst": (
        "answer-first",
        lambda t: replace(t, ":::{admonition} Our answer", "A paragraph first.\n\n:::{admonition} Our answer"),
    ),
    "noverdicts": ("verdicts", lambda t: re.sub(r":::\{admonition\} Holds:.*?:::\n", "", t, flags=re.S)),
    "latecclaim": (
        "verdicts",
        lambda t: replace(
            t,
            "Words of the section.",
            ":::{admonition} Holds: Late.\n:class: claim tip dropdown\n:name: latecclaim-late\nLate.\n\n"
            "Evidence: {ref}`latecclaim-section`\n:::",
        ),
    ),
    "nolearn": ("learn", lambda t: replace(t, "What you will learn", "What you learn")),
    "nosections": (
        "sections",
        lambda t: replace(
            replace(t, "## A section", "## Going further: a section"), "### Going further: more", "### More"
        ),
    ),
    "closing": ("closing-sections", lambda t: swap(t, "## Summary", "## What's next")),
    "nosolution": ("exercise-solution", lambda t: re.sub(r"```\{solution\}.*?```\n", "", t, flags=re.S)),
    "notdropdown": ("exercise-solution", lambda t: replace(t, ":class: dropdown\n", "")),
    "gated": (
        "solution-form",
        lambda t: re.sub(
            r"```\{solution\}.*?```\n",
            "````{solution-start} ex-gated-one\n:class: dropdown\n````\n\nDone.\n\n````{solution-end}\n````\n",
            t,
            flags=re.S,
        ),
    ),
    "furthermid": ("going-further", lambda t: replace(t, "## Summary", "### After the block\n\nText.\n\n## Summary")),
    "pytorch": (
        "in-pytorch",
        lambda t: replace(t, "Words of the section.", "```{admonition} In PyTorch\nNo code here.\n```"),
    ),
    "longanswer": ("answer-length", lambda t: replace(t, "fifty.", "fifty fifty-one.")),
    "nofigure": ("key-figure", lambda t: replace(t, ":figure: fig-nofigure\n", "")),
    "badfigure": ("key-figure", lambda t: replace(t, ":figure: fig-badfigure", ":figure: fig-nowhere")),
}


def test_every_rule_has_a_fixture():
    assert {rule for rule, _ in BROKEN.values()} == set(chapter_shape.RULES)


def test_every_fixture_really_changes_the_chapter():
    for stem, (_, change) in BROKEN.items():
        assert change(chapter(stem)) != chapter(stem), stem


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory):
    src = tmp_path_factory.mktemp("broken")
    stems = ["good", *BROKEN]
    pages = {"index.md": index(stems), "chapters/good.md": chapter("good")}
    for stem, (_, change) in BROKEN.items():
        pages[f"chapters/{stem}.md"] = change(chapter(stem))
    sphinx_book(src, pages)
    (src / "pixel.png").write_bytes(PIXEL)
    return sphinx_build(src)


def test_a_malformed_chapter_fails_the_build(broken_build):
    assert broken_build.returncode != 0


def test_the_well_formed_chapter_raises_no_warning(broken_build):
    assert not [w for w in warnings_of(broken_build) if "chapters/good.md" in w], broken_build.stderr


@pytest.mark.parametrize("stem", list(BROKEN))
def test_a_malformed_chapter_gets_one_warning_naming_its_rule(stem, broken_build):
    rule = BROKEN[stem][0]
    mine = [w for w in warnings_of(broken_build) if f"chapters/{stem}.md" in w]
    rules = [m.group(1) for w in mine if (m := re.search(r"chapter shape, rule '([a-z-]+)'", w))]
    assert rules == [rule] and len(mine) == 1, f"{stem}: expected one warning for rule {rule!r}, got:\n" + "\n".join(
        mine
    )


def test_the_answer_length_warning_states_the_count_and_the_limit(broken_build):
    (warning,) = [w for w in warnings_of(broken_build) if "chapters/longanswer.md" in w]
    assert "the answer box has 66 words; the limit is 65" in warning


def test_a_pending_rule_is_reported_but_does_not_fail_the_build(tmp_path):
    change = BROKEN["longanswer"][1]
    pages = {"index.md": index(["longanswer"]), "chapters/longanswer.md": change(chapter("longanswer"))}
    sphinx_book(tmp_path, pages, conf='chapter_shape_pending = ["answer-length"]\n')
    (tmp_path / "pixel.png").write_bytes(PIXEL)
    result = sphinx_build(tmp_path, quiet=False)
    assert result.returncode == 0, result.stderr
    expected = (
        "not enforced yet (chapter_shape_pending), rule 'answer-length' is broken by 1 chapter: chapters/longanswer"
    )
    assert expected in result.stdout, result.stdout


# ---------------------------------------------------------------------------------------------------------------
# Reading time
# ---------------------------------------------------------------------------------------------------------------

WORDS = " ".join(["word"] * 1500)  # 10 min at 150 words a minute
CODE = "```python\n" + "\n".join(f"x{i} = {i}" for i in range(40)) + "\n```"  # 2 min at 3 s a line
# 2 min at 30 s a figure
FIGURES = "\n\n".join(":::{figure} ../pixel.png\n:alt: A pixel.\n\nA pixel.\n:::" for _ in range(4))
DROPDOWN = "```{admonition} Hidden\n:class: dropdown\n\n" + WORDS + "\n```"  # collapsed: nothing

TIMED = {
    "base": ("", ""),
    "words": (WORDS, ""),
    "code": (CODE, ""),
    "figures": (FIGURES, ""),
    "dropdown": (DROPDOWN, ""),
    "further": ("", WORDS),
}


@pytest.fixture(scope="module")
def timed_build(tmp_path_factory):
    src = tmp_path_factory.mktemp("timed")
    pages = {"index.md": index(list(TIMED))}
    for stem, (main, further) in TIMED.items():
        pages[f"chapters/{stem}.md"] = chapter(stem, main=main, further=further)
    sphinx_book(src, pages)
    (src / "pixel.png").write_bytes(PIXEL)
    result = sphinx_build(src, "-j", "2")  # two reader processes: the reading times are merged into one environment
    assert result.returncode == 0, result.stderr
    return src / "_build" / "html"


def reading_time(html: Path, stem: str) -> tuple[int, int | None]:
    page = bs4.BeautifulSoup((html / "chapters" / f"{stem}.html").read_text(), "html.parser")
    text = page.select_one("p.reading-time").get_text()
    match = re.fullmatch(r"About (\d+) min read \(main path\)(?:; Going further adds (\d+) min)?", text)
    assert match, text
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def test_reading_time_counts_words_code_and_figures_of_the_main_path(timed_build):
    base, base_further = reading_time(timed_build, "base")
    assert base_further == 1  # the block's two words round up to a minute
    assert reading_time(timed_build, "words") == (base + 10, 1)
    assert reading_time(timed_build, "code") == (base + 2, 1)
    assert reading_time(timed_build, "figures") == (base + 2, 1)
    assert reading_time(timed_build, "dropdown") == (base, 1)


def test_going_further_is_timed_apart_and_shown_in_its_summary(timed_build):
    base, _ = reading_time(timed_build, "base")
    assert reading_time(timed_build, "further") == (base, 10)
    page = bs4.BeautifulSoup((timed_build / "chapters" / "further.html").read_text(), "html.parser")
    assert page.select_one("details.going-further .going-further-time").get_text() == "10 min"


def test_the_front_page_gives_each_chapter_its_reading_time(timed_build):
    page = bs4.BeautifulSoup((timed_build / "index.html").read_text(), "html.parser")
    times = {
        li.select_one(".answer-summary-question a")["href"]: li.select_one(".answer-summary-time").get_text()
        for li in page.select("ol.answer-summaries > li")
    }
    assert set(times) == {f"chapters/{stem}.html" for stem in TIMED}
    for stem in TIMED:
        assert times[f"chapters/{stem}.html"] == f"About {reading_time(timed_build, stem)[0]} min read"


def test_the_reading_time_sits_under_the_title(timed_build):
    page = bs4.BeautifulSoup((timed_build / "chapters" / "base.html").read_text(), "html.parser")
    title = page.select_one("h1")
    assert title.find_next_sibling().name == "p" and "reading-time" in title.find_next_sibling()["class"]


# ---------------------------------------------------------------------------------------------------------------
# Going further, as HTML
# ---------------------------------------------------------------------------------------------------------------


def test_a_going_further_section_is_a_closed_details_block_with_its_heading_as_summary(timed_build):
    page = bs4.BeautifulSoup((timed_build / "chapters" / "base.html").read_text(), "html.parser")
    (section,) = page.select("section.going-further")
    assert section["id"] and not section.find("h3", recursive=False)
    details = section.find("details", recursive=False)
    assert details is not None and "going-further" in details["class"] and not details.has_attr("open")
    summary = details.find("summary", recursive=False)
    assert summary is details.find(True) and summary.h3.get_text() == "Going further: more"
    assert "Deeper words." in details.get_text()
    assert any("going_further.js" in s.get("src", "") for s in page.select("script"))


# ---------------------------------------------------------------------------------------------------------------
# The template, built as a chapter of the book
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template_site(tmp_path_factory):
    book = template_book(tmp_path_factory.mktemp("template"))
    result = jupyter_book_build(book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    return book / "_build" / "html"


def soup(path: Path) -> bs4.BeautifulSoup:
    return bs4.BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
def test_the_template_builds_with_every_part(template_site):
    page = soup(template_site / "chapters" / "template.html")
    assert page.select_one("h1").get_text().rstrip("¶#").strip().endswith("?")
    # numbered per chapter, as in the book's _toc.yml: the title, its figures and exercises; not its sections
    assert page.select_one("h1 > span.section-number").get_text() == "1. "
    assert page.select_one("#fig-template-histogram .caption-number").get_text().strip() == "Fig. 1.1"
    assert page.select_one("a[href='#fig-template-histogram'] .std-numref").get_text() == "Fig. 1.1"
    assert page.select_one("#ex-template-negative-bias .caption-number").get_text().strip() == "Exercise 1.1"
    assert not page.select("h2 span.section-number")
    assert page.select_one("div.answer .admonition-title").get_text(strip=True) == "Our answer"
    assert page.select("div.claim")
    assert re.fullmatch(
        r"About \d+ min read \(main path\); Going further adds \d+ min", page.select_one("p.reading-time").get_text()
    )
    details = page.select_one("section.going-further > details.going-further")
    assert not details.has_attr("open") and details.select("div.cell")  # code is collapsed with the prose
    assert page.find(id="template-why-half") is not None  # the block's label still resolves
    pytorch = [a for a in page.select("div.admonition") if a.select_one(".admonition-title").get_text() == "In PyTorch"]
    assert pytorch and pytorch[0].select("div.highlight-python pre")
    terms = [a["href"] for a in page.select("a.reference") if "glossary.html#term-" in a.get("href", "")]
    assert "../glossary.html#term-MLP" in terms and "../glossary.html#term-He-initialisation" in terms
    titles = [h.get_text().rstrip("#¶").strip() for h in page.select("section > h2")]
    assert titles[-3:] == ["Summary", "What’s next", "Exercises"]
    assert page.select("div.solution.dropdown")


@pytest.mark.slow
def test_the_front_page_tour_shows_the_key_figure(template_site):
    page = soup(template_site / "index.html")
    (item,) = page.select("ol.answer-summaries > li")
    link = item.select_one(".answer-summary-thumb a")
    assert link["href"] == "chapters/template.html#fig-template-histogram"
    img = link.img
    assert img["alt"].startswith("A histogram") and (template_site / img["src"]).is_file()
    assert re.match(r"About \d+ min read", item.select_one(".answer-summary-time").get_text())


@pytest.mark.slow
def test_the_reading_time_agrees_with_the_benchmark_count(template_site):
    from benchmarks.reader_path import count_html

    page = template_site / "chapters" / "template.html"
    shown, _ = reading_time(template_site, "template")
    counted = count_html(page.read_text(encoding="utf-8"))
    assert abs(counted["minutes"] - shown) <= 1, (counted, shown)


@pytest.mark.slow
def test_the_glossary_defines_the_terms_the_chapters_need(template_site):
    page = soup(template_site / "glossary.html")
    terms = {dt.get_text().rstrip("¶#").strip() for dt in page.select("dl.glossary dt")}
    needed = {
        "activation", "pre-activation", "MLP", "He initialisation", "Glorot initialisation", "Xavier initialisation",
        "LeCun initialisation", "dead unit", "born dead", "linear region", "activation pattern", "piecewise linear",
        "Lipschitz", "1-Lipschitz", "subgradient", "Clarke subdifferential", "saturation", "vanishing gradient",
        "HWIO", "im2col", "batch normalisation", "softmax", "cross-entropy", "logit", "leaky ReLU", "ELU", "GELU",
        "SiLU", "Swish", "softplus", "maxout", "PReLU", "universal approximation", "VC dimension", "warm-up",
    }  # fmt: skip
    assert needed <= terms, needed - terms
    for dd in page.select("dl.glossary dd"):
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", dd.get_text(" ", strip=True)) if s]
        assert 1 <= len(sentences) <= 4, dd.get_text()[:80]
        assert dd.select("a.reference"), f"no link in the definition: {dd.get_text()[:80]}"


def test_the_template_is_not_a_chapter_of_the_book():
    from tools.toc import toc_documents

    assert "chapters/_template" not in toc_documents()
    assert TEMPLATE.is_file() and chapter_shape.is_chapter("chapters/template", _Config())
    assert not chapter_shape.is_chapter("chapters/_template", _Config())


def test_the_book_enables_the_checks():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]
    assert {"going_further", "chapter_shape"} <= set(config["local_extensions"])
    pending = config["config"].get("chapter_shape_pending", [])
    assert set(pending) <= set(chapter_shape.RULES), pending


class _Config:
    chapter_shape_chapters = ["chapters/*"]
    chapter_shape_exclude = ["chapters/_*"]


def test_reading_time_text():
    assert chapter_shape.reading_time_text(19.6, 0) == "About 20 min read (main path)"
    assert chapter_shape.reading_time_text(0.2, 4.4) == "About 1 min read (main path); Going further adds 4 min"
    assert json.dumps(chapter_shape.RULES)  # a plain tuple of names
