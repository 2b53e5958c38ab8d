"""The book's table of contents, read once for the tests and the benchmarks.

``tests/test_chapters.py`` executes every chapter listed here and ``benchmarks/time_chapters.py``
times them; both call :func:`toc_chapters`, so a chapter added to ``_toc.yml`` at any depth
(``parts``, ``chapters`` or nested ``sections``) is tested and timed as soon as it is listed.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_files(node: object) -> list[str]:
    """Every ``file:`` entry of a parsed ``_toc.yml`` (or any part of it), in reading order."""
    files = []
    if isinstance(node, dict):
        if "file" in node:
            files.append(node["file"])
        for value in node.values():
            if isinstance(value, (list, dict)):
                files += toc_files(value)
    elif isinstance(node, list):
        for item in node:
            files += toc_files(item)
    return files


def toc_chapters(root: Path = ROOT) -> list[Path]:
    """The ``.md`` files under ``chapters/`` that ``_toc.yml`` lists, in reading order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    chapters = []
    for name in toc_files(toc):
        path = root / f"{name}.md"
        if path.parent.name == "chapters":
            chapters.append(path)
    return chapters
