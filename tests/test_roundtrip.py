"""Opening and saving a chapter in JupyterLab leaves it byte-identical.

JupyterLab opens the chapters through jupytext and writes them back in jupytext's form (see
``format_chapters.py``; ``tests/browser/test_lab.py`` checks that ``jupyterlab_form`` matches a
real save in JupyterLab). A chapter not stored in that form makes a reader's checkout dirty as
soon as JupyterLab saves it (autosave does so about two minutes after opening): fix it with
``make format-chapters``.
"""

from __future__ import annotations

import difflib

import jupytext
import pytest
from format_chapters import ROOT, canonical, jupyterlab_form, toc_chapters  # tests/ is on pythonpath

CHAPTERS = toc_chapters()


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
