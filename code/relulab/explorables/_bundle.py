"""The package's ES modules, as files for the website and as one inlined module for anywidget (private).

On the website every ``.mjs`` file of the package is served from ``_static/explorables/`` and the views
import ``./core.mjs`` and ``./ui.mjs`` by relative URL. A widget's ``_esm`` is loaded from a blob URL in
JupyterLab, where relative imports do not resolve, so :func:`bundle` inlines them: each imported module
becomes a closure that returns its exports, in dependency order, and the importing statements become
plain ``const`` bindings. It understands the two import forms the modules use,
``import * as name from "./x.mjs";`` and ``import { a, b } from "./x.mjs";``, and exports of the form
``export function|const|let|class name``; anything else is a ``ValueError`` naming the module.
"""

from __future__ import annotations

import functools
import os
import re
from importlib import resources
from pathlib import Path

__all__ = ["bundle", "copy_modules", "module_names", "source", "standalone_page"]

_IMPORT = re.compile(r'^import\s+(?:\*\s+as\s+(\w+)|\{([^}]*)\})\s+from\s+"\./([\w-]+\.mjs)";[ \t]*$', re.M)
_ANY_IMPORT = re.compile(r"^import\b", re.M)
_EXPORT = re.compile(r"^export\s+((?:async\s+)?(?:function\*?|const|let|class)\s+(\w+))", re.M)
_ANY_EXPORT = re.compile(r"^export\b", re.M)


def module_names() -> list[str]:
    """The file names of the package's ES modules (``core.mjs``, ``host.mjs``, the views...), sorted."""
    return sorted(p.name for p in resources.files(__package__).iterdir() if p.name.endswith(".mjs"))


@functools.cache
def source(name: str) -> str:
    """The text of the package's module ``name`` (e.g. ``"core.mjs"``)."""
    if name not in module_names():
        raise ValueError(f"name must be one of the package's modules {', '.join(module_names())}, got {name!r}")
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _var(name: str) -> str:
    return "__relulab_" + re.sub(r"\W", "_", name.removesuffix(".mjs"))


def _bind(match: re.Match[str]) -> str:
    star, names, module = match.groups()
    if star:
        return f"const {star} = {_var(module)};"
    return f"const {{{names}}} = {_var(module)};"


@functools.cache
def bundle(entry: str) -> str:
    """One self-contained ES module for ``entry`` (a view such as ``"two_layer.mjs"``) and what it imports."""
    order: list[str] = []

    def visit(name: str, stack: tuple[str, ...]) -> None:
        if name in stack:
            raise ValueError(f"modules import each other in a cycle: {' -> '.join((*stack, name))}")
        text = source(name)
        if len(_IMPORT.findall(text)) != len(_ANY_IMPORT.findall(text)):
            raise ValueError(f"{name}: every import must read `import * as x from \"./m.mjs\";` or `import {{ a }} ...`")
        for m in _IMPORT.finditer(text):
            if m.group(3) not in order:
                visit(m.group(3), (*stack, name))
        if name not in order:
            order.append(name)

    visit(entry, ())
    parts = [f"// {entry} with its imports inlined by relulab.explorables (the website loads the files themselves)"]
    for name in order[:-1]:
        text = source(name)
        exports = _EXPORT.findall(text)
        if len(exports) != len(_ANY_EXPORT.findall(text)):
            raise ValueError(f"{name}: an imported module may only export `function`, `const`, `let` or `class` declarations")
        body = _EXPORT.sub(lambda m: m.group(1), _IMPORT.sub(_bind, text))
        names = ", ".join(n for _, n in exports)
        parts.append(f"const {_var(name)} = (() => {{\n{body}\nreturn {{ {names} }};\n}})();")
    parts.append(_IMPORT.sub(_bind, source(entry)))
    return "\n".join(parts)


def copy_modules(directory: str | os.PathLike[str]) -> list[str]:
    """Write every ES module of the package into ``directory`` (created if needed); return the file names.

    The website serves them from ``_static/explorables/`` (``_ext/explorables.py`` calls this), where the
    views import ``./core.mjs`` and ``./ui.mjs`` and the host imports the views by relative URL.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    names = module_names()
    for name in names:
        target = out / name
        text = source(name)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    return names


def standalone_page(fragments: list[str], *, title: str = "relulab explorables", modules: str = "explorables") -> str:
    """A minimal HTML page holding explorables' website HTML (``Explorable.to_html()``), loading the host
    from ``modules/host.mjs`` (write the modules there with :func:`copy_modules`): for tests, benchmarks
    and trying a view without building the book."""
    import html

    body = "\n".join(f"<section>{f}</section>" for f in fragments)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        f'<script type="module" src="{modules}/host.mjs"></script></head>'
        f"<body><main><h1>{html.escape(title)}</h1>\n{body}\n</main></body></html>\n"
    )
