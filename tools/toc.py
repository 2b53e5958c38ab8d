"""The book's table of contents, read with the parser Jupyter Book 1 itself uses.

``jupyter-book build`` reads ``_toc.yml`` with ``sphinx_external_toc``; so does every tool here
(``make book``, ``tests/test_chapters.py``, ``benchmarks/time_chapters.py``, ``make
format-chapters``), so a chapter is built, tested, timed and formatted as soon as the toc lists
it, however the entry is written (nested parts and sections, a trailing ``# comment``, an
extension or none).
"""

from __future__ import annotations

from pathlib import Path

from sphinx_external_toc.api import Document, FileItem
from sphinx_external_toc.parsing import parse_toc_yaml

from . import ROOT

__all__ = ["toc_chapters", "toc_documents"]

SUFFIXES = (".md", ".ipynb")


def toc_documents(toc: Path | None = None) -> list[str]:
    """Every document of the toc, root first, in reading order (depth first), without suffix."""
    site = parse_toc_yaml(toc or ROOT / "_toc.yml")
    order: list[str] = []

    def visit(item: str) -> None:
        name = _strip_suffix(item)
        if name in order:
            return
        order.append(name)
        doc: Document | None = site.get(item)  # keyed as the toc writes it, suffix or not
        for tree in doc.subtrees if doc is not None else []:
            for entry in tree.items:
                if isinstance(entry, FileItem):
                    visit(str(entry))

    visit(site.root.docname)
    return order


def _strip_suffix(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def toc_chapters(root: Path = ROOT) -> list[Path]:
    """The ``chapters/*.md`` notebooks the toc lists, in reading order, as absolute paths."""
    return [root / f"{name}.md" for name in toc_documents(root / "_toc.yml") if name.startswith("chapters/")]
