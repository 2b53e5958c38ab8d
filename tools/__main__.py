"""``python -m tools COMMAND``, from the repository root (the Makefile's entry points).

Commands:
    chapters            print the chapters the toc lists, one path per line, in reading order
    cache DIRECTORY     empty the execution cache DIRECTORY if its key changed (tools.cache_key)
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import ROOT


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    command, args = argv[0], argv[1:]
    if command == "chapters" and not args:
        from .toc import toc_chapters

        chapters = toc_chapters()
        if not chapters:
            print("no chapter in _toc.yml", file=sys.stderr)
            return 1
        print("\n".join(p.relative_to(ROOT).as_posix() for p in chapters))
        return 0
    if command == "cache" and len(args) == 1:
        from .cache_key import refresh_cache

        changed = refresh_cache(Path(args[0]).resolve())
        if changed:
            print(f"execution cache emptied: changed since it was filled: {', '.join(changed)}")
        return 0
    print(f"unknown command or arguments: {' '.join(argv)}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
