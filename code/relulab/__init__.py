"""relulab: the small JAX library behind the ReLU textbook.

Submodules are imported on first use, so ``import relulab`` stays cheap and
``relulab.activations.relu`` works without a separate import::

    >>> import relulab
    >>> float(relulab.activations.relu(-2.0))
    0.0
"""

from __future__ import annotations

import importlib
from types import ModuleType

__version__ = "0.1.0"

_SUBMODULES = (
    "activations",
    "constructions",
    "conv",
    "data",
    "dead",
    "evidence",
    "explorables",
    "interactive",
    "nets",
    "plots",
    "regions",
    "seeding",
    "train",
)

__all__ = [*_SUBMODULES, "__version__"]


def __getattr__(name: str) -> ModuleType:
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'relulab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
