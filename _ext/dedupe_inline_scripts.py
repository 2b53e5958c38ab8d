"""Sphinx extension: drop duplicate <script> entries from every HTML page.

Why: Sphinx 7.4 (pinned through jupyter-book 1.0.4) registers an inline script
added with ``app.add_js_file(None, body=...)`` twice, once with filename
``None`` and once with ``''`` (sphinx-doc/sphinx#13402, fixed in Sphinx 8.2).
sphinx-thebe's inline ``const THEBE_JS_URL = ...`` then appears twice on every
page, and the second copy is a JavaScript error ("Identifier 'THEBE_JS_URL'
has already been declared"); sphinx-togglebutton's inline script is doubled
too. This handler keeps the first of any scripts that are equal once ``None``
and ``''`` are treated alike. It runs late (priority 900) so that scripts added
per page by other ``html-page-context`` handlers are deduplicated as well.

Enabled from ``_config.yml``::

    sphinx:
      local_extensions:
        dedupe_inline_scripts: _ext

It lives in ``_ext`` with the book's other local extensions (not in ``_static``,
which Sphinx copies to the site); the page output is the only thing it changes. ``tests/browser``
checks that no page logs a console error.
"""

from __future__ import annotations

from typing import Any

__version__ = "1.0"


def _key(js: Any) -> tuple:
    if isinstance(js, str):  # very old Sphinx: plain file names
        return (js,)
    attrs = getattr(js, "attributes", {}) or {}
    return (
        getattr(js, "filename", None) or "",
        getattr(js, "priority", None),
        tuple(sorted((str(k), str(v)) for k, v in attrs.items())),
    )


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _is_widget_state(js: Any) -> bool:
    attrs = getattr(js, "attributes", {}) or {}
    return attrs.get("type") == WIDGET_STATE


def dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Keep the first of equal scripts; drop the ipywidgets state myst-nb embeds.

    The pages load no widget JavaScript (``nb_ipywidgets_js: {}``: the website shows each
    interactive figure's self-contained HTML player instead), so the saved state of the live
    views, which myst-nb inlines as a ``<script type="application/vnd.jupyter.widget-state+json">``
    (its images included), is never read: dropping it only saves page weight.
    """
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set = set()
    unique = []
    for js in scripts:
        if _is_widget_state(js):
            continue
        key = _key(js)
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    if len(unique) != len(scripts):
        context["script_files"] = unique


def setup(app: Any) -> dict:
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
