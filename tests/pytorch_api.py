"""A snapshot of PyTorch's public API, for checking the chapters' "In PyTorch" blocks without installing PyTorch.

``tests/test_pytorch_blocks.py`` checks every dotted name a block uses (``torch.nn.init.kaiming_normal_``,
``nn.ReLU``) against ``pytorch_api.json``: the public names of the modules below in the PyTorch release the book
documents, each with its call signature where Python can read one. The snapshot is made from a real install:

    pip install torch==2.13.0                       # the CPU build; about 750 MB, a minute or two
    python tests/pytorch_api.py --update            # rewrite pytorch_api.json from the installed PyTorch
    python tests/pytorch_api.py --run               # execute every "In PyTorch" block of the chapters

``--run`` is how a block is run for real before it is committed; the tests do not install PyTorch (see
``tests/test_pytorch_blocks.py`` for why).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from format_chapters import TEMPLATE, toc_chapters  # noqa: E402

SNAPSHOT = HERE / "pytorch_api.json"
TITLE = "In PyTorch"
CHAPTERS = [*toc_chapters(), TEMPLATE]
MODULES = [
    "torch",
    "torch.nn",
    "torch.nn.init",
    "torch.nn.functional",
    "torch.nn.utils",
    "torch.optim",
    "torch.optim.lr_scheduler",
    "torch.utils.data",
]
CLASSES = ["torch.Tensor", "torch.nn.Module"]  # their public methods and attributes too
KINDS = list(inspect._ParameterKind)


def pytorch_blocks(text: str) -> list[tuple[int, str, str]]:
    """``(line, prose, code)`` for each python block of each admonition titled "In PyTorch" in a MyST text.

    The text is tokenised by the MyST parser the book builds with, so fences nested in the admonition, colon fences
    and code in other directives are told apart as the build tells them.
    """
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    md = create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "dollarmath", "amsmath"}), RendererHTML)
    found = []
    for token in md.parse(text):
        if token.type not in ("fence", "colon_fence"):
            continue
        name, _, argument = token.info.strip().partition(" ")
        if name != "{admonition}" or argument.strip() != TITLE:
            continue
        inner = md.parse(token.content)
        codes = [t for t in inner if t.type == "fence" and t.info.strip() in ("python", "{code} python")]
        prose = " ".join(t.content for t in inner if t.type == "inline")
        for code in codes:
            line = token.map[0] + 1 + (code.map[0] + 1 if code.map else 0)
            found.append((line, prose, code.content))
    return found


def _signature(obj) -> list[str] | None:
    """``["name:kind:d", ...]`` (kind as an int, ``d`` if it has a default), or None if Python cannot read one."""
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    return [
        f"{p.name}:{KINDS.index(p.kind)}:{'d' if p.default is not inspect.Parameter.empty else ''}"
        for p in signature.parameters.values()
    ]


def signature_from(entry: list[str]) -> inspect.Signature:
    params = []
    for item in entry:
        name, kind, default = item.split(":")
        kwargs = {"default": None} if default else {}
        params.append(inspect.Parameter(name, KINDS[int(kind)], **kwargs))
    return inspect.Signature(params)


def snapshot() -> dict:
    torch = importlib.import_module("torch")
    names: dict[str, list[str] | None] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        names[module_name] = None
        public = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
        for name in sorted(set(public)):
            if not hasattr(module, name):
                continue
            names[f"{module_name}.{name}"] = _signature(getattr(module, name))
    for class_name in CLASSES:
        cls = eval(class_name, {"torch": torch})  # noqa: S307 - a fixed, trusted name
        for name in sorted(n for n in dir(cls) if not n.startswith("_")):
            names[f"{class_name}.{name}"] = _signature(getattr(cls, name, None))
    return {"torch_version": torch.__version__, "modules": MODULES, "classes": CLASSES, "names": names}


def run_blocks() -> int:
    torch = importlib.import_module("torch")
    failures = 0
    for path in CHAPTERS:
        for line, _, code in pytorch_blocks(path.read_text(encoding="utf-8")):
            torch.manual_seed(0)
            try:
                exec(compile(code, f"{path.name}:{line}", "exec"), {"__name__": "__pytorch_block__"})
                print(f"ran {path.name}:{line}")
            except Exception as exc:  # report every failing block, then fail
                failures += 1
                print(f"FAILED {path.name}:{line}: {type(exc).__name__}: {exc}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite pytorch_api.json from the installed PyTorch")
    parser.add_argument("--run", action="store_true", help="execute the chapters' In PyTorch blocks")
    args = parser.parse_args(argv)
    status = 0
    if args.update:
        data = snapshot()
        SNAPSHOT.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {SNAPSHOT.name}: {len(data['names'])} names of PyTorch {data['torch_version']}")
    if args.run:
        status = run_blocks()
    if not (args.update or args.run):
        parser.print_help()
    return status


if __name__ == "__main__":
    sys.exit(main())
