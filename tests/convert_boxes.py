"""Rewrites answer and claim boxes from the old directives (``:::{answer}``, ``:::{claim} id``) to the admonition
form that both Sphinx (``_ext/claims.py``) and JupyterLab (jupyterlab-myst) render. Kept for branches written
before the change: ``python tests/convert_boxes.py chapters/NAME.md ...`` rewrites the files in place (then run
``make format-chapters``). The conversion is mechanical: the text of every box is unchanged.

    :::{answer}                         :::{admonition} Our answer
    :summary: S                   ->    :class: answer
    Body                                :summary: S
    :::                                 Body
                                        :::

    :::{claim} ID                       :::{admonition} Holds: C
    :claim: C                           :class: claim tip dropdown
    :verdict: holds               ->    :name: ID
    :evidence: E                        Reason
    Reason
    :::                                 Evidence: {ref}`E`
                                        :::
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

WORDS = {"holds": "Holds", "caveat": "Holds, with a caveat", "misleading": "Misleading"}
KINDS = {"holds": "tip", "caveat": "warning", "misleading": "danger"}
BOX = re.compile(
    r"^(?P<fence>:{3,})\{(?P<kind>answer|claim)\}(?P<arg>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S
)
OPTION = re.compile(r"^:(?P<name>[\w-]+):[ \t]*(?P<value>.*)$")


def _split(body: str) -> tuple[dict[str, str], list[str]]:
    lines = body.splitlines()
    options: dict[str, str] = {}
    while lines and (m := OPTION.match(lines[0])):
        options[m.group("name")] = m.group("value").strip()
        lines.pop(0)
    return options, lines


def convert_box(m: re.Match) -> str:
    fence, kind = m.group("fence"), m.group("kind")
    options, lines = _split(m.group("body"))
    if kind == "answer":
        head = [f"{fence}{{admonition}} Our answer", ":class: answer"]
        head += [f":summary: {options.pop('summary')}"] if "summary" in options else []
    else:
        verdict = options.pop("verdict")
        head = [
            f"{fence}{{admonition}} {WORDS[verdict]}: {options.pop('claim')}",
            f":class: claim {KINDS[verdict]} dropdown",
            f":name: {m.group('arg').strip()}",
        ]
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", f"Evidence: {{ref}}`{options.pop('evidence')}`"]
    if options:
        raise ValueError(f"unexpected options {sorted(options)} in {m.group(0)[:80]!r}")
    return "\n".join(head + lines + [fence])


def convert(text: str) -> str:
    return BOX.sub(convert_box, text)


def main(paths: list[str]) -> int:
    for path in map(Path, paths):
        text = path.read_text(encoding="utf-8")
        out = convert(text)
        if out != text:
            path.write_text(out, encoding="utf-8")
            print(f"converted {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
