"""The API page (api.md) documents exactly the package's public modules.

The one list of public modules is the package itself: ``relulab.__all__`` is every module of
``code/relulab`` without a leading underscore (``relulab/__init__.py`` reads the folder). The
page is checked against it, so a module added to the package without a section (or a section
left behind by a removed module) fails here instead of silently missing from the book.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import relulab

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "api.md").read_text(encoding="utf-8")
PUBLIC = {name for name in relulab.__all__ if name != "__version__"}


def test_the_public_modules_are_the_packages_files():
    on_disk = {
        p.stem if p.is_file() else p.name
        for p in Path(relulab.__file__).parent.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").is_file()) and not p.name.startswith("_")
    }
    assert PUBLIC == on_disk
    for name in PUBLIC:  # each is importable and lazily reachable as relulab.<name>
        assert getattr(relulab, name) is importlib.import_module(f"relulab.{name}")


def test_every_public_module_has_one_section_with_its_automodule():
    documented = re.findall(r"^\.\. automodule:: relulab\.(\w+)\s*$", PAGE, flags=re.M)
    assert sorted(documented) == sorted(set(documented)), "a module is documented twice"
    assert set(documented) == PUBLIC, (
        f"api.md misses {sorted(PUBLIC - set(documented))}, documents unknown {sorted(set(documented) - PUBLIC)}"
    )
    headings = re.findall(r"^## `relulab\.(\w+)`\s*$", PAGE, flags=re.M)
    assert headings == documented, "each section's heading must name the module its automodule documents"


def test_the_pages_overview_names_every_module():
    overview = PAGE[: PAGE.index("\n## ")]
    named = set(re.findall(r"`(\w+)`", overview)) & (PUBLIC | {"_validate"})
    assert PUBLIC <= named, f"the overview paragraph does not name {sorted(PUBLIC - named)}"
