"""relulab: the small JAX library behind the ReLU textbook.

Submodules are imported on first use, so ``import relulab`` stays cheap and
``relulab.activations.relu`` works without a separate import::

    >>> import relulab
    >>> float(relulab.activations.relu(-2.0))
    0.0
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

__version__ = "0.1.0"

_SUBMODULES = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")))
"""The public modules: every module and package of this folder whose name has no leading
underscore (the one list; the API page is tested against it)."""

__all__ = [*_SUBMODULES, "__version__"]


def __getattr__(name: str) -> ModuleType:
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'relulab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
