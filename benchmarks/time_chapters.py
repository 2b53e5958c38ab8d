"""Execute chapters top to bottom and report each one's wall-clock time.

Usage (from the repository root)::

    .venv/bin/python benchmarks/time_chapters.py                  # every chapter in _toc.yml
    .venv/bin/python benchmarks/time_chapters.py chapters/continuity.md

Each chapter runs in a fresh kernel, as on Binder; the time includes kernel start-up and
JAX compilation. Outputs that went to stderr are reported, since the book treats them as errors.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import jupytext
from book_toc import ROOT, toc_chapters  # benchmarks/book_toc.py, shared with tests/test_chapters.py
from nbclient import NotebookClient


def run(path: Path) -> tuple[float, list[str]]:
    nb = jupytext.read(path)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute(env=dict(os.environ, JAX_PLATFORMS="cpu"))
    elapsed = time.perf_counter() - start
    stderr = [
        out.get("text", "")[:300]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("name") == "stderr"
    ]
    return elapsed, stderr


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or toc_chapters()
    status = 0
    for path in paths:
        elapsed, stderr = run(path)
        print(f"{path.relative_to(ROOT)}: {elapsed:.1f} s" + (f"  STDERR: {stderr}" if stderr else ""))
        status |= bool(stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
