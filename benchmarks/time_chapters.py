"""Execute chapters top to bottom and report each one's wall-clock time.

Usage (from the repository root)::

    .venv/bin/python -m benchmarks.time_chapters                      # every chapter in _toc.yml
    .venv/bin/python -m benchmarks.time_chapters chapters/continuity.md
    RELULAB_SEED=3 .venv/bin/python -m benchmarks.time_chapters chapters/continuity.md

Each chapter runs in a fresh kernel, as on Binder, through the runner the chapter test uses
(:func:`tools.chapters.run_chapter`); the time includes kernel start-up and JAX compilation.
Outputs that went to stderr are reported, since the book treats them as errors. The load average
is printed first: on a busy machine the times are not to be trusted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

try:
    from tools import ROOT
    from tools.chapters import run_chapter
    from tools.toc import toc_chapters
except ModuleNotFoundError as err:  # run as a file, the repository root is not on the path
    if err.name != "tools":
        raise
    sys.exit("run it from the repository root as: .venv/bin/python -m benchmarks.time_chapters [chapters/NAME.md ...]")


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or toc_chapters()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    status = 0
    for path in paths:
        run = run_chapter(path, timeout=600)
        print(f"{path.relative_to(ROOT)}: {run.seconds:.1f} s" + (f"  STDERR: {run.problems}" if run.problems else ""))
        status |= bool(run.problems)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
