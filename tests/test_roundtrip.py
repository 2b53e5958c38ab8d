"""Opening and saving a chapter in JupyterLab leaves it byte-identical.

JupyterLab opens the chapters through jupytext and writes them back in jupytext's form (see
``format_chapters.py``; ``tests/browser/test_lab.py`` checks that ``jupyterlab_form`` matches a
real save in JupyterLab). A chapter not stored in that form makes a reader's checkout dirty as
soon as JupyterLab saves it (autosave does so about two minutes after opening): fix it with
``make format-chapters``. The chapter template is held to the same form.

Going-further sections open collapsed in JupyterLab: each chapter is stored in the canonical form of
``format_chapters.canonical``, where every "Going further:" heading opens a Markdown cell carrying
``"jp-MarkdownHeadingCollapsed": true`` and the heading that ends the section opens the next cell.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import jupytext
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from format_chapters import (  # noqa: E402
    COLLAPSED,
    ROOT,
    TEMPLATE,
    canonical,
    going_further_cells,
    jupyterlab_form,
    toc_chapters,
)

CHAPTERS = [*toc_chapters(), TEMPLATE]


def test_the_toc_lists_chapters():
    assert CHAPTERS, "no chapters/*.md in _toc.yml"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_saving_in_jupyterlab_leaves_the_chapter_unchanged(path):
    text = path.read_text(encoding="utf-8")
    saved = jupyterlab_form(text)
    if saved != text:
        diff = "".join(
            list(
                difflib.unified_diff(
                    text.splitlines(True),
                    saved.splitlines(True),
                    f"{path.name} (stored)",
                    f"{path.name} (as JupyterLab saves it)",
                )
            )[:40]
        )
        pytest.fail(
            f"{path.relative_to(ROOT)} is not in the form JupyterLab saves; run `make format-chapters`.\n{diff}"
        )


FOLDED = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A chapter

```{code-cell} ipython3
---
tags: [hide-input]
mystnb:
  figure:
    caption: |
      A caption written as a YAML block: the first line,
      the second line: with a colon, and a quote's apostrophe.
    name: fig-x
  image:
    alt: A long alt text that wraps
      onto a second line.
---
x = 1

```

Text with $x$.
"""


def test_canonical_form_is_what_jupyterlab_saves_and_keeps_the_content():
    out = canonical(FOLDED)
    assert jupyterlab_form(out) == out
    assert canonical(out) == out
    before, after = jupytext.reads(FOLDED, fmt="md:myst"), jupytext.reads(out, fmt="md:myst")
    assert [c.source.rstrip() for c in before.cells] == [c.source.rstrip() for c in after.cells]
    fig = after.cells[1].metadata["mystnb"]["figure"]
    assert fig["caption"] == (
        "A caption written as a YAML block: the first line, the second line: with a colon, and a quote's apostrophe."
    )
    assert after.cells[1].metadata["mystnb"]["image"]["alt"] == "A long alt text that wraps onto a second line."
    assert "jupytext_version" not in out  # jupytext.toml keeps the version out of the chapters
    # the folded form JupyterLab would write without canonical() is not stable text to store:
    assert jupyterlab_form(FOLDED) != FOLDED


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_chapter_is_stored_in_canonical_form(path):
    """Captions joined and Going-further sections collapsed in JupyterLab (``make format-chapters`` fixes it)."""
    text = path.read_text(encoding="utf-8")
    assert canonical(text) == text, f"{path.relative_to(ROOT)} is not in canonical form; run `make format-chapters`"


GOING_FURTHER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A chapter

## A section

Text of the section.

(label-of-block)=
### Going further: the proof

The proof.

```{code-cell} ipython3
x = 1
```

More of the proof, and a fence with a heading inside that is code, not a heading:

```python
# Going further: not a heading
```

## Summary

+++ {"jp-MarkdownHeadingCollapsed": true}

## A section opened by a reader who collapsed it in JupyterLab

Text.
"""


def test_going_further_sections_open_collapsed_in_jupyterlab():
    out = canonical(GOING_FURTHER)
    assert jupyterlab_form(out) == out and canonical(out) == out
    nb = jupytext.reads(out, fmt="md:myst")
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    collapsed = [c for c in markdown if c.metadata.get(COLLAPSED)]
    assert [c.source.splitlines()[:2] for c in collapsed] == [["(label-of-block)=", "### Going further: the proof"]]
    assert collapsed[0].source.endswith("The proof.")
    # the heading that ends the block opens its own cell, so JupyterLab hides the block's cells and no others
    closing = [c for c in markdown if "## Summary" in c.source]
    assert closing and closing[0].source.startswith("## Summary")
    # nothing is lost or reordered
    text = lambda notebook: [line for c in notebook.cells for line in c.source.splitlines() if line.strip()]  # noqa: E731
    assert text(nb) == text(jupytext.reads(GOING_FURTHER, fmt="md:myst"))
    assert '+++ {"jp-MarkdownHeadingCollapsed": true}\n\n(label-of-block)=\n### Going further: the proof' in out


def test_going_further_cells_leaves_a_chapter_without_such_sections_alone():
    nb = jupytext.reads(FOLDED, fmt="md:myst")
    assert [c.source for c in going_further_cells(nb.cells)] == [c.source for c in nb.cells]
