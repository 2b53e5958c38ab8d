"""``_ext/term_titles.py``: every glossary link carries its term's first sentence as a hover title.

A fixture book (Sphinx, MyST-NB with execution off, seconds) with a glossary page and a page in a subfolder that
links terms (``{term}`` with and without an explicit text, a term with an alias, a definition with maths, one with
an abbreviation before its first full stop, one with a link whose text Sphinx computes) and one ordinary link. The
built page's links must carry the first sentence of each definition, with the maths as plain text; the ordinary
link must not get a title.
"""

from __future__ import annotations

import doctest
import importlib.util

import bs4
import pytest
from book_fixture import EXT, sphinx_book, sphinx_build, warnings_of

GLOSSARY = r"""# Glossary

```{glossary}
dead unit
  A ReLU unit whose output is $0$ on every training input. It gets no gradient.

activation
activation function
  The function $\sigma$ a unit applies, e.g. ReLU, elementwise; so $h = \sigma(z)$. More text here.

fan-in
  The number of inputs of a unit ({ref}`top`), $n_\text{in}$
```
"""

CHAPTER = """# A chapter

Some {term}`dead units <dead unit>` and an {term}`activation function`, its {term}`activation`, the
{term}`fan-in`, and [the glossary](../glossary.md).
"""

INDEX = """(top)=
# Index

```{toctree}
glossary
part/one
```
"""


def load_module():
    spec = importlib.util.spec_from_file_location("term_titles", EXT / "term_titles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_helpers_doctests_pass():
    result = doctest.testmod(load_module())
    assert result.attempted >= 5 and result.failed == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    src = sphinx_book(
        tmp_path_factory.mktemp("book"),
        {"index.md": INDEX, "glossary.md": GLOSSARY, "part/one.md": CHAPTER},
        extra_extensions=("term_titles",),
    )
    result = sphinx_build(src)
    assert result.returncode == 0 and not warnings_of(result), result.stderr
    return src / "_build" / "html"


def test_every_term_link_has_the_first_sentence_as_title(built):
    page = bs4.BeautifulSoup((built / "part" / "one.html").read_text(encoding="utf-8"), "html.parser")
    titles = {a.get_text(): a.get("title") for a in page.select("a.reference")}
    assert titles["dead units"] == "A ReLU unit whose output is 0 on every training input."
    expected = "The function σ a unit applies, e.g. ReLU, elementwise; so h = σ(z)."
    assert titles["activation function"] == expected and titles["activation"] == expected  # an alias, same entry
    assert titles["fan-in"] == "The number of inputs of a unit, n_in"
    assert titles["the glossary"] is None  # not a term link


def test_a_long_definition_is_cut_at_a_word():
    module = load_module()
    text = "word " * 100
    cut = module.first_sentence(text, limit=50)
    assert len(cut) <= 52 and cut.endswith(" …") and "wor …" not in cut
