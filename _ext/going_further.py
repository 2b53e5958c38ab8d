"""Sphinx extension: "Going further" sections, collapsed on the website.

The book's convention (``CONTRIBUTING.md``, ``chapters/_template.md``): depth that a reader may skip (a proof, an
aside, an extra experiment, a literature survey) lives in a section whose heading starts with ``Going further:``,
a ``###`` at the end of the section it deepens or a ``##`` at chapter level. A section runs to the next heading of
its level or higher, so everything under that heading, prose, code cells and outputs, belongs to the block.

On the website the section is rendered as a closed native disclosure block::

    <section id="..." class="going-further">
      <details class="going-further">
        <summary class="going-further-summary"><h3>Going further: ...</h3> <span>(4 min)</span></summary>
        ... the section's content, headings inside keep their anchors ...
      </details>
    </section>

``<details>``/``<summary>`` are operable by keyboard (Tab, Enter, Space) and announced as an expandable group by
screen readers, with no script. The section keeps its id, so ``{ref}`` labels and the page's table of contents still
point at it; ``going_further.js`` opens every closed block around the target of the address's ``#anchor`` on load,
on ``hashchange`` and on a click on a same-page link, and opens all blocks before printing (the print stylesheet
shows them too). Other builders (LaTeX, text) see an ordinary section.

In JupyterLab the heading's cell carries ``"jp-MarkdownHeadingCollapsed": true``, so the section opens collapsed;
``tests/format_chapters.py`` (``make format-chapters``) sets it, ``tests/test_roundtrip.py`` checks it.

``chapter_shape`` uses :func:`is_going_further` to leave these blocks out of the main path's reading time and to
check where they sit; the block's own reading time (``going_further_minutes`` on the section) is shown in its summary.

Enabled from ``_config.yml``::

    sphinx:
      local_extensions:
        going_further: _ext
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

__version__ = "1.0"

PREFIX = "Going further:"
STATIC_DIR = Path(__file__).parent / "going_further_static"


def is_going_further(section: nodes.Node) -> bool:
    """Whether ``section`` is a section whose heading starts with "Going further:"."""
    if not isinstance(section, nodes.section) or not section.children:
        return False
    title = section.children[0]
    return isinstance(title, nodes.title) and title.astext().strip().startswith(PREFIX)


def section_level(section: nodes.section) -> int:
    """1 for the page title's section, 2 for a ``##`` section, and so on."""
    level, node = 0, section
    while node is not None:
        if isinstance(node, nodes.section):
            level += 1
        node = node.parent
    return level


class going_further_details(nodes.General, nodes.Element):
    """``<details class="going-further">``: the collapsed block."""


class going_further_summary(nodes.General, nodes.Element):
    """``<summary>`` holding the heading (``<hN>``) and the block's reading time."""


def _visit_details(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "details", CLASS="going-further"))


def _depart_details(self: Any, node: nodes.Element) -> None:
    self.body.append("</details>\n")


def _visit_summary(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "summary", "", CLASS="going-further-summary"))
    self.body.append(f"<h{node['level']}>")


def _depart_summary(self: Any, node: nodes.Element) -> None:
    self.body.append(f"</h{node['level']}>")
    minutes = node.get("minutes")
    if minutes:
        self.body.append(f' <span class="going-further-time">{minutes} min</span>')
    self.body.append("</summary>\n")


def _visit_pass(self: Any, node: nodes.Element) -> None:
    pass


class CollapseGoingFurther(SphinxPostTransform):
    """HTML only: wrap each Going-further section's content in ``<details>``, its heading in ``<summary>``.

    Runs at write time on the resolved doctree, after the table of contents, the labels and the search index have
    been collected from the ordinary section, so they are unchanged.
    """

    default_priority = 800
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for section in list(self.document.findall(nodes.section)):
            if not is_going_further(section):
                continue
            title = section.children[0]
            summary = going_further_summary(level=min(section_level(section), 6))
            summary["minutes"] = section.get("going_further_minutes")
            summary.extend(title.children)
            details = going_further_details()
            details += summary
            details.extend(section.children[1:])
            section.children = []
            section += details
            section["classes"].append("going-further")


def _add_static(app: Sphinx, config: Any) -> None:
    config.html_static_path.append(str(STATIC_DIR))


def setup(app: Sphinx) -> dict:
    passthrough = {k: (_visit_pass, _visit_pass) for k in ("latex", "text", "man", "texinfo")}
    app.add_node(going_further_details, html=(_visit_details, _depart_details), **passthrough)
    app.add_node(going_further_summary, html=(_visit_summary, _depart_summary), **passthrough)
    app.add_post_transform(CollapseGoingFurther)
    app.connect("config-inited", _add_static)
    app.add_css_file("going_further.css")
    app.add_js_file("going_further.js", defer="defer")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
