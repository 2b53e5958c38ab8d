"""The explorables on the website: ES modules served locally and loaded only where a page uses them.

relulab's explorables (``relulab.explorables``) put a ``<div data-relulab-explorable="VIEW">`` with their
state and a fallback image into the cell's HTML output (myst-nb's HTML builder prefers ``text/html`` over
the widget view: ``nb_mime_priority_overrides`` in ``_config.yml``). This extension

* copies the package's ES modules (``host.mjs``, ``core.mjs``, ``ui.mjs`` and the views) into
  ``_static/explorables/`` when the HTML builder starts, from the installed package, so the site serves
  exactly the code the tests ran; and
* adds ``_static/explorables/host.mjs`` as a ``<script type="module">`` to each page whose body holds such
  a div, and to no other page. (Jupyter Book 1 adds every ``_static/**/*.js`` to every page as a classic
  script; the modules are ``.mjs`` so that it leaves them alone.)

The host imports the views it needs by relative URL; nothing comes from another origin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MARKER = ' data-relulab-explorable="'  # a real attribute (a docstring showing one is HTML-escaped)
HOST = "explorables/host.mjs"


def copy_modules(app: Any) -> None:
    if getattr(app.builder, "format", None) != "html":
        return
    from relulab.explorables import copy_modules as copy

    copy(Path(app.outdir) / "_static" / "explorables")


def add_host(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if MARKER in (context.get("body") or ""):
        app.add_js_file(HOST, type="module")


def setup(app: Any) -> dict:
    app.connect("builder-inited", copy_modules)
    app.connect("html-page-context", add_host)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
