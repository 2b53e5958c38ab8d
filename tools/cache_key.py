"""The execution cache's key: what a chapter's output depends on besides the chapter's own code.

jupyter-cache re-executes a chapter when its code cells change. Its outputs also depend on

* the execution settings: the ``execute:`` section of ``_config.yml`` and every
  ``nb_execution_*`` option under ``sphinx: config:`` (read as YAML, so comments and layout do
  not count);
* the installed packages the book runs on: each requirement of ``requirements.txt`` and,
  recursively, what it requires, with the installed version (the lines ``pip freeze`` prints for
  them, read through ``importlib.metadata`` without starting pip). Packages installed only for
  the tests or for JupyterLab (``make test`` adds them after the book build) are left out, so that
  installing them does not throw away the executed chapters;
* the library: every file under ``code/relulab`` (its path and bytes; caches excluded);
* the book seed ``RELULAB_SEED`` (default ``0``).

``make book`` runs ``python -m tools cache``: when the key differs from the one stored with the
cache, it says which of these parts changed, empties the cache and stores the new key at once
(so a build that fails later never throws away results that are already current).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement

from . import ROOT

__all__ = ["KEY_FILE", "cache_parts", "execution_settings", "installed_packages", "library_digest", "refresh_cache"]

KEY_FILE = ".relulab-cache-key.json"
"""The key's parts, stored next to the execution cache (in its parent directory)."""


def execution_settings(config: Path) -> dict[str, Any]:
    """The ``execute:`` section of ``config`` and its ``sphinx.config.nb_execution_*`` options."""
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    sphinx_config = (data.get("sphinx") or {}).get("config") or {}
    return {
        "execute": data.get("execute") or {},
        "sphinx.config": {k: v for k, v in sphinx_config.items() if k.startswith("nb_execution_")},
    }


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(requirements: Path) -> list[str]:
    """The distribution names ``requirements`` installs (``-e .`` is this repository's package)."""
    names = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line in ("-e .", "-e ./", "."):
            names.append(tomllib.loads((requirements.parent / "pyproject.toml").read_text())["project"]["name"])
        elif not line.startswith("-"):
            names.append(Requirement(line).name)
    return names


def installed_packages(requirements: Path) -> list[str]:
    """``name==version`` of each distribution ``requirements`` installs and of everything it
    requires (extras left out), as installed now, sorted; ``name (not installed)`` for a missing one."""
    seen: dict[str, str] = {}
    stack = _requirement_names(requirements)
    while stack:
        name = _canonical(stack.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            seen[name] = f"{name} (not installed)"
            continue
        seen[name] = f"{name}=={dist.version}"
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                stack.append(req.name)
    return sorted(seen.values())


def library_digest(library: Path) -> str:
    """SHA-256 over the relative path and the bytes of every file under ``library``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in library.rglob("*") if p.is_file()):
        rel = path.relative_to(library).as_posix()
        if "__pycache__" in path.parts or rel.endswith((".pyc", ".pyo")):
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_parts(root: Path = ROOT, seed: str | None = None) -> dict[str, Any]:
    """The parts of the key, each JSON-serialisable (``seed`` defaults to ``$RELULAB_SEED``)."""
    if seed is None:
        seed = os.environ.get("RELULAB_SEED", "").strip() or "0"
    return {
        "RELULAB_SEED": seed,
        "execution settings": execution_settings(root / "_config.yml"),
        "installed packages": installed_packages(root / "requirements.txt"),
        "code/relulab": library_digest(root / "code" / "relulab"),
    }


def refresh_cache(cache: Path, root: Path = ROOT) -> list[str]:
    """Empty ``cache`` if the key changed since it was filled; return the parts that changed.

    The key is stored as JSON in ``cache.parent / KEY_FILE``; a missing or unreadable key file
    counts as a change of every part.
    """
    parts = cache_parts(root)
    key_file = cache.parent / KEY_FILE
    try:
        old = json.loads(key_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    changed = [name for name, value in parts.items() if old.get(name) != value]
    if changed:
        shutil.rmtree(cache, ignore_errors=True)
        cache.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(json.dumps(parts, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return changed
