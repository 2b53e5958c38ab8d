"""The book's build and test tools, in Python: what ``make``, the tests and the benchmarks share.

* :mod:`tools.toc`: the chapters ``_toc.yml`` lists, in reading order, read with the parser
  Jupyter Book itself uses (``sphinx_external_toc``).
* :mod:`tools.cache_key`: everything a chapter's executed output depends on besides its own
  code, hashed; ``make book`` empties the execution cache when it changes.
* :mod:`tools.chapters`: executes one chapter in a fresh kernel and reports what went wrong
  (``tests/test_chapters.py`` and ``benchmarks/time_chapters.py`` both call it).

Run from the repository root: ``python -m tools --help`` (the Makefile calls ``python -m tools
chapters`` and ``python -m tools cache``). The tests import it as ``tools`` (pytest's
``pythonpath`` setting in ``pyproject.toml`` puts the repository root on the path); it is not
part of the ``relulab`` package and is not installed.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
"""The repository root."""
