"""The browser checks must catch what they are for: run them on broken fixtures.

Fixture pages (tests/browser/fixtures, never part of the book): an inert slider,
images with file-name or empty alt text, raw TeX, a doubled ``const`` (the
Jupyter Book 1 THEBE_JS_URL bug), MathJax from its CDN URL (blocked: the maths
stays raw), a script from a CDN, a favicon and a font that are not there, and a
page whose maths is typeset by the site's own MathJax. Two more pages are generated from
``relulab.interactive``: a working player, and the same player with every frame
replaced by the first one (it runs, the slider moves, the figure never changes),
reading its grid column-major (the figure changes, to another grid point's frame),
or never updating its alt text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from relulab_browser import HERE, REPO, alt_problem, build_report, open_page, series_swatches, swatch_problems

pytestmark = pytest.mark.browser

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title><link rel="icon" href="data:,"></head>
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
    shutil.copytree(REPO / "_extra" / "mathjax", fixtures_dir / "mathjax")  # as the book serves it
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
    # The script reads the grid column-major: every move changes the figure, to the wrong grid point's frame.
    row_major = "k=k*d.shape[j]+v;"
    assert good.count(row_major) == 1
    transposed = good.replace(row_major, "k=k+v*Math.pow(d.shape[j],j);")
    (fixtures_dir / "transposed_player.html").write_text(
        PAGE.format(title="A player that shows the frame of another grid point", body=transposed)
    )
    # The script never updates the alt text: the figure changes, the text describing it does not.
    alt_update = 'img.alt=d.alt+" ("+parts.join(", ")+")";'
    assert good.count(alt_update) == 1
    stale = good.replace(alt_update, "")
    (fixtures_dir / "stale_alt_player.html").write_text(
        PAGE.format(title="A player whose alt text never changes", body=stale)
    )
    return serve(fixtures_dir), fixtures_dir


def report(browser, fixture_site, name, **kw):
    url, root = fixture_site
    return build_report(browser, url, root, name, **kw)


def test_working_player_passes_every_check(browser, fixture_site):
    r = report(browser, fixture_site, "good_player.html")
    assert [c.label for c in r.controls] == ["slope a", "shift b"]
    assert all(not c.problems for c in r.controls), [c.problems for c in r.controls]
    assert not r.console_errors and not r.external and not r.failed
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


def test_frame_of_another_grid_point_is_caught(browser, fixture_site):
    r = report(browser, fixture_site, "transposed_player.html", axe=False)
    problems = [p for c in r.controls for p in c.problems]
    assert not any("did not change" in p for p in problems), problems  # the old check alone passed it
    assert any("shows another frame than the one of grid point" in p for p in problems), problems


def test_stale_alt_text_is_caught(browser, fixture_site):
    r = report(browser, fixture_site, "stale_alt_player.html", axe=False)
    problems = [p for c in r.controls for p in c.problems]
    assert not any("did not change" in p or "another frame" in p for p in problems), problems
    assert sum("does not name grid point" in p for p in problems) == 4, problems  # 2 controls x mouse, keyboard


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


def test_cdn_mathjax_is_blocked_and_its_maths_stays_raw(browser, fixture_site):
    r = report(browser, fixture_site, "cdn_maths.html", axe=False)
    assert r.external == ["https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"]
    assert r.maths["n_maths"] == 2 and len(r.maths["unrendered"]) == 2 and r.maths["raw"]


def test_script_from_a_cdn_is_reported(browser, fixture_site):
    r = report(browser, fixture_site, "unpinned_cdn.html", axe=False)
    assert r.external == ["https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js"]


def test_missing_favicon_and_font_are_reported(browser, fixture_site):
    r = report(browser, fixture_site, "missing_files.html", axe=False)
    assert not r.external
    assert sorted(f.split()[0] + " " + f.rsplit("/", 1)[-1] for f in r.failed) == [
        "404 favicon.ico",
        "404 missing-font.woff2",
    ], r.failed
    r = report(browser, fixture_site, "unpinned_cdn.html", axe=False)  # no icon link at all
    assert r.failed == ["no <link rel=icon>: a browser asks for /favicon.ico"]


def test_the_sites_own_mathjax_typesets(browser, fixture_site):
    """The self-hosted MathJax (``_extra/mathjax``, as the book loads it) typesets inline and display maths
    with nothing from outside: the check that passes on the book passes here for the right reason."""
    r = report(browser, fixture_site, "local_maths.html", axe=False)
    assert not r.external and not r.failed and not r.console_errors, (r.external, r.failed, r.console_errors)
    assert not r.maths["raw"] and not r.maths["unrendered"]
    assert r.maths["n_maths"] == 2 and r.maths["n_rendered"] == 2


# ------------------------------------------------------------ no browser
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


# ------------------------------------------------ line samples of the training views (swatch_problems)
@pytest.fixture(scope="module")
def race_site(fixtures_dir, serve):
    """The race with its own colours, and the same race with the fourth runner's colour as an RGB list, as the
    what-is-relu chapter once passed it (a darkened orange): the browser ignores the stroke "0.5,0.34,0"."""
    from relulab import explorables

    explorables.copy_modules(fixtures_dir / "explorables")
    race = explorables.ActivationRace(
        learning_rates=[(0.1, [0.1]), (0.1, [0.1]), (0.32, [0.32]), (0.1, [0.1])], steps=100
    )
    (fixtures_dir / "good_race.html").write_text(explorables.standalone_page([race.to_html()]))
    race.runners = [*race.runners[:3], race.runners[3] | {"color": [0.5, 0.34, 0.0]}]  # past the checks
    (fixtures_dir / "unpainted_race.html").write_text(explorables.standalone_page([race.to_html()]))
    return serve(fixtures_dir), fixtures_dir


@pytest.mark.parametrize("name", ["good_race.html", "unpainted_race.html"])
def test_a_line_sample_nobody_sees_is_caught(browser, race_site, name):
    url, root = race_site
    context, page, _ = open_page(browser, url, root, name)
    try:
        swatches = series_swatches(page, '[data-relulab-explorable="race"]')
    finally:
        context.close()
    assert len(swatches["rows"]) == len(swatches["legend"]) == 4
    problems = swatch_problems(swatches)
    if name == "good_race.html":
        assert problems == [], problems
    else:
        assert len(problems) == 2 and all(
            "'sigmoid (4 \u00d7 Glorot)' has a line sample nobody sees" in p for p in problems
        )
        assert problems[0].startswith("rows:") and problems[1].startswith("legend:"), problems
