"""Where ``tests/browser/test_lab.py`` imports the chapters' stored form from (it puts ``tests/``
on its path). The code is :mod:`tools.format_chapters`; import it from there."""

from tools.format_chapters import ROOT, canonical, jupyterlab_form, lab_kernelspec, toc_chapters

__all__ = ["ROOT", "canonical", "jupyterlab_form", "lab_kernelspec", "toc_chapters"]
