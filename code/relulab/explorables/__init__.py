"""Explorables: figures the reader's browser computes, exactly, as they drag them (anywidget views).

Each explorable is one ES module in this package (``two_layer.mjs``, ``regions.mjs``, ``activations.mjs``)
in anywidget's format, ``export default { render({ model, el }) }``, over a pure JavaScript core
(``core.mjs``: ``forward``, ``breakpoints1d``, ``regions2d``, the activation family; float64, no DOM, no
dependency, the same numbers as :mod:`relulab.regions`, which ``tests/test_explorables_core.py`` checks on
generated networks) and shared view pieces (``ui.mjs``: theme, accessible handles, live region). The
Python class of each is an :class:`Explorable` (an ``anywidget.AnyWidget``) whose state, the weights,
Python can read and set.

* **In JupyterLab / Binder** the class displays as a live widget: drag in the view and the trait changes in
  Python; set ``w.params = trained`` in Python and the view re-renders.
* **On the website** there is no kernel: the cell's HTML output carries the state as JSON and a fallback
  image with alt text (what a reader without JavaScript sees), and ``host.mjs``, loaded as a module script
  by the book's Sphinx extension ``_ext/explorables.py`` on the pages that use it, gives the same
  ``render`` a minimal model. Nothing is loaded from another origin and no frame is precomputed.

The explorables:

* :class:`MoveOneNeuron` (two-layer chapter): drag a first-layer unit's kink and slope, see every layer
  and the exact piece count change;
* :class:`ActivationRegions` (expressiveness chapter): a two-input network's exact activation regions as
  polygons, a point to move, its region's activation pattern and local linear map, live weight controls;
* :class:`ActivationFamily` (what-is-relu chapter): pick an activation, move x, read f(x) and f'(x) and see
  where the derivative jumps;
* :class:`KillNetwork` (should-i-use-relu chapter): a network trains live at the learning rate,
  initialisation, width, depth and activation the reader chooses, with its loss, its fit and its dead units;
* :class:`ActivationRace` (what-is-relu chapter): ReLU, tanh and sigmoid networks train side by side, with
  live error and loss curves and the step each reaches the target error.

The training explorables train with ``train.mjs`` (backpropagation, optax's SGD and Adam, seeded
initialisation, dead units; float64, the numbers of JAX and optax, which ``tests/test_train_js.py``
checks). :mod:`relulab.explorables.seeded` repeats their random draws in Python, and
:mod:`relulab.explorables.training` holds their data and :func:`~relulab.explorables.training.replay`,
the browser's run in JAX, with which a chapter computes what the reader will see.

To add one, see "Add an explorable" in ``CONTRIBUTING.md``: write the view module and a small subclass of
:class:`Explorable`.
"""

from ._activations import ActivationFamily
from ._base import FALLBACK_DPI, Explorable, params_json
from ._bundle import bundle, copy_modules, module_names, source, standalone_page, style_module
from ._kill_network import KillNetwork
from ._race import ActivationRace
from ._regions import ActivationRegions
from ._two_layer import MoveOneNeuron

__all__ = [
    "FALLBACK_DPI",
    "ActivationFamily",
    "ActivationRace",
    "ActivationRegions",
    "Explorable",
    "KillNetwork",
    "MoveOneNeuron",
    "bundle",
    "copy_modules",
    "module_names",
    "params_json",
    "source",
    "standalone_page",
    "style_module",
]
