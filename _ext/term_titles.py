"""A glossary term's definition as the tooltip of every link to it, so that a reader keeps their place.

A ``{term}`` link jumps to the glossary page; a reader who only wants the gist loses the sentence they were reading.
This extension gives each such link a ``title`` attribute (the browser shows it on hover) holding the first sentence of
the term's definition, as plain text:

- ``doctree-read``: every ``glossary`` directive's entries are collected: each term's anchor (``term-...``) maps to the
  first sentence of its definition's first paragraph. Maths is turned into plain text with a small table of the TeX
  commands the glossary uses (``\\sigma`` -> σ, ``\\le`` -> ≤, ``\\mathrm{relu}`` -> relu, braces dropped); other
  inline markup keeps its text.
- ``doctree-resolved``: every resolved reference whose target is such an anchor (a ``{term}`` link, or a plain link to
  the glossary's anchor) gets the sentence as ``reftitle``, which Sphinx's HTML writer emits as ``title``.

Works with parallel reading (``env-merge-info``) and incremental builds (``env-purge-doc``).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

__version__ = "1.0"

ENV_KEY = "relu_term_titles"  # docname -> {anchor id: first sentence of the definition}
MAX_CHARS = 360

TEX_WORDS = {
    "sigma": "σ",
    "Phi": "Φ",
    "alpha": "α",
    "beta": "β",
    "epsilon": "ε",
    "varepsilon": "ε",
    "partial": "∂",
    "nabla": "∇",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "times": "×",
    "to": "→",
    "mapsto": "↦",
    "star": "⋆",
    "cdot": "·",
    "sum": "Σ",
    "infty": "∞",
    "in": "∈",
    "log": "log",
    "max": "max",
    "min": "min",
    "exp": "exp",
}


def tex_to_text(tex: str) -> str:
    """A readable plain-text form of a short TeX formula: ``\\max(x, 0) \\le 1`` -> ``max(x, 0) ≤ 1``.

    >>> tex_to_text(r"h = \\sigma(z)")
    'h = σ(z)'
    >>> tex_to_text(r"2 / (n_\\text{in} + n_\\text{out})")
    '2 / (n_in + n_out)'
    >>> tex_to_text(r"p_i = e^{z_i} / \\sum_j e^{z_j}")
    'p_i = e^z_i / Σ_j e^z_j'
    >>> tex_to_text(r"\\partial f(x_0)")
    '∂f(x₀)'
    """
    text = re.sub(r"\\(?:mathrm|text|operatorname|mathbf|mathit)\s*\{([^{}]*)\}", r"\1", tex)
    text = re.sub(r"\\[,;:! ]", " ", text)
    text = re.sub(r"\\([A-Za-z]+)", lambda m: TEX_WORDS.get(m.group(1), m.group(1)), text)
    text = text.replace("{", "").replace("}", "")
    text = re.sub(r"([∂∇]) (?=\w)", r"\1", text)  # an operator binds to its argument: ∂f, not ∂ f
    text = re.sub(r"_([0-9])\b", lambda m: "₀₁₂₃₄₅₆₇₈₉"[int(m.group(1))], text)  # x_0 -> x₀
    return re.sub(r"\s+", " ", text).strip()


def _dropped(node: nodes.Node) -> bool:
    """A citation, or a link whose text Sphinx would compute (``{ref}`label```): its source text is a key, not
    words, so the tooltip leaves it out."""
    if not isinstance(node, addnodes.pending_xref):
        return False
    return node.get("refdomain") == "cite" or (
        node.get("reftype") in {"ref", "numref", "eq", "doc"} and not node.get("refexplicit")
    )


def _plain(node: nodes.Node) -> str:
    if isinstance(node, nodes.math):
        return tex_to_text(node.astext())
    if isinstance(node, nodes.Text):
        return str(node)
    if _dropped(node):
        return ""
    return "".join(_plain(child) for child in node.children)


def plain_text(node: nodes.Node) -> str:
    """The text of ``node`` with its maths as plain text (see :func:`tex_to_text`), without citations and without
    links whose text is computed; the spaces and brackets they leave are tidied."""
    text = " ".join(_plain(node).split())
    text = re.sub(r"\s*\(\s*\)", "", text)
    return re.sub(r"\s+([.,;:)])", r"\1", text)


def first_sentence(text: str, limit: int = MAX_CHARS) -> str:
    """The first sentence of ``text`` (up to a full stop followed by a space and a capital, or the end), at most
    ``limit`` characters (cut at a word, with an ellipsis).

    >>> first_sentence("A unit. It outputs zero. More.")
    'A unit.'
    >>> first_sentence("See e.g. the chapter, i.e. two.")
    'See e.g. the chapter, i.e. two.'
    """
    text = " ".join(text.split())
    match = re.search(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)\.\s+(?=[A-Z(])", text)
    if match:
        text = text[: match.start() + 1]
    if len(text) > limit:
        text = text[: text.rfind(" ", 0, limit)].rstrip(",;:") + " …"
    return text


def _titles(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    if not hasattr(env, ENV_KEY):
        setattr(env, ENV_KEY, {})
    return getattr(env, ENV_KEY)


def collect(app: Sphinx, doctree: nodes.document) -> None:
    found: dict[str, str] = {}
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            definition = next(iter(item.findall(nodes.definition)), None)
            paragraph = next(iter(definition.findall(nodes.paragraph)), None) if definition is not None else None
            if paragraph is None:
                continue
            sentence = first_sentence(plain_text(paragraph))
            for term in item.findall(nodes.term):
                for anchor in term["ids"]:
                    found[anchor] = sentence
    if found:
        _titles(app.env)[app.env.docname] = found
    else:
        _titles(app.env).pop(app.env.docname, None)


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _titles(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for docname, found in _titles(other).items():
        if docname in docnames:
            _titles(env)[docname] = found


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    titles = _titles(app.env)
    if not titles:
        return
    for reference in doctree.findall(nodes.reference):
        if "reftitle" in reference:
            continue
        uri = reference.get("refuri", "")
        anchor = uri.rpartition("#")[2] if "#" in uri else reference.get("refid", "")
        if not anchor.startswith("term-"):
            continue
        page = uri.partition("#")[0]
        for glossary_doc, found in titles.items():
            if anchor in found and (not page or page.endswith(app.builder.get_target_uri(glossary_doc))):
                reference["reftitle"] = found[anchor]
                break


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("doctree-resolved", resolve)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 4}
