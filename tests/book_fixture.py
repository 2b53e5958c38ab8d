"""Fixture books for the tests of the book's Sphinx extensions (``_ext/``).

Two kinds, both built in a subprocess with warnings as errors:

* :func:`sphinx_book` writes a small Sphinx project (``conf.py``, the basic theme, MyST-NB with execution off,
  sphinx-exercise and the book's own extensions) from a dict of pages; :func:`sphinx_build` builds it. Seconds, no
  kernel: for chapters without code cells, such as the malformed chapters of ``tests/test_chapter_shape.py``.
* :func:`template_book` makes a Jupyter Book with the book's own ``_config.yml`` (theme, extensions, execution),
  whose only chapter is ``chapters/_template.md`` copied to ``chapters/template.md`` (in the first "Questions" part,
  with the options of the book's own, its numbering included), beside the glossary, the
  bibliography and a page that defines the labels the two link to elsewhere in the book; :func:`jupyter_book_build`
  builds it as ``make book`` builds the book. The template's code runs, so this takes a kernel and about 20 s.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "_ext"
TEMPLATE = ROOT / "chapters" / "_template.md"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

CONF = """
import sys
sys.path.insert(0, {ext!r})
project = "fixture"
extensions = ["myst_nb", "sphinx_exercise", "claims", "going_further", "chapter_shape", *{extra!r}]
myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath"]
nb_execution_mode = "off"
root_doc = "index"
exclude_patterns = ["_build"]
html_theme = "basic"
"""


def sphinx_book(src: Path, pages: dict[str, str], *, extra_extensions: tuple[str, ...] = (), conf: str = "") -> Path:
    """Write a Sphinx project with ``pages`` (path -> text) into ``src``; ``conf`` is appended to ``conf.py``."""
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(CONF.format(ext=str(EXT), extra=list(extra_extensions)) + conf)
    for name, text in pages.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return src


def sphinx_build(src: Path, *args: str, quiet: bool = True) -> subprocess.CompletedProcess:
    """``sphinx-build -W --keep-going -b html`` of ``src`` into ``src/_build/html``."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            *(["-q"] if quiet else []),
            "-b",
            "html",
            *args,
            str(src),
            str(src / "_build" / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def warnings_of(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line]


REF = re.compile(r"\{(?:ref|numref)\}`(?:[^`<]*<)?([^`<>]+?)>?`")
DEFINED = [
    re.compile(r"^\(([^)\s]+)\)=\s*$", re.M),  # (label)=
    re.compile(r"^\s*:label:\s*(\S+)\s*$", re.M),  # exercises, equations, theorems
    re.compile(r"^\s*name:\s*([\w-]+)\s*$", re.M),  # figure names in cell metadata
]


def missing_labels(*texts: str) -> list[str]:
    """Labels that ``texts`` refer to with ``{ref}`` or ``{numref}`` but do not define."""
    wanted = {m.group(1).strip() for text in texts for m in REF.finditer(text)}
    defined = {m.group(1) for text in texts for rx in DEFINED for m in rx.finditer(text)}
    return sorted(wanted - defined)


def template_book(dst: Path, template: Path = TEMPLATE) -> Path:
    """A Jupyter Book in ``dst`` with the book's configuration and ``template`` as its one chapter."""
    dst.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "force"
    config["sphinx"]["config"]["chapter_shape_pending"] = []  # the template keeps every rule
    (dst / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    # The template is a chapter of the book's first "Questions" part, with that part's options (its numbering)
    questions = next(
        p for p in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"] if p["caption"].startswith("Questions")
    )
    toc = {
        "format": "jb-book",
        "root": "index",
        "parts": [
            {**questions, "chapters": [{"file": "chapters/template"}]},
            {"caption": "Reference", "chapters": [{"file": "glossary"}, {"file": "bibliography"}, {"file": "stubs"}]},
        ],
    }
    (dst / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    for name in ("_ext", "_static", "_extra/mathjax"):  # _extra/mathjax: the site's own MathJax (not thebe)
        shutil.copytree(ROOT / name, dst / name, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    for name in ("references.bib", "glossary.md", "bibliography.md", "jupytext.toml"):
        shutil.copy(ROOT / name, dst / name)
    (dst / "chapters").mkdir(exist_ok=True)
    text = template.read_text(encoding="utf-8")
    (dst / "chapters" / "template.md").write_text(text, encoding="utf-8")
    (dst / "index.md").write_text(
        "(intro)=\n# Fixture book\n\n(questions)=\n## The questions\n\n```{answer-summaries}\n```\n",
        encoding="utf-8",
    )
    index = (dst / "index.md").read_text()
    missing = missing_labels(text, (ROOT / "glossary.md").read_text(), index)
    stubs = ["# Labels the template and the glossary link to elsewhere in the book", ""]
    for label in missing:
        stubs += [f"({label})=", f"## Stands for {label}", "", "Text.", ""]
    (dst / "stubs.md").write_text("\n".join(stubs), encoding="utf-8")
    return dst


def jupyter_book_build(book: Path) -> subprocess.CompletedProcess:
    """``jupyter-book build --builder html -W --keep-going`` of ``book`` (HTML in ``book/_build/html``)."""
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "--builder", "html", "-W", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=600,
    )
