"""The book's page fixers in ``_ext``: valid nested lists on the viewcode index, no widget state."""

from __future__ import annotations

from types import SimpleNamespace

import compress_images  # noqa: F401  (_ext/ is on the path: pythonpath in pyproject.toml)
import dedupe_inline_scripts
import viewcode_index

# What sphinx.ext.viewcode 7.4 writes for a package with a sub-module page next to plain modules.
BROKEN = (
    '<ul><li><a href="a.html">p.a</a></li>\n'
    '<li><a href="b.html">p.b</a></li>\n'
    '<ul><li><a href="b/c.html">p.b.c</a></li>\n'
    '<ul><li><a href="b/c/d.html">p.b.c.d</a></li>\n'
    '</ul></ul><li><a href="e.html">p.e</a></li>\n'
    "</ul>"
)


def _children_ok(html: str) -> bool:
    """True when every <ul> directly contains only <li> elements (what axe's 'list' rule checks)."""
    from html.parser import HTMLParser

    class P(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[str] = []
            self.ok = True

        def handle_starttag(self, tag, attrs):
            if self.stack and self.stack[-1] == "ul" and tag != "li":
                self.ok = False
            self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}>"
            self.stack.pop()

    p = P()
    p.feed(html)
    assert not p.stack, "unclosed tags"
    return p.ok


def test_the_broken_index_is_broken_and_the_fix_nests_every_list():
    assert not _children_ok(BROKEN)
    fixed = viewcode_index.nest_lists(BROKEN)
    assert _children_ok(fixed)
    assert fixed.count("<li>") == BROKEN.count("<li>") == fixed.count("</li>")
    # order and text unchanged
    strip = lambda h: [t for t in h.replace("<", "\0<").split("\0") if t.startswith("<a")]  # noqa: E731
    assert strip(fixed) == strip(BROKEN)


def test_a_valid_list_is_left_alone():
    html = "<ul><li>a<ul><li>a.b</li></ul></li><li>c</li></ul>"
    assert viewcode_index.nest_lists(html) == html


def test_only_the_module_index_is_touched():
    context = {"body": BROKEN}
    viewcode_index.fix_module_index(None, "api", "page.html", context, None)
    assert context["body"] == BROKEN
    viewcode_index.fix_module_index(None, "_modules/index", "page.html", context, None)
    assert _children_ok(context["body"])


def test_widget_state_is_dropped_and_duplicates_removed():
    state = SimpleNamespace(
        filename=None, priority=500, attributes={"type": "application/vnd.jupyter.widget-state+json", "body": "{}"}
    )
    a = SimpleNamespace(filename="a.js", priority=500, attributes={})
    a_again = SimpleNamespace(filename="a.js", priority=500, attributes={})
    b = SimpleNamespace(filename="b.js", priority=500, attributes={})
    context = {"script_files": [a, state, a_again, b]}
    dedupe_inline_scripts.dedupe_scripts(None, "p", "page.html", context, None)
    assert context["script_files"] == [a, b]


def _png(array) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(array).save(out, format="PNG")
    return out.getvalue()


def test_a_plot_like_image_gets_a_faithful_palette_and_a_gradient_keeps_its_colours():
    import io

    import numpy as np
    from PIL import Image

    # a white canvas with a few coloured lines: few colours, so the palette is exact and much smaller
    plot = np.full((200, 300, 3), 255, np.uint8)
    for i, colour in enumerate([(0, 114, 178), (213, 94, 0), (0, 158, 115)]):
        plot[20 + 50 * i : 23 + 50 * i, :] = colour
    plot[:, ::7] = (plot[:, ::7] * 0.9).astype(np.uint8)  # some texture, so the full-colour PNG is not tiny
    small = compress_images.palette_png(_png(plot))
    assert small is not None and len(small) < len(_png(plot))
    with Image.open(io.BytesIO(small)) as im:
        assert im.mode == "P"
        assert np.array_equal(np.asarray(im.convert("RGB")), plot)

    # a smooth two-dimensional gradient of 65,536 colours cannot be kept faithfully in 256
    yy, xx = np.mgrid[0:256, 0:256]
    gradient = np.stack([xx, yy, (xx + yy) // 2], axis=2).astype(np.uint8)
    assert compress_images.palette_png(_png(gradient)) is None

    # transparency is left alone
    rgba = np.dstack([plot, np.full(plot.shape[:2], 128, np.uint8)])
    assert compress_images.palette_png(_png(rgba)) is None
