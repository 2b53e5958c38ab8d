"""Every page of the built book, in Chromium, offline (see conftest.py).

Pages are discovered from the build (``_build/html/**/*.html``), not listed by
hand. Each page is loaded once; the tests below assert on its report.
"""

from __future__ import annotations

import re
import shutil

import bs4  # pinned in requirements-test.txt: a missing bs4 is an error, never a skip
import pytest
from relulab_browser import (
    BOXES_JS,
    MAX_PAGE_BYTES,
    MAX_TRANSFER_BYTES,
    REPO,
    SERIOUS,
    SITE,
    alt_problem,
    build_report,
    discover_pages,
    open_page,
    redirect_target,
    site_problem,
    skip_or_fail,
)

pytestmark = pytest.mark.browser


def test_no_javascript_errors(site_report, page_path):
    r = site_report(page_path)
    assert not r.console_errors, "\n".join(r.console_errors)


def test_loads_nothing_from_another_origin(site_report, page_path):
    """The site needs nothing from outside: with the network blocked, no page asks another origin for
    anything (links to Binder or the repository are not loads)."""
    r = site_report(page_path)
    assert not r.external, "requests to other origins:\n" + "\n".join(r.external)


def test_every_load_succeeds(site_report, page_path):
    """Everything a page asks the site for is there (no 404: a missing favicon, font or MathJax extension)."""
    r = site_report(page_path)
    assert not r.failed, "failed requests:\n" + "\n".join(r.failed)


def test_maths_rendered(site_report, page_path):
    r = site_report(page_path)
    assert not r.maths["raw"], f"raw TeX left in the page: {r.maths['raw']}"
    assert not r.maths["unrendered"], f"maths not typeset by MathJax: {r.maths['unrendered']}"
    if r.maths["n_maths"]:
        assert r.maths["n_rendered"] >= r.maths["n_maths"]


def test_images_have_meaningful_alt_text(site_report, page_path):
    r = site_report(page_path)
    bad = [f"{img['src']}: {p}" for img in r.images if (p := alt_problem(img["alt"], img["src"]))]
    assert not bad, "\n".join(bad)
    broken = [img["src"] for img in r.images if img["visible"] and not (img["complete"] and img["width"] > 0)]
    assert not broken, f"images that did not load: {broken}"


def test_interactive_figures_render(site_report, page_path):
    r = site_report(page_path)
    for p in r.figures["players"]:
        assert p["decoded"], f"player {p['id']}: figure image did not load"
        assert p["controls_visible"], f"player {p['id']}: controls still hidden (script did not run)"
        assert p["n_controls"] >= 1
    unrendered = [v["model"] for v in r.figures["widget_views"] if not v["rendered"]]
    assert not unrendered, f"ipywidgets views that did not render: {unrendered}"
    broken = [
        f"{e['id']} ({e['view']}): {e['error'] or 'not rendered'}" for e in r.figures["explorables"] if not e["ready"]
    ]
    assert not broken, "explorables that did not render: " + "; ".join(broken)


def test_figure_captions_are_in_the_text_colour(site_report, page_path):
    captions = site_report(page_path).figures["captions"]
    wrong = sorted({c for c in captions["colors"] if c != captions["body"]})
    assert not wrong, f"{page_path}: captions in {wrong}, the text is {captions['body']}"


def test_every_control_changes_its_figure(site_report, page_path):
    r = site_report(page_path)
    bad = [f"{c.label!r}: {'; '.join(c.problems)}" for c in r.controls if c.problems]
    assert not bad, "\n".join(bad)
    n_player_controls = sum(p["n_controls"] for p in r.figures["players"])
    assert len(r.controls) >= n_player_controls  # every player control was exercised


def test_axe_no_serious_violations(site_report, page_path):
    r = site_report(page_path)
    bad = [v for v in r.axe if v["impact"] in SERIOUS]
    assert not bad, "\n".join(f"{v['impact']}: {v['id']} ({v['help']}) x{v['nodes']}, e.g. {v['example']}" for v in bad)


def test_page_weight(site_report, page_path):
    """Everything the page loads, as a gzipping server sends it, < 1.5 MB; its own HTML and images raw < 3 MB.

    (Raw, the theme's scripts and MathJax alone are about 2 MB on every page.)
    """
    w = site_report(page_path).weight
    assert w["own"] < MAX_PAGE_BYTES, f"{page_path}: page + images = {w['own'] / 2**20:.2f} MiB (limit 3 MiB)"
    assert w["transfer"] < MAX_TRANSFER_BYTES, (
        f"{page_path}: transfers {w['transfer'] / 1e6:.2f} MB gzipped (limit {MAX_TRANSFER_BYTES / 1e6:.1f} MB)"
    )


def test_redirect_pages_lead_to_pages():
    if site_problem():
        skip_or_fail(site_problem())
    pages = set(discover_pages(SITE))
    for rel in discover_pages(SITE, redirects=True):
        target = (SITE / rel).parent.joinpath(redirect_target(SITE / rel)).resolve().relative_to(SITE.resolve())
        assert target.as_posix() in pages, f"{rel} redirects to a missing page {target}"


def test_site_has_pages():
    if site_problem():
        skip_or_fail(site_problem())
    pages = discover_pages(SITE)
    assert "index.html" in pages or "intro.html" in pages
    assert any(p.startswith("chapters/") for p in pages), pages


# ------------------------------------------- answer first (issue 13: _ext/claims.py)
FIRST_SCREEN = 900  # px: the first screen of a 1280 x 900 window


def first_screen_problems(boxes: dict, height: int = FIRST_SCREEN) -> list[str]:
    """Why a page does not answer on its first screen: one answer box, at least one claim box, each box's top
    and its heading (the answer's title, the claim's verdict word) within ``height`` px, every reason collapsed."""
    problems = []
    if len(boxes["answers"]) != 1:
        problems.append(f"{len(boxes['answers'])} answer boxes (expected 1)")
    if not boxes["claims"]:
        problems.append("no claim box")
    for a in boxes["answers"]:
        if a["top"] >= height or a["head"] > height:
            problems.append(f"answer box: top at {a['top']:.0f} px, title ends at {a['head']:.0f} px (> {height})")
    for c in boxes["claims"]:
        if c["top"] >= height or c["head"] > height:
            problems.append(
                f"claim {c['id']!r}: top at {c['top']:.0f} px, verdict ends at {c['head']:.0f} px (> {height})"
            )
        if c["open"]:
            problems.append(f"claim {c['id']!r}: its reason is open when the page loads")
        if not (c["verdict"] or "").strip():
            problems.append(f"claim {c['id']!r}: no verdict word")
    return problems


def page_boxes(browser, base: str, root, rel: str) -> dict:
    context, page, _ = open_page(browser, base, root, rel, width=1280, height=FIRST_SCREEN)  # as build_report
    try:
        return page.evaluate(BOXES_JS)
    finally:
        context.close()


def chapter_pages() -> list[str]:
    return [p for p in discover_pages(SITE) if p.startswith("chapters/")] or ["<no built site>"]


@pytest.mark.parametrize("chapter", chapter_pages())
def test_chapter_answers_on_its_first_screen(site_report, chapter):
    """The answer box and every verdict box start within the first 900 px at 1280 x 900, reasons collapsed
    (measured when the page has loaded, before any other check opens anything)."""
    problems = first_screen_problems(site_report(chapter).boxes)
    assert not problems, f"{chapter}:\n" + "\n".join(problems)


@pytest.mark.parametrize("rel", ["claims.html", "<front page>"])
def test_ledger_and_front_page_render_cleanly(site_report, rel):
    """The generated pages exist, and load with no console error and no serious or critical axe violation."""
    pages = discover_pages(SITE)
    if rel == "<front page>":
        rel = "intro.html" if "intro.html" in pages else "index.html"
    assert rel in pages, f"{rel} was not built"
    r = site_report(rel)
    assert not r.console_errors, "\n".join(r.console_errors)
    bad = [v for v in r.axe if v["impact"] in SERIOUS]
    assert not bad, "\n".join(f"{v['impact']}: {v['id']} ({v['help']}) x{v['nodes']}, e.g. {v['example']}" for v in bad)


def test_ledger_and_front_page_list_every_chapter():
    if site_problem():
        skip_or_fail(site_problem())
    chapters = [p for p in discover_pages(SITE) if p.startswith("chapters/")]
    front = (SITE / "intro.html").read_text(encoding="utf-8")
    ledger = (SITE / "claims.html").read_text(encoding="utf-8")
    assert 'class="answer-summaries' in front
    for chapter in chapters:
        assert f'href="{chapter}"' in front, f"the front page does not link {chapter}"
        assert f'href="{chapter}"' in ledger, f"the ledger has no section for {chapter}"
    assert (SITE / "claims.json").is_file()


def test_first_screen_check_catches_a_late_or_open_box(browser, fixtures_dir, serve):
    """The check above, on a fixture page (with the extension's CSS) where one box is below 900 px and one is open."""
    shutil.copy(REPO / "_ext" / "claims_static" / "claims.css", fixtures_dir / "claims.css")
    base = serve(fixtures_dir)
    boxes = page_boxes(browser, base, fixtures_dir, "first_screen.html")
    assert [c["id"] for c in boxes["claims"]] == ["fixture-early", "fixture-open", "fixture-late"]
    problems = first_screen_problems(boxes)
    assert len(problems) == 2, problems
    assert problems[0].startswith("claim 'fixture-open': its reason is open")
    assert problems[1].startswith("claim 'fixture-late': top at")
    assert first_screen_problems({"answers": [], "claims": []}) == ["0 answer boxes (expected 1)", "no claim box"]
    # the boxes' own colours pass axe (colour contrast is a serious violation)
    r = build_report(browser, base, fixtures_dir, "first_screen.html")
    bad = [v for v in r.axe if v["impact"] in SERIOUS]
    assert not bad, bad


# ------------------------------------- numbering per chapter (the two "Questions" parts of _toc.yml are numbered)
def _soup(rel: str) -> bs4.BeautifulSoup:
    return bs4.BeautifulSoup((SITE / rel).read_text(encoding="utf-8"), "html.parser")


def _text(node) -> str:
    return " ".join(node.get_text().replace("¶", "").replace("#", "").split())


def test_questions_are_numbered_by_chapter_and_their_figures_and_exercises_within_it():
    """The sidebar numbers the questions 1, 2, ... (and nothing else); each chapter's title, the front page and the
    ledger carry the same number; figures, exercises and theorems are numbered "N.1", "N.2", ... within chapter N, in
    order, and so are equations ("(N.k)"); sections are not numbered; and every {numref} and {eq} reads the number of
    the caption or equation it links to."""
    if site_problem():
        skip_or_fail(site_problem())
    nav = _soup("intro.html").select_one("nav.bd-docs-nav")
    captions = [_text(c) for c in nav.select("p.caption")]
    # two parts of questions: the practical answer (the first read), then why it works; numbering runs across both
    assert captions[:2] == ["Questions: the practical answer", "Questions: why it works"], captions
    questions = [a for ul in nav.select("p.caption + ul")[:2] for a in ul.select("li.toctree-l1 > a")]
    numbered = {a["href"]: _text(a) for a in questions}
    assert sorted(numbered) == [p for p in discover_pages(SITE) if p.startswith("chapters/")]
    for i, (href, title) in enumerate(numbered.items(), start=1):
        assert href.startswith("chapters/") and title.startswith(f"{i}. "), (href, title)
    for ul in nav.select("p.caption + ul")[2:]:
        for a in ul.select("a"):
            assert not a.select("span.section-number") and not re.match(r"\d+\. ", _text(a)), _text(a)

    front = {a["href"]: _text(a) for a in _soup("intro.html").select(".answer-summary-question a")}
    assert front == numbered
    ledger = {a["href"]: _text(a) for a in _soup("claims.html").select("section.claim-ledger-question h2 a.reference")}
    assert ledger == numbered
    assert not _soup("claims.html").select("h1 span.section-number")

    pages = {rel: _soup(rel) for rel in numbered}
    captions_of: dict[str, dict[str, str]] = {}
    for rel, page in pages.items():
        n = int(numbered[rel].split(".")[0])
        assert _text(page.select_one("section > h1")) == numbered[rel]
        assert not page.select("section section span.section-number"), f"{rel}: a section heading is numbered"
        by_kind: dict[str, list[int]] = {}
        captions_of[rel] = {}
        for cap in page.select("span.caption-number"):
            match = re.fullmatch(rf"(.+) {n}\.(\d+)", _text(cap))
            assert match, f"{rel}: {_text(cap)!r} is not numbered within chapter {n}"
            by_kind.setdefault(match[1], []).append(int(match[2]))
            owner = cap.find_parent(id=True)
            captions_of[rel][owner["id"]] = _text(cap)
        for eqno in page.select("span.eqno"):  # numbered equations, "(N.k)"
            match = re.fullmatch(rf"\({n}\.(\d+)\)", _text(eqno))
            assert match, f"{rel}: equation {_text(eqno)!r} is not numbered within chapter {n}"
            by_kind.setdefault("equation", []).append(int(match[1]))
            captions_of[rel][eqno.find_parent(id=True)["id"]] = _text(eqno)
        assert by_kind.get("Fig.") and by_kind.get("Exercise"), f"{rel}: {sorted(by_kind)}"
        for kind, indices in by_kind.items():
            assert indices == list(range(1, len(indices) + 1)), f"{rel}: {kind} numbered {indices}"
    refs = 0
    for rel, page in pages.items():
        numrefs = [a.span for a in page.select("a.reference.internal") if a.select_one(":scope > span.std-numref")]
        eqrefs = [a for a in page.select("a.reference.internal[href*='#equation-']") if a.find_parent("main")]
        for ref in numrefs + eqrefs:
            link = ref if ref.name == "a" else ref.parent
            target, _, anchor = link["href"].partition("#")
            where = f"chapters/{target}" if target else rel
            assert captions_of[where][anchor] == _text(ref), f"{rel}: reference {_text(ref)!r} -> {where}#{anchor}"
            refs += 1
    assert refs
