"""An explorable as a live widget in JupyterLab (issue 27): it renders, a drag in the view changes the
weights in Python (and the count the view shows is relulab's for them), and weights set from Python
re-render the view. JupyterLab is the one of test_lab.py (postBuild's set-up, served on 127.0.0.1)."""

from __future__ import annotations

import json
import time

import nbformat
import pytest
from test_lab import _kernel_ready, _menu, kernel_eval

pytestmark = pytest.mark.browser

SETUP = """import numpy as np
from relulab import explorables, nets, regions
w = explorables.MoveOneNeuron(nets.random_mlp(np.random.default_rng(0), [1, 10, 10, 1]), -3.0, 3.0)
w"""


def shown_count(page) -> int:
    return int(page.locator(".jp-OutputArea .relulab-ex").first.get_attribute("data-count"))


def test_explorable_lives_in_jupyterlab(browser, jupyter_lab):
    lab = jupyter_lab
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = lab.root / "explorable-check.ipynb"
    nbformat.write(nb, path)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    console: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{lab.url}lab/tree/{path.name}?token={lab.token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=120_000)
        _kernel_ready(page)
        _menu(page, "Run", "Run All Cells")
        # ---- it renders (the live widget, not the website's HTML)
        page.wait_for_selector(".jp-OutputArea .relulab-ex [role=slider]", timeout=120_000)
        assert page.locator(".jp-OutputArea .relulab-explorable-fallback").count() == 0
        kernel_id = lab.api("api/kernels")[0]["id"]
        assert shown_count(page) == int(kernel_eval(lab, kernel_id, "print(w.pieces())"))
        # ---- a drag in the view sets the weights in Python
        before = kernel_eval(lab, kernel_id, "import json; print(json.dumps(w.params))")
        handle = page.get_by_role("slider", name="kink of first-layer unit u1", exact=True)
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 90, y, steps=10)
        page.mouse.up()
        deadline = time.monotonic() + 30
        after = before
        while after == before and time.monotonic() < deadline:
            time.sleep(0.3)
            after = kernel_eval(lab, kernel_id, "print(json.dumps(w.params))")
        assert after != before, "the drag did not reach the kernel"
        assert json.loads(after)[0][0] == json.loads(before)[0][0], "a kink drag changes biases only"
        assert shown_count(page) == int(kernel_eval(lab, kernel_id, "print(w.pieces())"))
        # ---- weights set from Python re-render the view
        old = shown_count(page)
        new = int(
            kernel_eval(
                lab,
                kernel_id,
                "w.params = [(np.array([[1.0, -1.0, 2.0]]), np.array([0.0, 1.0, -1.0])), (np.eye(3), np.zeros(3)),"
                " (np.ones((3, 1)), np.zeros(1))]; print(w.pieces())",
            )
        )
        assert new != old, "the new weights must have another piece count than the dragged ones"
        page.wait_for_function(
            f"() => document.querySelector('.jp-OutputArea .relulab-ex').dataset.count === '{new}'", timeout=30_000
        )
        errors = [c for c in console if "relulab" in c or "anywidget" in c.lower() or "TypeError" in c]
        assert not errors, errors
    finally:
        context.close()
        lab.forget_sessions()
