"""relulab.explorables in Python: the base class's contract, the three explorables' state and checks, the
module bundler, and the Sphinx extension that puts them on the website. The views run in Chromium in
tests/browser/test_explorables.py; the JavaScript core is compared with relulab in test_explorables_core.py."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import traitlets

from relulab import explorables, nets, plots, regions
from relulab.explorables import ActivationFamily, ActivationRegions, Explorable, MoveOneNeuron

REPO = Path(__file__).resolve().parents[1]
NODE = shutil.which("node")
VIEWS = ["two_layer.mjs", "regions.mjs", "activations.mjs"]


def one_d(seed: int = 0):
    return nets.random_mlp(np.random.default_rng(seed), [1, 10, 10, 1])


def two_d(seed: int = 0):
    return nets.random_mlp(np.random.default_rng(seed), [2, 8, 8, 1])


def website_state(fragment: str) -> dict:
    m = re.search(r'<script type="application/json" class="relulab-explorable-state">(.*?)</script>', fragment)
    assert m, fragment[:300]
    return json.loads(m.group(1).replace("<\\/", "</"))


# ------------------------------------------------------------------ the base class
@pytest.mark.parametrize(
    "widget",
    [
        pytest.param(lambda: MoveOneNeuron(one_d(), -3.0, 3.0, data=([0.0, 1.0], [0.5, 0.2]), unit=2), id="two_layer"),
        pytest.param(lambda: ActivationRegions(two_d(), (-2.0, 2.0, -2.0, 2.0), point=(0.5, -1.0)), id="regions"),
        pytest.param(lambda: ActivationFamily("gelu", x=-1.0), id="activations"),
    ],
)
def test_website_html_carries_the_state_and_a_fallback_image(widget):
    w = widget()
    fragment = w.to_html()
    assert f'data-relulab-explorable="{w.view_name}"' in fragment
    assert website_state(fragment) == w.state()
    alt = re.search(r'alt="([^"]*)"', fragment).group(1)
    assert html.unescape(alt) == w.alt_text() and len(alt) > 60
    assert re.search(r'<img src="data:image/webp;base64,[A-Za-z0-9+/=]{200,}"', fragment)
    data, metadata = w._repr_mimebundle_()
    assert set(data) == {"text/plain", "text/html", "application/vnd.jupyter.widget-view+json"}
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id
    data, _ = w._repr_mimebundle_(include=["text/plain"])
    assert "text/html" not in data
    assert w._esm == explorables.bundle(w._view)


def test_state_is_the_subclass_traits_only():
    w = ActivationFamily("relu")
    assert set(w.state()) == {"activation", "x", "lo", "hi"}


def test_a_new_explorable_is_a_view_and_a_small_subclass():
    """What CONTRIBUTING's "Add an explorable" promises: name the module, declare the state, describe it."""

    class Demo(Explorable):
        _view = "activations.mjs"
        activation = traitlets.Unicode("tanh").tag(sync=True)
        x = traitlets.Float(0.0).tag(sync=True)
        lo = traitlets.Float(-1.0).tag(sync=True)
        hi = traitlets.Float(1.0).tag(sync=True)

        def alt_text(self) -> str:
            return "A demonstration of the base class: tanh and its derivative on [-1, 1], with x at 0."

        def fallback_figure(self):
            fig, ax = plots.figure(figsize=(3, 2))
            ax.plot([-1, 1], [-0.76, 0.76])
            return fig

    fragment = Demo().to_html()
    assert website_state(fragment) == {"activation": "tanh", "x": 0.0, "lo": -1.0, "hi": 1.0}
    with pytest.raises(ValueError, match=r"_view must name a module of relulab.explorables"):

        class Bad(Explorable):  # noqa: F841
            _view = "nothing.mjs"

    class Undescribed(Explorable):
        _view = "activations.mjs"

    with pytest.raises(NotImplementedError, match="must define fallback_figure"):
        Undescribed().to_html()


# ------------------------------------------------------------------ the three explorables
def test_move_one_neuron_state_and_counts():
    params = one_d(1)
    w = MoveOneNeuron(params, -3.0, 3.0)
    assert w.params == [[np.asarray(W, np.float64).tolist(), np.asarray(b, np.float64).tolist()] for W, b in params]
    assert w.pieces() == regions.count_pieces_1d(params, -3.0, 3.0)
    new = one_d(2)
    w.params = new  # a weight set from Python: validated, converted, synced
    assert w.pieces() == regions.count_pieces_1d(new, -3.0, 3.0)
    assert f"{w.pieces()} linear pieces" in w.alt_text()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: MoveOneNeuron("weights"), TypeError, r"params must be a non-empty list of \(W, b\) pairs"),
        (lambda: MoveOneNeuron(two_d()), ValueError, r"params\[0\] W must have n_in = 1"),
        (lambda: MoveOneNeuron([(np.ones((1, 1)), np.zeros(1))]), ValueError, "params must have at least one hidden"),
        (lambda: MoveOneNeuron(one_d(), 1.0, -1.0), ValueError, r"lo must be below hi"),
        (lambda: MoveOneNeuron(one_d(), unit=10), ValueError, r"unit must be a first-layer unit index below 10"),
        (lambda: MoveOneNeuron(one_d(), data=([0, 1], [0])), ValueError, "data must hold x and y of equal length"),
        (
            lambda: MoveOneNeuron([(np.array([[np.nan]]), np.zeros(1)), (np.ones((1, 1)), np.zeros(1))]),
            ValueError,
            r"params\[0\] W must hold finite numbers",
        ),
        (lambda: ActivationRegions(one_d()), ValueError, r"params\[0\] W must have n_in = 2"),
        (lambda: ActivationRegions(two_d(), (-1, 1, -1)), ValueError, "box must be four real numbers"),
        (lambda: ActivationRegions(two_d(), point=(5.0, 0.0)), ValueError, r"point must lie in the box"),
        (lambda: ActivationRegions(two_d(), point="centre"), TypeError, r"point must be a pair"),
        (lambda: ActivationFamily("swish"), ValueError, "activation must be one of relu, leaky_relu"),
        (lambda: ActivationFamily(3), TypeError, "activation must be one of"),
        (lambda: ActivationFamily("relu", x=9.0), ValueError, r"x must be a number in \[-4, 4\]"),
    ],
)
def test_bad_input_is_rejected_with_a_message_naming_it(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_weights_set_from_python_are_checked_too():
    w = MoveOneNeuron(one_d())
    with pytest.raises(ValueError, match=r"params\[0\] W must have n_in = 1"):
        w.params = two_d()
    r = ActivationRegions(two_d())
    before = r.params
    with pytest.raises(TypeError, match=r"params\[1\] must be a \(W, b\) pair"):
        r.params = [two_d()[0], "layer"]
    assert r.params == before


def test_activation_regions_count_is_relulabs():
    params = two_d(4)
    w = ActivationRegions(params, (-2.0, 2.0, -2.0, 2.0))
    assert w.count() == regions.count_regions_2d(params, (-2.0, 2.0, -2.0, 2.0))
    assert w.point != [0.0, 0.0]  # the centre of the region around the origin, not a point on a line
    polygons = regions.region_polygons(params, (-2.0, 2.0, -2.0, 2.0))
    assert any(np.allclose(w.point, v.mean(axis=0)) for v, _ in polygons)
    assert f"into {w.count()} convex polygons" in w.alt_text()


# ------------------------------------------------------------------ the modules
def test_module_names_and_package_data():
    names = explorables.module_names()
    assert {"core.mjs", "host.mjs", "ui.mjs", *VIEWS} <= set(names)
    with pytest.raises(ValueError, match="name must be one of the package's modules"):
        explorables.source("../_base.py")


@pytest.mark.parametrize("view", VIEWS)
def test_bundle_inlines_the_imports(view):
    text = explorables.bundle(view)
    assert not re.search(r"^import\b", text, re.M), "an import survived the bundling"
    assert "const __relulab_core = (() => {" in text and "export default" in text
    assert text.count("const __relulab_core = ") == 1


@pytest.mark.skipif(NODE is None, reason="node not found")
def test_bundles_and_modules_load_in_node(tmp_path):
    """Each bundle is a valid ES module whose default export has render; ui.mjs's palette is relulab's."""
    for view in VIEWS:
        (tmp_path / view).write_text(explorables.bundle(view))
    explorables.copy_modules(tmp_path / "files")
    script = (
        "const out = {};"
        f"for (const v of {json.dumps(VIEWS)}) {{ const m = await import('./' + v); out[v] = typeof m.default.render; }}"
        "const ui = await import('./files/ui.mjs'); out.palette = ui.PALETTE;"
        "console.log(JSON.stringify(out));"
    )
    (tmp_path / "check.mjs").write_text(script)
    run = subprocess.run([NODE, str(tmp_path / "check.mjs")], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert [out[v] for v in VIEWS] == ["function"] * 3
    assert out["palette"] == plots.PALETTE


def test_copy_modules_writes_every_module(tmp_path):
    names = explorables.copy_modules(tmp_path / "x")
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == names
    assert (tmp_path / "x" / "core.mjs").read_text() == explorables.source("core.mjs")
    page = explorables.standalone_page([ActivationFamily().to_html()], modules="x")
    assert '<script type="module" src="x/host.mjs"></script>' in page


# ------------------------------------------------------------------ the Sphinx extension
def test_sphinx_extension_adds_the_host_only_where_used(tmp_path):
    sys.path.insert(0, str(REPO / "_ext"))
    try:
        import explorables as ext  # _ext/explorables.py
    finally:
        sys.path.remove(str(REPO / "_ext"))
    added: list[tuple[str, dict]] = []
    app = SimpleNamespace(
        builder=SimpleNamespace(format="html"),
        outdir=str(tmp_path),
        add_js_file=lambda name, **kw: added.append((name, kw)),
    )
    ext.copy_modules(app)
    assert (tmp_path / "_static" / "explorables" / "host.mjs").is_file()
    ext.add_host(app, "chapters/x", "page.html", {"body": "<p>no explorable here</p>"}, None)
    assert added == []
    ext.add_host(app, "chapters/y", "page.html", {"body": ActivationFamily().to_html()}, None)
    assert added == [("explorables/host.mjs", {"type": "module"})]
    latex = SimpleNamespace(builder=SimpleNamespace(format="latex"), outdir=str(tmp_path / "latex"))
    ext.copy_modules(latex)
    assert not (tmp_path / "latex").exists()
