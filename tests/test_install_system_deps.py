"""``.ci/install-system-deps`` asks apt for exactly what is missing (issue 21, item 1).

The script runs against stubs, never the real system: ``PATH`` holds only a stub ``apt-get`` (it
records its arguments and "installs" a package by creating stub commands), a stub ``dpkg-query``
(reports the installed ``nodejs`` version, if any) and a stub ``id`` (root), plus whatever stub
``node``/``npm`` the case starts with; ``RELULAB_CHROMIUM`` points at a file in the test's folder.
Debian's ``nodejs`` package provides ``node`` only; NodeSource's provides ``node`` and ``npm``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "install-system-deps"
BASH = shutil.which("bash") or "/bin/bash"
DEBIAN_NODE = "18.19.0+dfsg-6~deb12u2"
NODESOURCE_NODE = "20.20.2-1nodesource1"

APT_GET = r"""#!{bash}
# stub apt-get: records its arguments; `install` creates the commands each package provides
printf '%s\n' "$*" >> "$STUB_LOG"
[ "$1" = install ] || exit 0
for pkg in "$@"; do
  case "$pkg" in
    chromium) : > "$RELULAB_CHROMIUM"; {chmod} +x "$RELULAB_CHROMIUM" ;;
    nodejs) for c in $STUB_NODEJS_PROVIDES; do printf '#!{bash}\n' > "$STUB_BIN/$c"; {chmod} +x "$STUB_BIN/$c"; done
            printf '%s' "$STUB_NODEJS_REPO_VERSION" > "$STUB_STATE/nodejs" ;;
    npm) [ -s "$STUB_STATE/nodejs" ] && [[ "$(< "$STUB_STATE/nodejs")" == *nodesource* ]] && {{
           echo "nodejs : Conflicts: npm" >&2; exit 100; }}
         printf '#!{bash}\n' > "$STUB_BIN/npm"; {chmod} +x "$STUB_BIN/npm" ;;
    -*) ;;
  esac
done
"""
DPKG_QUERY = r"""#!{bash}
# stub dpkg-query -W -f='${{Version}}' nodejs: the installed version, or "not installed"
[ -s "$STUB_STATE/nodejs" ] || {{ echo "dpkg-query: no packages found matching nodejs" >&2; exit 1; }}
printf '%s' "$(< "$STUB_STATE/nodejs")"
"""
ID = "#!{bash}\necho 0\n"


def stub_system(tmp_path: Path, *, chromium: bool, node: str | None, npm: bool, repo: str = "debian") -> dict:
    """A stub system in ``tmp_path``; returns the environment to run in it. ``node``: None (absent),
    "debian" or "nodesource" (installed from that package); ``repo``: which ``nodejs`` apt would
    install ("debian" or "nodesource")."""
    bin_, state = tmp_path / "bin", tmp_path / "state"
    bin_.mkdir()
    state.mkdir()
    chmod = shutil.which("chmod")
    for name, text in {"apt-get": APT_GET, "dpkg-query": DPKG_QUERY, "id": ID}.items():
        (bin_ / name).write_text(text.format(bash=BASH, chmod=chmod))
        (bin_ / name).chmod(0o755)
    chromium_path = tmp_path / "chromium"
    if chromium:
        chromium_path.write_text("")
        chromium_path.chmod(0o755)
    for name in ["node"] * (node is not None) + ["npm"] * npm:
        (bin_ / name).write_text(f"#!{BASH}\n")
        (bin_ / name).chmod(0o755)
    if node is not None:
        (state / "nodejs").write_text(NODESOURCE_NODE if node == "nodesource" else DEBIAN_NODE)
    log = tmp_path / "apt.log"
    log.write_text("")
    env = {
        "PATH": str(bin_),
        "RELULAB_CHROMIUM": str(chromium_path),
        "STUB_LOG": str(log),
        "STUB_BIN": str(bin_),
        "STUB_STATE": str(state),
        "STUB_NODEJS_PROVIDES": "node npm" if repo == "nodesource" else "node",
        "STUB_NODEJS_REPO_VERSION": NODESOURCE_NODE if repo == "nodesource" else DEBIAN_NODE,
    }
    return env


def run(tmp_path: Path, **state) -> tuple[int, list[str], str]:
    """Run the script on a stub system: (exit code, apt-get calls, output)."""
    env = stub_system(tmp_path, **state)
    proc = subprocess.run([BASH, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    return proc.returncode, Path(env["STUB_LOG"]).read_text().splitlines(), proc.stdout + proc.stderr


INSTALL = "install -y --no-install-recommends"


@pytest.mark.parametrize(
    ("case", "state", "apt_calls"),
    [
        ("everything present", dict(chromium=True, node="nodesource", npm=True), []),
        (
            "Chromium missing, NodeSource Node.js with its npm",
            dict(chromium=False, node="nodesource", npm=True, repo="nodesource"),
            ["update", f"{INSTALL} chromium"],
        ),
        ("Debian Node.js without npm", dict(chromium=True, node="debian", npm=False), ["update", f"{INSTALL} npm"]),
        (
            "nothing present (Debian's Node.js: npm asked for after it)",
            dict(chromium=False, node=None, npm=False),
            ["update", f"{INSTALL} chromium nodejs", f"{INSTALL} npm"],
        ),
        (
            "nothing present, apt set up for NodeSource (its nodejs brings npm)",
            dict(chromium=False, node=None, npm=False, repo="nodesource"),
            ["update", f"{INSTALL} chromium nodejs"],
        ),
    ],
)
def test_asks_apt_for_exactly_what_is_missing(tmp_path, case, state, apt_calls):
    code, calls, out = run(tmp_path, **state)
    assert code == 0, out
    assert calls == apt_calls, f"{case}: apt-get was called {calls}\n{out}"


def test_never_asks_for_debian_npm_beside_nodesource_nodejs(tmp_path):
    """A NodeSource nodejs without npm is broken: say so and leave apt alone (Debian's npm conflicts)."""
    code, calls, out = run(tmp_path, chromium=True, node="nodesource", npm=False)
    assert code == 1 and calls == [], (calls, out)
    assert "NodeSource" in out and "reinstall nodejs" in out


def test_the_stub_apt_refuses_debian_npm_beside_nodesource_nodejs(tmp_path):
    """The stub behaves as apt did in issue 21 (so the cases above could fail): asked for Debian's npm
    after NodeSource's nodejs, it exits 100."""
    env = stub_system(tmp_path, chromium=True, node="nodesource", npm=True, repo="nodesource")
    apt = str(tmp_path / "bin" / "apt-get")
    proc = subprocess.run([BASH, apt, "install", "npm"], env=env, capture_output=True, text=True)
    assert proc.returncode == 100 and "Conflicts: npm" in proc.stderr


def test_ci_and_the_pages_workflow_use_the_script():
    """One copy of the install logic: .ci/run calls the script, and the Pages workflow runs .ci/run (what it then
    calls is checked against .ci/run's own calls in tests/test_workflow.py)."""
    root = SCRIPT.parents[1]
    ci = (root / ".ci" / "run").read_text()
    workflow = (root / ".github" / "workflows" / "pages.yml").read_text()
    assert "install-system-deps" in ci, ".ci/run does not call .ci/install-system-deps"
    assert "bash .ci/run" in workflow or "install-system-deps" in workflow, "pages.yml installs Chromium otherwise"
    for name, text in ((".ci/run", ci), ("pages.yml", workflow)):
        assert "apt-get install" not in text, f"{name} installs with apt-get itself (a second copy)"
    assert os.access(SCRIPT, os.X_OK)
