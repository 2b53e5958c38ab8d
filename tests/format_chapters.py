"""The chapters' stored form: exactly what JupyterLab writes when a chapter is opened and saved.

JupyterLab opens ``chapters/*.md`` through jupytext (``postBuild``, ``make lab``). On save it
sends the notebook back with the kernelspec of the kernel it started (``name``,
``display_name``, ``language``, in that order) and jupytext writes it as MyST Markdown with the
options of ``jupytext.toml``; YAML metadata is re-dumped, so a multi-line figure caption in a
``|`` block comes back as a quoted string with doubled line breaks. ``jupyterlab_form(text)``
reproduces that write byte for byte (``tests/browser/test_lab.py`` checks it against a real save
in JupyterLab); a chapter is stored in that form when ``jupyterlab_form(text) == text``
(``tests/test_roundtrip.py``).

``canonical(text)`` first joins the soft line breaks of caption and alt-text strings in cell
metadata (Markdown renders a single line break as a space, so the page does not change), then
takes ``jupyterlab_form``: the result is stable under saving and readable as YAML.

Run as a script (``make format-chapters``) it rewrites every chapter listed in ``_toc.yml`` in
its canonical form and prints the ones it changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
from jupytext.config import load_jupytext_config

from tools.toc import toc_chapters  # the toc as Jupyter Book reads it (make runs this with PYTHONPATH=.)

ROOT = Path(__file__).resolve().parents[1]
FMT = "md:myst"
KERNEL = "python3"
UNFOLD_KEYS = {"caption", "alt"}


def lab_kernelspec(name: str = KERNEL) -> dict[str, str]:
    """The kernelspec metadata JupyterLab writes for kernel ``name`` (keys in its order)."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(name)
    return {"name": name, "display_name": spec.display_name, "language": spec.language}


def jupytext_config(root: Path = ROOT):
    return load_jupytext_config(str(root / "chapters"))


def jupyterlab_form(text: str, *, kernelspec: dict | None = None, config=None) -> str:
    """``text`` as JupyterLab (jupytext) saves it after opening it with a running kernel."""
    nb = jupytext.reads(text, fmt=FMT)
    nb.metadata["kernelspec"] = dict(kernelspec or lab_kernelspec())
    return jupytext.writes(nb, fmt=FMT, config=config if config is not None else jupytext_config())


def _unfold(value):
    if isinstance(value, dict):
        return {
            k: (
                " ".join(v.split())
                if k in UNFOLD_KEYS and isinstance(v, str) and "\n\n" not in v.strip()
                else _unfold(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_unfold(v) for v in value]
    return value


def canonical(text: str, *, kernelspec: dict | None = None, config=None) -> str:
    """The stored form of a chapter: soft-wrapped captions joined, then ``jupyterlab_form``."""
    nb = jupytext.reads(text, fmt=FMT)
    for cell in nb.cells:
        cell.metadata = _unfold(dict(cell.metadata))
    nb.metadata["kernelspec"] = dict(kernelspec or lab_kernelspec())
    out = jupytext.writes(nb, fmt=FMT, config=config if config is not None else jupytext_config())
    again = jupyterlab_form(out, kernelspec=kernelspec, config=config)
    if again != out:  # pragma: no cover - would mean jupytext itself does not round-trip
        raise RuntimeError("jupytext does not reproduce its own output; cannot normalise")
    return out


def main(paths: list[str]) -> int:
    targets = [Path(p) for p in paths] or toc_chapters()
    for path in targets:
        text = path.read_text(encoding="utf-8")
        out = canonical(text)
        if out != text:
            path.write_text(out, encoding="utf-8")
            print(f"rewrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
