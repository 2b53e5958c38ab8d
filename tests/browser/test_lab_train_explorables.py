"""The training explorables as live widgets in JupyterLab (issue 28): "Kill a network" renders, trains when
Play is pressed, and writes its result back to Python, where the dead units are those JAX computes for the
same run; a setting changed from Python starts a new run in the view; "The race" renders and finishes
where JAX says. JupyterLab is the one of test_lab.py (postBuild's set-up, served on 127.0.0.1)."""

from __future__ import annotations

import json
import time

import nbformat
import pytest
from test_lab import _kernel_ready, _menu, kernel_eval

pytestmark = pytest.mark.browser

SETUP = """from relulab import explorables
w = explorables.KillNetwork(data="curve", width=8, steps=200, learning_rate=0.5, preview_rates=[0.5, 0.1])
w"""
RACE = """race = explorables.ActivationRace(learning_rates=[(0.1, [0.1]), (0.1, [0.1]), (0.32, [0.32]), (0.1, [0.1])],
                                   sizes=[64, 16, 16, 10], steps=100, speed="fast")
race"""


def test_kill_network_trains_in_jupyterlab(browser, jupyter_lab):
    lab = jupyter_lab
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell(RACE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = lab.root / "train-explorable-check.ipynb"
    nbformat.write(nb, path)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    console: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    view = ".jp-OutputArea .relulab-ex:not(:has(table))"  # Kill a network; the race (below) holds a table
    try:
        page.goto(f"{lab.url}lab/tree/{path.name}?token={lab.token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=120_000)
        _kernel_ready(page)
        _menu(page, "Run", "Run All Cells")
        # ---- it renders (the live widget, not the website's HTML)
        page.wait_for_selector(f"{view}[data-state=ready]", timeout=180_000)
        assert page.locator(".jp-OutputArea .relulab-explorable-fallback").count() == 0
        assert page.locator(f"{view} button", has_text="Copy link").count() == 0, "no page link inside JupyterLab"
        start_loss = float(page.locator(view).get_attribute("data-loss"))
        # ---- Play trains, and the result reaches Python
        page.locator(f"{view} button", has_text="Play").first.click()
        page.wait_for_selector(f"{view}[data-state=finished]", timeout=120_000)
        assert float(page.locator(view).get_attribute("data-loss")) < start_loss
        kernel_id = lab.api("api/kernels")[0]["id"]
        deadline, result = time.monotonic() + 30, "null"
        while result.strip() == "null" and time.monotonic() < deadline:
            result = kernel_eval(lab, kernel_id, "import json; print(json.dumps(w.result))")
            time.sleep(0.3)
        result = json.loads(result)
        assert result["step"] == 200 and result["state"] == "finished"
        expected = json.loads(kernel_eval(lab, kernel_id, "print(json.dumps(w.dead_after()[0]))"))
        assert result["dead"] == expected, "the widget's dead units are JAX's for the same run"
        # ---- a setting from Python starts a new run in the view
        kernel_eval(lab, kernel_id, "w.learning_rate = 0.1")
        page.wait_for_function(
            f"() => document.querySelector('{view}').dataset.step === '0' && "
            f"document.querySelector('{view} output').textContent.trim() === '0.100'",
            timeout=30_000,
        )
        # ---- the race renders and runs too, and finishes where JAX says
        race = ".jp-OutputArea .relulab-ex:has(table)"
        page.wait_for_selector(f"{race}[data-state=ready]", timeout=180_000)
        page.locator(f"{race} button", has_text="Play").first.click()
        page.wait_for_selector(f"{race}[data-state=finished]", timeout=180_000)
        shown = page.locator(race).get_attribute("data-reached").split(",")
        expected = json.loads(kernel_eval(lab, kernel_id, "print(json.dumps(race.preview()['steps_to_target']))"))
        assert shown == ["" if s is None else str(s) for s in expected]
        errors = [c for c in console if "relulab" in c or "anywidget" in c.lower() or "TypeError" in c]
        assert not errors, errors
    finally:
        context.close()
        lab.forget_sessions()
