"""Third-party files the site serves itself (``_extra``): each folder matches its manifest, ``SOURCE.txt``.

The first line says what was copied from which npm package and version, the second gives the package's npm
integrity, and every further line is ``sha256  path`` for one file (``make vendor-thebe``, ``make vendor-mathjax``
write them). A file added, removed or edited by hand fails here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

EXTRA = Path(__file__).resolve().parents[1] / "_extra"
VENDORED = {"thebe": "thebe 0.9.3 from npm", "mathjax": "mathjax 3.2.2 from npm"}


@pytest.mark.parametrize("name", sorted(VENDORED))
def test_vendored_files_match_their_manifest(name):
    folder = EXTRA / name
    lines = (folder / "SOURCE.txt").read_text().splitlines()
    assert lines[0].startswith(VENDORED[name]), lines[0]
    assert lines[1].startswith("npm integrity sha512-"), lines[1]
    sums = dict(reversed(line.split("  ", 1)) for line in lines[2:])
    files = sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != "SOURCE.txt"
    )
    assert files == sorted(sums), f"files in _extra/{name} differ from SOURCE.txt (run `make vendor-{name}`)"
    for rel, digest in sums.items():
        assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest, f"_extra/{name}/{rel} was changed"


def test_the_book_loads_the_vendored_mathjax():
    import yaml

    config = yaml.safe_load((EXTRA.parent / "_config.yml").read_text())["sphinx"]["config"]
    assert "_extra" in config["html_extra_path"]
    # relative to _static, as Sphinx reads mathjax_path; _extra/mathjax is served as mathjax/
    assert config["mathjax_path"] == "../mathjax/tex-chtml.js"
    assert (EXTRA / "mathjax" / "tex-chtml.js").is_file()
