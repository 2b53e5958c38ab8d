"""Sphinx extension: make the module-source index page (``_modules/index``) valid HTML.

Why: ``sphinx.ext.viewcode`` (Sphinx 7.4) writes the index of highlighted module sources as
nested lists, but puts a sub-package's ``<ul>`` directly inside the parent ``<ul>`` instead of
inside the package's ``<li>``. Screen readers then announce a broken list, and axe-core reports
it as a serious violation ("<ul> and <ol> must only directly contain <li> ..."). It happens as
soon as a package and one of its modules both have source pages (``relulab.interactive`` and
``relulab.interactive._figure``). This handler moves every nested list into the item before it.
The browser suite checks the page with axe.
"""

from __future__ import annotations

import re
from typing import Any

__version__ = "1.0"

_TOKEN = re.compile(r"<ul>|</ul>|</li>")


def nest_lists(html: str) -> str:
    """Move each ``<ul>`` that sits directly in a ``<ul>`` into the ``<li>`` just before it.

    >>> nest_lists('<ul><li>a</li>\\n<ul><li>a.b</li>\\n</ul><li>c</li>\\n</ul>')
    '<ul><li>a\\n<ul><li>a.b</li>\\n</ul></li><li>c</li>\\n</ul>'
    >>> nest_lists('<ul><li>a</li></ul>')
    '<ul><li>a</li></ul>'
    """
    out: list[str] = []
    pos = 0
    # For each open <ul>: was it opened directly inside another <ul>, moved into an <li>?
    stack: list[bool] = []
    last_li_close: int | None = None  # index in `out` of the latest "</li>" at the current level
    for match in _TOKEN.finditer(html):
        out.append(html[pos : match.start()])
        pos = match.end()
        token = match.group()
        if token == "<ul>":
            moved = bool(stack) and last_li_close is not None
            if moved:
                out[last_li_close] = ""  # keep the previous item open around the nested list
            stack.append(moved)
            out.append(token)
            last_li_close = None
        elif token == "</ul>":
            out.append(token)
            moved = stack.pop() if stack else False
            if moved:
                out.append("</li>")
            last_li_close = None
        else:  # "</li>"
            out.append(token)
            last_li_close = len(out) - 1
    out.append(html[pos:])
    return "".join(out)


def fix_module_index(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if pagename == "_modules/index" and isinstance(context.get("body"), str):
        context["body"] = nest_lists(context["body"])


def setup(app: Any) -> dict:
    app.connect("html-page-context", fix_module_index)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
