"""Which code cells of a chapter use names that only hidden cells define (a static look at the source).

A chapter's code cells are *visible* on the website (shown, or collapsed with ``hide-input``), *input-removed*
(``remove-input``: the output is shown, the code is not) or *removed* (``remove-cell``: not in the page at all).
Live Code runs the visible cells and, before them, the input-removed ones (``_ext/hidden_cells.py``,
``_static/thebe/relulab-thebe.js``); it never runs a removed cell. :func:`dependencies` lists, for every
visible or input-removed cell, the names it reads that no earlier visible cell defines but an earlier hidden
one does, which tells

* ``tests/browser/test_thebe.py`` how far to run each chapter in Live Code so that a visible cell that needs
  an input-removed cell is run (the first such cell is the test's target), and
* ``tests/test_hidden_cells.py`` that no cell Live Code runs needs a ``remove-cell`` cell.

The analysis is of names only (assignments, imports, definitions, loop and comprehension targets, function
arguments); it over-approximates "defines" and is meant to find dependencies, not to prove their absence.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass
from pathlib import Path

REMOVE_INPUT = {"remove-input", "remove_input"}
REMOVE_CELL = {"remove-cell", "remove_cell"}


@dataclass(frozen=True)
class CodeCell:
    index: int  # position among all the notebook's cells (myst-nb's ``cell_index``)
    kind: str  # "visible", "remove-input" or "remove-cell"
    source: str
    visible_position: int | None  # position among the visible cells (thebe's ``notebook.cells``), else None


@dataclass(frozen=True)
class Dependency:
    cell: CodeCell
    names: dict[str, CodeCell]  # name read -> the hidden cell that first defines it


def code_cells(path: Path) -> list[CodeCell]:
    """The chapter's code cells as myst-nb reads them, with their kind and position among the visible ones."""
    from myst_nb.core.read import read_myst_markdown_notebook

    nb = read_myst_markdown_notebook(Path(path).read_text(encoding="utf-8"))
    cells, shown = [], 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        kind = "remove-cell" if tags & REMOVE_CELL else "remove-input" if tags & REMOVE_INPUT else "visible"
        cells.append(CodeCell(index, kind, cell.source, shown if kind == "visible" else None))
        shown += kind == "visible"
    return cells


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names the source binds, names it reads); IPython magics and shell lines are left out."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    stores: set[str] = set()
    loads: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name):
            (stores if isinstance(node.ctx, ast.Store | ast.Del) else loads).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            stores.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            stores.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.arg):
            stores.add(node.arg)
    return stores, loads


def dependencies(path: Path) -> list[Dependency]:
    """Every visible or input-removed cell that reads a name defined, before it, only by hidden cells.

    "Hidden" means input-removed or removed; a visible cell's definitions count for the cells after it.
    """
    shown = set(dir(builtins))
    hidden: dict[str, CodeCell] = {}
    found = []
    for cell in code_cells(path):
        stores, loads = _names(cell.source)
        needed = {name: hidden[name] for name in sorted(loads - stores - shown) if name in hidden}
        if needed and cell.kind != "remove-cell":
            found.append(Dependency(cell, needed))
        if cell.kind == "visible":
            shown |= stores
        else:
            for name in stores:
                hidden.setdefault(name, cell)
    return found


def needs_removed_cells(path: Path) -> list[Dependency]:
    """Every cell Live Code runs (visible or input-removed) that reads a name only a ``remove-cell`` cell defines."""
    live = set(dir(builtins))
    removed: dict[str, CodeCell] = {}
    found = []
    for cell in code_cells(path):
        stores, loads = _names(cell.source)
        if cell.kind == "remove-cell":
            for name in stores - live:
                removed.setdefault(name, cell)
            continue
        needed = {name: removed[name] for name in sorted(loads - stores - live) if name in removed}
        if needed:
            found.append(Dependency(cell, needed))
        live |= stores
    return found
