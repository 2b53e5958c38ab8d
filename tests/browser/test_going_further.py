"""Going-further blocks, the reading path and the front page's tour, in Chromium.

The chapter template (``chapters/_template.md``) is built as the one chapter of a book with the book's own
configuration (``tests/book_fixture.py``), since no chapter of the book has a Going-further block yet. On its page:

* the block is closed at load, opens and closes from the keyboard, its heading is a heading to assistive technology,
  and axe-core finds no serious violation;
* a link to a label inside it, or to the block itself, opens it (on load, on ``hashchange``, and on a click on a link
  to the anchor already in the address);
* printing shows its content (print stylesheet) and opens it (``beforeprint``);
* ``benchmarks/reader_path.py`` counts what the HTML shows at load exactly as Chromium renders it, on the template
  and on the book's first chapter.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from book_fixture import jupyter_book_build, template_book  # tests/ is on pytest's pythonpath
from relulab_browser import SERIOUS, SITE, open_page, run_axe, site_problem

from benchmarks.reader_path import count_html, count_in_chromium

pytestmark = pytest.mark.browser
PAGE = "chapters/template.html"
DETAILS = "section.going-further > details.going-further"


@pytest.fixture(scope="module")
def template_site(browser, tmp_path_factory) -> Path:
    book = template_book(tmp_path_factory.mktemp("template-book"))
    result = jupyter_book_build(book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    return book / "_build" / "html"


@pytest.fixture()
def open_template(browser, serve, template_site):
    base = serve(template_site)
    contexts = []

    def open_(rel: str = PAGE):
        context, page, load = open_page(browser, base, template_site, rel)
        contexts.append(context)
        return page, load

    yield open_
    for context in contexts:
        context.close()


def is_open(page) -> bool:
    return page.eval_on_selector(DETAILS, "d => d.open")


def test_closed_at_load_and_operable_by_keyboard(open_template):
    page, load = open_template()
    assert not load.console_errors, load.console_errors
    assert not is_open(page)
    summary = page.locator(f"{DETAILS} > summary")
    assert not page.locator(f"{DETAILS} .cell").first.is_visible()  # its code is collapsed too
    summary.focus()
    page.keyboard.press("Enter")
    assert is_open(page) and page.locator(f"{DETAILS} .cell").first.is_visible()
    page.keyboard.press("Space")
    assert not is_open(page)
    heading = page.get_by_role("heading", name=re.compile(r"^Going further: why one half"))
    assert heading.count() == 1 and heading.evaluate("h => h.tagName") == "H3"


def test_no_serious_axe_violation_with_the_block_closed_and_open(open_template):
    page, _ = open_template()
    for state in (False, True):
        page.eval_on_selector(DETAILS, f"d => {{ d.open = {str(state).lower()}; }}")
        serious = [v for v in run_axe(page) if v["impact"] in SERIOUS]
        assert not serious, (state, serious)


def test_a_link_into_the_block_opens_it(open_template):
    page, _ = open_template(PAGE + "#template-why-half")  # the block's own label
    assert is_open(page)
    page, _ = open_template()
    page.evaluate("() => { location.hash = '#template-why-half'; }")
    page.wait_for_function(f"() => document.querySelector('{DETAILS}').open")
    # the same anchor again (no hashchange): a click on a link to it still opens the closed block
    page.eval_on_selector(DETAILS, "d => { d.open = false; }")
    page.evaluate(
        "() => { const a = document.createElement('a'); a.href = '#template-why-half'; a.id = 'probe';"
        " a.textContent = 'probe'; document.querySelector('article').prepend(a); }"
    )
    page.click("#probe")
    assert is_open(page)


def test_printing_shows_the_block(open_template):
    page, _ = open_template()
    visible = f"() => document.querySelector('{DETAILS} p').checkVisibility()"
    assert not page.evaluate(visible)
    page.emulate_media(media="print")
    assert page.evaluate(visible)  # the print stylesheet shows the content of a closed block
    page.emulate_media(media="screen")
    page.evaluate(
        "() => { window.__seen = []; const d = document.querySelector('section.going-further > details');"
        " d.addEventListener('toggle', () => window.__seen.push(d.open)); }"
    )
    page.evaluate("() => { window.dispatchEvent(new Event('beforeprint')); }")
    assert is_open(page)
    page.evaluate("() => { window.dispatchEvent(new Event('afterprint')); }")
    assert not is_open(page)


def test_the_front_page_tour_links_the_key_figure(open_template):
    page, load = open_template("index.html")
    assert not load.console_errors, load.console_errors
    thumb = page.locator("ol.answer-summaries .answer-summary-thumb img")
    assert thumb.count() == 1 and thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    # shown at the text's width, not as a thumbnail: as wide as the answer above it, or as the image itself
    shown, text, natural = thumb.evaluate(
        "img => [img.getBoundingClientRect().width,"
        " img.closest('li').querySelector('.answer-summary-text').getBoundingClientRect().width, img.naturalWidth]"
    )
    assert shown >= min(0.95 * text, natural), (shown, text, natural)
    page.locator("ol.answer-summaries .answer-summary-thumb a").click()
    page.wait_for_url(re.compile(r"chapters/template\.html#fig-template-histogram$"))


def test_the_reading_path_count_agrees_with_chromium(browser, template_site):
    pages = {template_site: [PAGE]}
    if site_problem() is None:
        pages[SITE] = ["chapters/what-is-relu.html"]
    for site, rels in pages.items():
        browser_counts = count_in_chromium(site, rels, browser=browser)
        for rel in rels:
            html_counts = count_html((site / rel).read_text(encoding="utf-8"))
            assert browser_counts[rel] == html_counts, (site, rel)


def test_the_block_opens_collapsed_in_jupyterlab(browser, jupyter_lab):
    """The template's Going-further heading cell carries "jp-MarkdownHeadingCollapsed": JupyterLab opens the
    section collapsed (its cells, code included, hidden) and the next section's heading shown."""
    lab = jupyter_lab
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        "**/*",
        lambda r: (
            r.continue_() if r.request.url.startswith((lab.url, "ws://127.0.0.1", "blob:", "data:")) else r.abort()
        ),
    )
    page = context.new_page()
    try:
        page.goto(f"{lab.url}lab/tree/chapters/_template.md?token={lab.token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=120_000)
        heading = page.locator(".jp-MarkdownCell", has=page.locator("h3", has_text="Going further: why one half"))
        heading.wait_for(timeout=60_000)
        # JupyterLab applies the stored collapse after it renders the cells: wait for the button that a collapsed
        # heading shows ("N cells hidden"); without the metadata it never appears and this times out
        heading.locator(".jp-showHiddenCellsButton").wait_for(timeout=30_000)
        hidden_code = page.locator(".jp-CodeCell", has_text="biased = [(W, b + 0.5)")
        assert hidden_code.count() == 1 and not hidden_code.is_visible()
        shown = page.locator(".jp-MarkdownCell", has=page.locator("h2", has_text="In practice"))
        shown.scroll_into_view_if_needed()
        assert shown.is_visible()
        # the collapsed heading offers a "N cells hidden" button; it shows the block's cells, code included
        heading.locator(".jp-showHiddenCellsButton").click()
        hidden_code.scroll_into_view_if_needed()
        assert hidden_code.is_visible()
    finally:
        context.close()
        lab.forget_sessions()  # leave the server as the other JupyterLab tests expect it
