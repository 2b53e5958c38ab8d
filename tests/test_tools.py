"""The build tools of ``tools/``: the toc reader, the execution cache's key, the CI skip rule.

(The chapter runner, ``tools.chapters``, is exercised by ``tests/test_chapters.py`` on every
chapter.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools import ROOT, cache_key
from tools.toc import toc_chapters, toc_documents

# ------------------------------------------------------------------------------------------- toc

TOC = """\
# a comment line
format: jb-book
root: intro
parts:
  - caption: Questions   # a caption with a comment
    chapters:
      - file: chapters/first  # a note after the entry
      - file: chapters/second.md
        sections:
          - file: chapters/second-details
      - file: claims
  - caption: Reference
    chapters:
      - file: api
      - file: chapters/last
"""


def _book(tmp_path: Path, toc: str = TOC) -> Path:
    (tmp_path / "_toc.yml").write_text(toc)
    for name in (
        "intro",
        "claims",
        "api",
        "chapters/first",
        "chapters/second",
        "chapters/second-details",
        "chapters/last",
    ):
        path = tmp_path / f"{name}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"# {name}\n")
    return tmp_path


def test_toc_reads_comments_suffixes_and_nested_sections_in_reading_order(tmp_path):
    root = _book(tmp_path)
    assert toc_documents(root / "_toc.yml") == [
        "intro",
        "chapters/first",
        "chapters/second",
        "chapters/second-details",
        "claims",
        "api",
        "chapters/last",
    ]
    assert toc_chapters(root) == [root / "chapters" / f"{n}.md" for n in ("first", "second", "second-details", "last")]


def test_toc_rejects_a_malformed_toc(tmp_path):
    """Jupyter Book's parser, not a lenient copy of it: what the build rejects, the tools reject."""
    from sphinx_external_toc.parsing import MalformedError

    root = _book(tmp_path, TOC.replace("root: intro\n", ""))
    with pytest.raises(MalformedError):
        toc_chapters(root)


def test_the_books_toc_lists_the_chapters_the_makefile_executes():
    run = subprocess.run(
        [sys.executable, "-m", "tools", "chapters"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.split() == [p.relative_to(ROOT).as_posix() for p in toc_chapters()]
    assert all(p.is_file() for p in toc_chapters())


# ------------------------------------------------------------------------------------- cache key

CONFIG = """\
title: x   # a comment
execute:
  # why the cache is used
  execute_notebooks: cache
  timeout: 300   # seconds
sphinx:
  config:
    nb_execution_show_tb: true
    html_context:
      default_mode: light
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "_config.yml").write_text(CONFIG)
    (tmp_path / "requirements.txt").write_text("jupyter-book==1.0.4.post1  # the engine\njax==0.10.2\n-e .\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "relulab"\n')
    lib = tmp_path / "code" / "relulab"
    (lib / "sub").mkdir(parents=True)
    (lib / "__init__.py").write_text("x = 1\n")
    (lib / "sub" / "player.js").write_text("// js\n")
    (lib / "sub" / "colors.json").write_text("{}\n")
    return tmp_path


def _key(root: Path, seed: str = "0") -> dict:
    return cache_key.cache_parts(root, seed=seed)


def test_cache_key_ignores_comments_and_layout_of_the_config(tmp_path):
    root = _project(tmp_path)
    before = _key(root)
    (root / "_config.yml").write_text(
        CONFIG.replace("# why the cache is used", "# another reason, reworded")
        .replace("title: x", "title: y")
        .replace("timeout: 300   # seconds", "timeout:    300")
    )
    assert _key(root) == before


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: (r / "_config.yml").write_text(CONFIG.replace("timeout: 300", "timeout: 301")),
        lambda r: (r / "_config.yml").write_text(
            CONFIG.replace("nb_execution_show_tb: true", "nb_execution_show_tb: false")
        ),
        lambda r: (r / "_config.yml").write_text(CONFIG + "    nb_execution_raise_on_error: true\n"),
        lambda r: (r / "code" / "relulab" / "__init__.py").write_text("x = 2\n"),
        lambda r: (r / "code" / "relulab" / "sub" / "colors.json").write_text('{"relu": "#0072B2"}\n'),
        lambda r: (r / "code" / "relulab" / "sub" / "new.py").write_text(""),
        lambda r: (r / "code" / "relulab" / "sub" / "player.js").rename(r / "code" / "relulab" / "player.js"),
    ],
    ids=["execute", "nb_execution_option", "new_nb_execution_option", "py", "package_data", "new_file", "moved_file"],
)
def test_cache_key_changes_with_what_the_outputs_depend_on(tmp_path, edit):
    root = _project(tmp_path)
    before = _key(root)
    edit(root)
    assert _key(root) != before


def test_cache_key_covers_the_seed_and_the_packages_the_book_runs_on(tmp_path):
    root = _project(tmp_path)
    assert _key(root, "0") != _key(root, "3")
    packages = _key(root)["installed packages"]
    import jax

    assert f"jax=={jax.__version__}" in packages and any(p.startswith("jupyter-book==") for p in packages)
    assert any(p.startswith("relulab==") for p in packages)  # -e .
    assert any(p.startswith("jaxlib==") for p in packages) and any(p.startswith("sphinx==") for p in packages)
    # what only the tests or JupyterLab install does not clear the executed chapters
    assert not any(p.startswith(("pytest==", "playwright==", "mypy==", "jupyterlab==")) for p in packages)
    (root / "requirements.txt").write_text("jupyter-book==1.0.4.post1\njax==0.10.2\nno-such-package==1.0\n-e .\n")
    assert "no-such-package (not installed)" in _key(root)["installed packages"]


def test_cache_key_ignores_bytecode(tmp_path):
    root = _project(tmp_path)
    before = _key(root)
    cache = root / "code" / "relulab" / "__pycache__"
    cache.mkdir()
    (cache / "__init__.cpython-311.pyc").write_bytes(b"\0\1")
    assert _key(root) == before


def test_refresh_cache_empties_the_cache_only_when_the_key_changes(tmp_path, monkeypatch):
    root = _project(tmp_path)
    monkeypatch.setenv("RELULAB_SEED", "0")
    cache = root / "_build" / ".jupyter_cache"
    cache.mkdir(parents=True)
    (cache / "executed").write_text("outputs")
    assert set(cache_key.refresh_cache(cache, root)) == {
        "RELULAB_SEED",
        "execution settings",
        "installed packages",
        "code/relulab",
    }  # first build: no stored key
    assert not cache.exists()
    cache.mkdir()
    (cache / "executed").write_text("outputs")
    assert cache_key.refresh_cache(cache, root) == []  # nothing changed: the outputs stay
    assert (cache / "executed").exists()
    monkeypatch.setenv("RELULAB_SEED", "3")
    assert cache_key.refresh_cache(cache, root) == ["RELULAB_SEED"]
    assert not cache.exists()
    stored = json.loads((root / "_build" / cache_key.KEY_FILE).read_text())
    assert stored["RELULAB_SEED"] == "3"


# ------------------------------------------------------------------------------------------ CI skips

SKIPPING = """\
import pytest

def test_skips():
    pytest.skip("chromium not found")

@pytest.mark.xfail(reason="known")
def test_xfails():
    assert False

def test_passes():
    pass
"""


@pytest.mark.parametrize("ci", ["true", ""])
def test_under_ci_a_skip_is_a_failure(tmp_path, ci):
    (tmp_path / "conftest.py").write_text(
        "from tools.ci_skips import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401\n"
    )
    (tmp_path / "test_a.py").write_text(SKIPPING)
    (tmp_path / "test_b.py").write_text('import pytest\npytest.importorskip("no_such_module_here")\n')
    env = dict(os.environ, CI=ci, PYTHONPATH=str(ROOT))

    def pytest_run(*args: str) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *args]
        return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    tests, module = pytest_run("test_a.py"), pytest_run("test_b.py")
    summary = tests.stdout.strip().splitlines()[-1]
    if ci:
        assert tests.returncode == 1, tests.stdout
        assert "1 failed, 1 passed, 1 xfailed" in summary, summary
        assert "skipped under CI=true, where every test must run: Skipped: chromium not found" in tests.stdout
        assert module.returncode != 0, module.stdout  # a module skipped at collection is an error
        assert "skipped under CI=true" in module.stdout and "no_such_module_here" in module.stdout
    else:
        assert tests.returncode == 0, tests.stdout
        assert "1 passed, 1 skipped, 1 xfailed" in summary, summary
        assert module.returncode == 5 and "1 skipped" in module.stdout, module.stdout  # 5: no test ran
