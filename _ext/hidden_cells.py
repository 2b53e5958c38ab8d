"""The source of every ``remove-input`` code cell, in the page but never shown, for Live Code.

A code cell tagged ``remove-input`` (bookkeeping: imports, constants, computations whose results later
cells use, glue) has no input in the HTML, so thebe ("Live Code") would never run it, and a reader who
runs the visible cells in order would meet a ``NameError``. This extension writes each such cell's source
into its (otherwise input-less) cell container as

    <script type="application/json" class="relulab-hidden-cell">"...the source, as a JSON string..."</script>

which no browser displays or runs, which Sphinx's search index skips, and which costs only the source
(gzipped with the page). ``_static/thebe/relulab-thebe.js`` reads these scripts, in document order, and
runs every one not yet run since the kernel started before the visible cell that follows it.

Only ``remove-input`` (and myst-nb's spelling ``remove_input``) cells are written: a ``remove-cell`` cell
is not in the page at all and Live Code does not run it (``tests/test_hidden_cells.py`` checks that no
chapter cell needs one). ``<``, ``>`` and ``&`` are written as JSON escapes, so no source can end the
script element early. Enabled from ``_config.yml`` (``sphinx: local_extensions: hidden_cells: _ext``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes

CLASS = "relulab-hidden-cell"
REMOVE_INPUT = ("remove-input", "remove_input")


def script_for(source: str) -> str:
    """The ``<script>`` element that carries ``source``; ``JSON.parse(el.textContent)`` gives it back."""
    text = json.dumps(source, ensure_ascii=False)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" class="{CLASS}">{text}</script>'


def _notebook(app: Any, docname: str) -> Any:
    from myst_nb.core.read import create_nb_reader

    path = Path(app.env.doc2path(docname))
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    reader = create_nb_reader(str(path), app.env.myst_config, app.env.mystnb_config, text)
    return None if reader is None else reader.read(text)


def add_hidden_sources(app: Any, doctree: nodes.document) -> None:
    cells = [
        node
        for node in doctree.findall(nodes.container)
        if node.get("nb_element") == "cell_code"
        and any(tag in (node.get("cell_metadata") or {}).get("tags", []) for tag in REMOVE_INPUT)
    ]
    if not cells:
        return
    notebook = _notebook(app, app.env.docname)
    if notebook is None:
        return
    for node in cells:
        cell = notebook.cells[node["cell_index"]]
        if cell.get("cell_type") != "code":  # the reader and the parser disagree: never guess
            raise RuntimeError(f"{app.env.docname}: cell {node['cell_index']} is not the code cell myst-nb rendered")
        node.append(nodes.raw("", script_for(cell.source), format="html"))


def setup(app: Any) -> dict:
    app.connect("doctree-read", add_hidden_sources)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
