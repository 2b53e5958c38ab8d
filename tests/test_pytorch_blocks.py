"""The chapters' "In PyTorch" blocks: valid Python that uses PyTorch names that exist, as PyTorch spells them.

A chapter states PyTorch's side of practical advice in an admonition titled ``In PyTorch`` with a ```` ```python ````
block (``chapters/_template.md`` has one). The book runs on JAX and never executes those blocks, so for every
chapter of ``_toc.yml`` and the template this test checks that:

* each block parses (``ast.parse``), and its prose names the PyTorch defaults it relies on (the word "default");
* every dotted name rooted in an import of ``torch`` (``torch.nn.init.kaiming_normal_``, ``nn.ReLU`` after
  ``from torch import nn``) exists in PyTorch 2.13.0, and a direct call of one binds to its signature, so a misspelt
  function or keyword fails.

The names and signatures come from ``pytorch_api.json``, a snapshot of PyTorch's public API made from a real install
by ``python tests/pytorch_api.py --update``; ``--run`` executes the blocks for real. The tests do not install
PyTorch: the CPU build takes about 750 MB and, measured here, 88 s to install from the local wheel on a loaded
machine (24 s of CPU), a large share of a CI run that must stay under 5 minutes, to check a few lines that the
snapshot checks statically in milliseconds. Executing the blocks adds little on top of the name and signature check
(they build a small model and print), so it is done by hand with ``--run`` when a block changes.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from format_chapters import TEMPLATE  # noqa: E402
from pytorch_api import CHAPTERS, SNAPSHOT, pytorch_blocks, signature_from  # noqa: E402

BLOCKS = [
    pytest.param(path, line, prose, code, id=f"{path.stem}:{line}")
    for path in CHAPTERS
    for line, prose, code in pytorch_blocks(path.read_text(encoding="utf-8"))
]


def test_the_parser_finds_the_templates_block_and_ignores_others():
    assert [b.values[0] for b in BLOCKS].count(TEMPLATE) == 1
    text = (
        "````{admonition} In JAX\n```python\nimport jax\n```\n````\n\n"
        ":::{admonition} In PyTorch\nThe default.\n```python\nx = 1\n```\n:::\n\n```python\ny = 2\n```\n"
    )
    assert [code for _, _, code in pytorch_blocks(text)] == ["x = 1\n"]


@pytest.mark.parametrize("path, line, prose, code", BLOCKS)
def test_block_is_python_and_names_its_defaults(path, line, prose, code):
    ast.parse(code, filename=f"{path.name}:{line}")
    assert "default" in prose.lower(), f"{path.name}:{line}: the block's text names no PyTorch default it relies on"


def _api() -> dict:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


API = _api()


def torch_names(tree: ast.AST) -> dict[str, str]:
    """Local name -> dotted module path, for ``import torch[.x] [as y]`` and ``from torch[.x] import y [as z]``."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "torch":
                    names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else "torch"
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "torch":
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.AST) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


def known(name: str) -> bool:
    """Whether ``name`` is in the snapshot (a module, a public name of a module, or an attribute of a class)."""
    return name in API["names"] or name in API["modules"]


def used_names(code: str | ast.AST) -> list[tuple[str, ast.AST]]:
    """Every dotted name rooted in a torch import, fully qualified, with its node (longest chains only)."""
    tree = ast.parse(code) if isinstance(code, str) else code
    roots = torch_names(tree)
    out, inner = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            chain = _dotted(node)
            sub = node.value
            while isinstance(sub, ast.Attribute):
                inner.add(id(sub))
                sub = sub.value
            inner.add(id(sub))  # the chain's root name
            if chain and chain[0] in roots:
                out.append((".".join([roots[chain[0]], *chain[1:]]), node))
        elif isinstance(node, ast.Name) and node.id in roots and id(node) not in inner:
            out.append((roots[node.id], node))
    return out


@pytest.mark.parametrize("path, line, prose, code", BLOCKS)
def test_block_uses_pytorch_names_that_exist(path, line, prose, code):
    assert not problems(code, line), f"{path.name}:{line}: " + "; ".join(problems(code, line))


def problems(code: str, line: int = 0) -> list[str]:
    """Names the snapshot does not know, and direct calls that do not bind to the signature it records."""
    tree = ast.parse(code)
    found = []
    names = used_names(tree)
    for name, node in names:
        if not known(name):
            found.append(f"{name} (line {line + node.lineno}) is not in PyTorch {API['torch_version']}")
    qualified = {id(node): name for name, node in names}
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        name = qualified.get(id(call.func))
        entry = API["names"].get(name) if name else None
        if entry is None:
            continue  # not a torch name, a module, or a builtin without a readable signature
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            continue
        try:
            signature_from(entry).bind(*call.args, **{k.arg: k.value for k in call.keywords})
        except TypeError as exc:
            found.append(f"{name}(...) at line {line + call.lineno}: {exc}")
    return found


def test_the_snapshot_is_of_the_documented_release():
    assert API["torch_version"].startswith("2.13.0")
    for name in (
        "torch.nn.ReLU",
        "torch.nn.Linear",
        "torch.nn.init.kaiming_normal_",
        "torch.nn.Module.register_forward_hook",
    ):
        assert known(name), name


def test_the_check_catches_a_wrong_name_and_a_wrong_keyword():
    code = "import torch\nfrom torch import nn\nnn.init.kaiming_normal_(w, nonlinearity='relu')\ntorch.relu(x)\n"
    assert [n for n, _ in used_names(code)] == ["torch.nn.init.kaiming_normal_", "torch.relu"]
    assert problems(code) == []
    assert "torch.nn.init.kaiming_normall_" in problems(code.replace("kaiming_normal_", "kaiming_normall_"))[0]
    assert "nonlinearty" in problems(code.replace("nonlinearity", "nonlinearty"))[0]
    assert problems("import torch.nn as nn\nnn.Linear(1, 2, 3, 4, 5, 6)")  # too many arguments
