"""Execute every chapter listed in ``_toc.yml`` top to bottom, as a reader on Binder would.

A chapter fails if any cell raises, or if any cell writes to stderr (which is where Python
warnings, JAX warnings and tracebacks go). Chapters are discovered from the toc, so a new
chapter is tested as soon as it is listed.

The book build executes every chapter at the book seed 0; this test executes each once more at
another seed (``RELULAB_TEST_SEED``, default 3), so that a chapter whose code or prose depends
on one run's outcome fails here, as it would on another machine's floating point.
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import pytest

from tools.chapters import run_chapter
from tools.toc import toc_chapters

CHAPTERS = toc_chapters()
TEST_SEED = os.environ.get("RELULAB_TEST_SEED", "3")


def test_the_chapters_run_at_a_seed_other_than_the_books():
    assert TEST_SEED.strip() not in ("", "0"), (
        "RELULAB_TEST_SEED must differ from the book build's seed 0, or the chapters are "
        "executed twice at the same seed"
    )


def test_the_toc_lists_executable_chapters():
    assert CHAPTERS, "no chapter found in _toc.yml"
    for path in CHAPTERS:
        assert path.exists(), f"{path} is listed in _toc.yml but missing"
        assert jupytext.read(path).metadata.get("kernelspec"), f"{path.name} is not a notebook"


@pytest.mark.chapters
@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_executes_without_errors_or_stderr(path: Path):
    run = run_chapter(path, seed=TEST_SEED)  # raises CellExecutionError on the first failing cell
    assert not run.problems, f"{path.name}:\n" + "\n".join(run.problems)
