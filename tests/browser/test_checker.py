"""The browser checks must catch what they are for: run them on broken fixtures.

Fixture pages (tests/browser/fixtures, never part of the book): an inert slider,
images with file-name or empty alt text, raw TeX, a doubled ``const`` (the
Jupyter Book 1 THEBE_JS_URL bug), MathJax from its CDN URL (served offline), and
a script from an unpinned CDN. Two more pages are generated from
``relulab.interactive``: a working player, and the same player with every frame
replaced by the first one (it runs, the slider moves, the figure never changes).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from relulab_browser import HERE, NODE_MODULES, alt_problem, build_report, local_copy

pytestmark = pytest.mark.browser

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1>
<div class="cell_output">{body}</div>
</main></body></html>
"""


def _player_html() -> str:
    from relulab.interactive import interactive_figure
    from relulab.plots import figure

    x = np.linspace(-2.0, 2.0, 41)

    def setup():
        fig, ax = figure(figsize=(3.0, 2.0))
        (line,) = ax.plot(x, np.maximum(x, 0.0))
        ax.set_ylim(-2.5, 2.5)

        def update(slope, bias):
            line.set_ydata(np.where(x > 0, x, slope * x) + bias)

        return fig, update

    return interactive_figure(
        setup,
        {"slope": [0.0, 0.5, 1.0], "bias": [-1.0, 0.0, 1.0]},
        labels={"slope": "slope a", "bias": "shift b"},
        alt="Leaky ReLU with slope a for negative inputs, shifted up by b.",
    ).to_html()


@pytest.fixture(scope="module")
def fixture_site(fixtures_dir, serve):
    good = _player_html()
    (fixtures_dir / "good_player.html").write_text(PAGE.format(title="A working player", body=good))
    # Same player, every frame replaced by the first: the script runs, the figure never changes.
    m = re.search(r'(<script type="application/json"[^>]*>)(.*?)(</script>)', good, re.S)
    data = json.loads(m.group(2))
    data["frames"] = [data["frames"][0]] * len(data["frames"])
    frozen = good[: m.start(2)] + json.dumps(data) + good[m.end(2) :]
    (fixtures_dir / "frozen_player.html").write_text(
        PAGE.format(title="A player whose frames are all equal", body=frozen)
    )
    return serve(fixtures_dir), fixtures_dir


def report(browser, fixture_site, name, **kw):
    url, root = fixture_site
    return build_report(browser, url, root, name, **kw)


def test_working_player_passes_every_check(browser, fixture_site):
    r = report(browser, fixture_site, "good_player.html")
    assert [c.label for c in r.controls] == ["slope a", "shift b"]
    assert all(not c.problems for c in r.controls), [c.problems for c in r.controls]
    assert not r.console_errors and not r.unrouted
    assert r.figures["players"][0]["decoded"] and r.figures["players"][0]["controls_visible"]
    assert not [v for v in r.axe if v["impact"] in ("critical", "serious")], r.axe
    assert all(alt_problem(i["alt"], i["src"]) is None for i in r.images)


def test_inert_slider_is_caught(browser, fixture_site):
    r = report(browser, fixture_site, "inert_slider.html")
    (c,) = r.controls
    assert "moved with the mouse, the figure did not change" in c.problems
    assert "moved with the keyboard, the figure did not change" in c.problems


def test_frozen_player_is_caught(browser, fixture_site):
    r = report(browser, fixture_site, "frozen_player.html")
    assert len(r.controls) == 2
    for c in r.controls:
        assert "moved with the mouse, the figure did not change" in c.problems
        assert "moved with the keyboard, the figure did not change" in c.problems


def test_bad_alt_text_is_caught(browser, fixture_site):
    r = report(browser, fixture_site, "bad_alt.html", axe=False)
    problems = [alt_problem(i["alt"], i["src"]) for i in r.images]
    assert problems[:3] == ["alt text is a file name: 'figure.svg'", "empty alt text", "no alt attribute"]
    assert problems[3] is None


def test_raw_maths_is_caught(browser, fixture_site):
    r = report(browser, fixture_site, "raw_maths.html", axe=False)
    assert any(t.startswith("\\(") for t in r.maths["raw"])
    assert any(t.startswith("$$") for t in r.maths["raw"])
    assert len(r.maths["unrendered"]) == 2


def test_console_error_is_caught(browser, fixture_site):
    r = report(browser, fixture_site, "console_error.html", axe=False)
    assert any("THEBE_JS_URL" in e for e in r.console_errors), r.console_errors


def test_cdn_mathjax_is_served_from_pinned_npm_copy(browser, fixture_site):
    r = report(browser, fixture_site, "cdn_maths.html", axe=False)
    assert not r.unrouted and not r.console_errors, (r.unrouted, r.console_errors)
    assert not r.maths["raw"] and not r.maths["unrendered"]
    assert r.maths["n_rendered"] == 2


def test_unpinned_cdn_request_is_reported(browser, fixture_site):
    r = report(browser, fixture_site, "unpinned_cdn.html", axe=False)
    assert r.unrouted == ["https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js"]


# ------------------------------------------------------------ no browser
def test_local_copy_mapping():
    if not (NODE_MODULES / "mathjax").is_dir():
        pytest.skip("npm assets not installed (npm ci in tests/browser)")
    hit = local_copy("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js")
    assert hit == (NODE_MODULES / "mathjax" / "es5" / "tex-mml-chtml.js").resolve()
    assert local_copy("https://cdn.jsdelivr.net/npm/mathjax@3.2.2/es5/tex-mml-chtml.js?v=1") == hit
    assert local_copy("https://cdn.jsdelivr.net/npm/mathjax@4/es5/tex-mml-chtml.js") is None  # wrong major
    assert local_copy("https://cdn.jsdelivr.net/npm/leftpad@1/index.js") is None  # not pinned
    assert local_copy("https://cdn.jsdelivr.net/npm/mathjax@3/../../../etc/passwd") is None  # stays inside
    assert local_copy("https://example.org/mathjax@3/es5/tex-mml-chtml.js") is None


def test_alt_problem_rules():
    assert alt_problem("plot_1.png", "x/plot_1.png") == "alt text is a file name: 'plot_1.png'"
    assert alt_problem("abc123", "_images/abc123") == "alt text is a file name: 'abc123'"
    assert alt_problem("Figure", "a.png") == "alt text says nothing: 'Figure'"
    assert alt_problem("  ", "a.png") == "empty alt text"
    assert alt_problem("ReLU and its derivative", "a.png") is None


@pytest.mark.parametrize("ci", ["true", ""])
def test_missing_browser_skips_locally_and_fails_in_ci(ci, tmp_path):
    """How `make test` / `.ci/run` see a machine without Chromium."""
    env = {**os.environ, "CI": ci, "RELULAB_CHROMIUM": str(tmp_path / "no-chromium")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rs",
            "-k",
            "inert_slider",
            str(HERE / "test_checker.py"),
        ],
        cwd=HERE.parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    if ci == "true":
        assert proc.returncode == 1, out
        assert "browser tests: FAIL (CI=true)" in out
        assert "browser tests cannot run and CI=true" in out and "no-chromium not found" in out
    else:
        assert proc.returncode == 0, out
        assert "browser tests: SKIPPED" in out
        assert "1 skipped" in out and "no-chromium not found" in out


# ------------------------------------------------ explorables (relulab.explorables)
@pytest.fixture(scope="module")
def explorable_site(fixtures_dir, serve):
    """A page with two working explorables, and one whose view module does not exist."""
    from relulab import explorables

    explorables.copy_modules(fixtures_dir / "explorables")
    one = [(np.array([[1.0, -1.0, 0.5]]), np.array([0.5, 0.2, -0.4])), (np.eye(3), np.zeros(3))]
    one.append((np.array([[1.0], [-1.0], [2.0]]), np.zeros(1)))
    good = [explorables.MoveOneNeuron(one, -2.0, 2.0).to_html(), explorables.ActivationFamily("elu").to_html()]
    (fixtures_dir / "good_explorables.html").write_text(explorables.standalone_page(good))
    broken = good[1].replace('data-relulab-explorable="activations"', 'data-relulab-explorable="missing_view"')
    (fixtures_dir / "broken_explorable.html").write_text(explorables.standalone_page([broken]))
    return serve(fixtures_dir), fixtures_dir


def test_working_explorables_pass_every_check(browser, explorable_site):
    r = report(browser, explorable_site, "good_explorables.html")
    assert [e["ready"] for e in r.figures["explorables"]] == [True, True]
    labels = [c.label for c in r.controls]
    assert "kink of first-layer unit u1" in labels and "slope of first-layer unit u1" in labels and "input x" in labels
    assert all(not c.problems for c in r.controls), [(c.label, c.problems) for c in r.controls if c.problems]
    assert not r.console_errors, r.console_errors


def test_an_explorable_that_does_not_render_is_caught(browser, explorable_site):
    r = report(browser, explorable_site, "broken_explorable.html", axe=False)
    (e,) = r.figures["explorables"]
    assert not e["ready"] and "missing_view" in e["error"]
    assert any("relulab explorable" in c for c in r.console_errors), r.console_errors
    from test_site import test_interactive_figures_render

    with pytest.raises(AssertionError, match="explorables that did not render"):
        test_interactive_figures_render(lambda _: r, "broken_explorable.html")
