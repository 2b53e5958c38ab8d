"""Every page of the built book, in Chromium, offline (see conftest.py).

Pages are discovered from the build (``_build/html/**/*.html``), not listed by
hand. Each page is loaded once; the tests below assert on its report.
"""

from __future__ import annotations

import pytest

from relulab_browser import (
    MAX_PAGE_BYTES,
    SERIOUS,
    SITE,
    alt_problem,
    discover_pages,
    redirect_target,
    site_problem,
    skip_or_fail,
)

pytestmark = pytest.mark.browser


def test_no_javascript_errors(site_report, page_path):
    r = site_report(page_path)
    assert not r.console_errors, "\n".join(r.console_errors)


def test_no_unpinned_external_requests(site_report, page_path):
    """Offline: every external asset must be a pinned npm copy (tests/browser/package.json)."""
    r = site_report(page_path)
    assert not r.unrouted, "requests with no pinned local copy:\n" + "\n".join(r.unrouted)


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


def test_page_weight_under_3_mb(site_report, page_path):
    """The page and its images (raw), and everything it loads as sent gzipped, each < 3 MB.

    (Raw, the theme's scripts and MathJax alone are about 3.5 MB on every page.)
    """
    w = site_report(page_path).weight
    assert w["own"] < MAX_PAGE_BYTES, f"{page_path}: page + images = {w['own'] / 2**20:.2f} MB (limit 3 MB)"
    assert w["transfer"] < MAX_PAGE_BYTES, f"{page_path}: transfers {w['transfer'] / 2**20:.2f} MB (limit 3 MB)"


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
