"""Test configuration shared by every test module.

* Warnings are errors (also set in ``pyproject.toml``'s ``filterwarnings``).
* JAX runs on the CPU and refuses implicit dtype promotion between
  non-weak types (``jax_numpy_dtype_promotion="strict"``), so the library
  cannot silently mix int and float arrays. Rank promotion stays allowed on
  purpose: the book's notation ``x @ W + b`` broadcasts a bias of shape
  ``(n_out,)`` over the batch.
"""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
jax.config.update("jax_numpy_dtype_promotion", "strict")
