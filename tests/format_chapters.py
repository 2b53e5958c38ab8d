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
gives every "Going further:" section its own collapsed heading cell (``going_further_cells``), then
takes ``jupyterlab_form``: the result is stable under saving and readable as YAML.

**Going further in JupyterLab.** JupyterLab collapses a section when its heading's cell carries
``"jp-MarkdownHeadingCollapsed": true``: the cells after it are hidden up to the next cell whose
highest heading is of the same level or higher. So that this hides exactly the section the
website collapses (``_ext/going_further.py``), a Going-further heading opens its markdown cell
(with the ``(label)=`` lines just above it), the heading that ends the section opens the next one,
and only Going-further heading cells carry the key. JupyterLab removes the key when a reader opens
the section and saves; ``make format-chapters`` puts it back.

Run as a script (``make format-chapters``) it rewrites every chapter listed in ``_toc.yml``, and
the chapter template ``chapters/_template.md``, in its canonical form and prints the ones it changed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jupytext
import nbformat
from jupytext.config import load_jupytext_config

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from book_toc import toc_chapters  # noqa: E402  the one toc parser, shared with the tests and benchmarks

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "chapters" / "_template.md"
FMT = "md:myst"
KERNEL = "python3"
UNFOLD_KEYS = {"caption", "alt"}
COLLAPSED = "jp-MarkdownHeadingCollapsed"
GOING_FURTHER = "Going further:"
HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
LABEL = re.compile(r"^\([^)\s]+\)=[ \t]*$")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}|:{3,})")


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


def _headings(source: str) -> list[tuple[int, int, str]]:
    """``(line index, level, text)`` of each ATX heading of a Markdown cell, outside fenced blocks."""
    found, fence = [], None
    for i, line in enumerate(source.split("\n")):
        opening = FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        match = HEADING.match(line)
        if match:
            found.append((i, len(match.group(1)), match.group(2)))
    return found


def going_further_cells(cells: list) -> list:
    """The cells with each Going-further section starting a collapsed heading cell and ending at a cell boundary.

    A Markdown cell is split before a "Going further:" heading and before the heading that ends such a section
    (the next one of the same level or higher), each split taking the ``(label)=`` lines just above the heading.
    The Going-further heading cells get ``"jp-MarkdownHeadingCollapsed": true``; no other cell keeps the key.
    """
    out = []
    open_level = None  # the level of the Going-further section the cells are in, if any
    for cell in cells:
        if cell.cell_type != "markdown":
            out.append(cell)
            continue
        lines = cell.source.split("\n")
        starts: list[tuple[int, bool]] = [(0, False)]  # (first line of a piece, whether it opens Going further)
        for i, level, text in _headings(cell.source):
            further = text.startswith(GOING_FURTHER)
            if further or (open_level is not None and level <= open_level):
                start = i
                while start > 0 and LABEL.match(lines[start - 1]):
                    start -= 1
                if start == 0:
                    starts[0] = (0, further)
                else:
                    starts.append((start, further))
                open_level = level if further else None
        for k, (start, further) in enumerate(starts):
            end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
            source = cell.source if len(starts) == 1 else "\n".join(lines[start:end]).strip("\n")
            if not source.strip():
                continue
            if k == 0:
                piece = cell
                metadata = {key: value for key, value in dict(cell.metadata).items() if key != COLLAPSED}
            else:
                piece, metadata = nbformat.v4.new_markdown_cell(source), {}
            piece.source = source
            if further:
                metadata[COLLAPSED] = True
            piece.metadata = metadata
            out.append(piece)
    return out


def canonical(text: str, *, kernelspec: dict | None = None, config=None) -> str:
    """The stored form of a chapter: soft-wrapped captions joined, Going-further cells collapsed, then
    ``jupyterlab_form``."""
    nb = jupytext.reads(text, fmt=FMT)
    for cell in nb.cells:
        cell.metadata = _unfold(dict(cell.metadata))
    nb.cells = going_further_cells(nb.cells)
    nb.metadata["kernelspec"] = dict(kernelspec or lab_kernelspec())
    out = jupytext.writes(nb, fmt=FMT, config=config if config is not None else jupytext_config())
    again = jupyterlab_form(out, kernelspec=kernelspec, config=config)
    if again != out:  # pragma: no cover - would mean jupytext itself does not round-trip
        raise RuntimeError("jupytext does not reproduce its own output; cannot normalise")
    return out


def main(paths: list[str]) -> int:
    targets = [Path(p) for p in paths] or [*toc_chapters(), TEMPLATE]
    for path in targets:
        text = path.read_text(encoding="utf-8")
        out = canonical(text)
        if out != text:
            path.write_text(out, encoding="utf-8")
            print(f"rewrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
