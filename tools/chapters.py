"""Execute one chapter top to bottom in a fresh kernel, as a reader on Binder would.

``tests/test_chapters.py`` (every chapter at a second seed) and ``benchmarks/time_chapters.py``
(the time of each) both run chapters through :func:`run_chapter`, so they execute them the same
way: a fresh ``python3`` kernel, JAX on the CPU, the chapter's folder as working directory, and
every output to stderr (warnings, tracebacks) reported as a problem, since the book build treats
it as an error.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
from nbclient import NotebookClient

__all__ = ["ChapterRun", "run_chapter"]


@dataclass
class ChapterRun:
    """What :func:`run_chapter` saw: the wall time and every problem, by cell."""

    path: Path
    seconds: float
    problems: list[str] = field(default_factory=list)


def run_chapter(path: Path, *, seed: str | int | None = None, timeout: int = 300) -> ChapterRun:
    """Execute the MyST notebook ``path``; a failing cell raises ``nbclient``'s ``CellExecutionError``.

    Args:
        path: a chapter, ``chapters/NAME.md``.
        seed: the book seed for this run (``RELULAB_SEED``); default: the environment's.
        timeout: seconds allowed per cell.

    Returns:
        The wall time (kernel start-up and JAX compilation included) and the problems: each
        output to stderr and each error output, with its cell's index.
    """
    path = Path(path).resolve()
    nb = jupytext.read(path)
    env = dict(os.environ, JAX_PLATFORMS="cpu", PYDEVD_DISABLE_FILE_VALIDATION="1")
    if seed is not None:
        env["RELULAB_SEED"] = str(seed)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        allow_errors=False,
    )
    start = time.perf_counter()
    client.execute(env=env)
    seconds = time.perf_counter() - start
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                problems.append(f"cell {index}: stderr: {out.get('text', '')[:500]}")
            if out.get("output_type") == "error":
                problems.append(f"cell {index}: {out.get('ename')}: {out.get('evalue')}")
    return ChapterRun(path, seconds, problems)
