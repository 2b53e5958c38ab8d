"""Sphinx extension: answer boxes, claim verdict boxes, the claims ledger and the front-page summaries.

Every chapter opens with one answer box and one verdict box per claim of the source answer it checks. Both are
standard MyST admonitions (``colon_fence``), so that JupyterLab with jupyterlab-myst renders them as boxes too; this
extension turns them into the book's boxes::

    :::{admonition} Our answer
    :class: answer
    :summary: One sentence, shown on the front page.
    :figure: fig-label-of-the-key-figure
    The answer in at most four sentences (glue roles allowed).
    :::

    :::{admonition} Holds: The source's claim restated, one sentence.
    :class: claim tip dropdown
    :name: chapter-short-claim-name
    One or two sentences of reason (glue roles and maths allowed).

    Evidence: {ref}`label-of-the-backing-section`
    :::

The answer box's title is ``claims_answer_title`` ("Our answer"); ``:summary:`` is not shown in the chapter (nor
in JupyterLab). A verdict box's title is its verdict word, a colon and the claim: ``Holds:``, ``Holds, with a
caveat:`` or ``Misleading:``. Its classes are ``claim``, ``dropdown`` (JupyterLab collapses the reason, as the website
does) and the admonition kind that colours it in JupyterLab, which must match the verdict: ``tip`` (holds),
``warning`` (caveat) or ``danger`` (misleading). ``:name:`` is the claim id. The last line names the section whose
experiment or proof backs the verdict (a link in JupyterLab too); it becomes the box's evidence link. The claim box's
HTML element is ``<div class="claim claim-<verdict>" id="<claim id>">``; its reason is collapsed in a
``<details>``. Every other admonition is left as Sphinx makes it.

Two more directives are filled at build time from the boxes of all chapters (Sphinx's todolist pattern: the data is
collected into the environment when a page is read, merged across parallel readers, and the placeholders are
replaced when a page is resolved, so they can never disagree with the chapters):

- ``{claim-ledger}``: every claim, grouped by question (chapter title, in table-of-contents order), with its
  verdict, reason (as rendered in the chapter, glued numbers included) and links to the box and the evidence.
- ``{answer-summaries}``: the questions in table-of-contents order, each with its ``:summary:`` and verdict counts:
  the front page's short tour. A chapter whose answer box names a ``:figure:`` (the label of a figure with an
  image in that chapter) gets its key figure at the text's width, with its number and caption, linked to the figure,
  and with ``chapter_shape`` enabled its main path's reading time. When the chapters sit in more than one captioned
  part of the table of contents, the questions are grouped under the parts' captions.

Both show a question's title as the sidebar does: with its chapter number when its part of ``_toc.yml`` is
``numbered`` ("5. Is ReLU a continuous function?"), the bare title otherwise.

The HTML build also writes ``claims.json`` next to the pages: a list of ``{id, chapter, question, claim, verdict,
reason, url, evidence_url}``; in ``claim`` and ``reason`` maths keeps its TeX delimiters (``$...$``, ``$$...$$``).

Mistakes are Sphinx warnings that name the file and the claim id (the book builds with ``-W``, so they fail it):
a title without a verdict, a colour class that does not match the verdict, a missing ``:name:``, reason or evidence
line, a claim id that is not lowercase-hyphenated or does not start with
its chapter's file name, a claim id used twice in the book, an evidence label that does not exist, and a
chapter (a document matching ``claims_chapter_glob``, default ``chapters/*``) without exactly one answer box.

Enabled from ``_config.yml``::

    sphinx:
      local_extensions:
        claims: _ext
"""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.admonitions import Admonition
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, new_document

__version__ = "1.0"

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "claims_static"

#: verdict keyword -> (word shown in the box, phrase used in counts)
VERDICTS: dict[str, tuple[str, str]] = {
    "holds": ("Holds", "hold"),
    "caveat": ("Holds, with a caveat", "with a caveat"),
    "misleading": ("Misleading", "misleading"),
}
#: verdict keyword -> the admonition kind that colours its box in JupyterLab (jupyterlab-myst): green, orange, red
VERDICT_KINDS: dict[str, str] = {"holds": "tip", "caveat": "warning", "misleading": "danger"}
CLAIM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: the last line of a claim box: ``Evidence: {ref}`label` `` (a link in JupyterLab too)
EVIDENCE_LINE = re.compile(r"^Evidence:\s*\{ref\}`(?:[^`<]*<)?(?P<label>[^`<>]+)>?`\s*$")
ENV_CLAIMS = "relu_claims"  # docname -> list of claim records
ENV_ANSWERS = "relu_answers"  # docname -> list of answer records
ENV_GENERATED = "relu_claims_generated"  # docnames holding a ledger or summaries placeholder


# ---------------------------------------------------------------------------------------------------------------
# Nodes
# ---------------------------------------------------------------------------------------------------------------


class claim_box(nodes.General, nodes.Element):
    """The verdict box of one claim: ``<div class="claim claim-<verdict>" id="<claim id>">``."""


class claim_details(nodes.General, nodes.Element):
    """``<details>``: the reason, collapsed."""


class claim_summary(nodes.TextElement):
    """``<summary>``: verdict word and restated claim."""


class claim_evidence(nodes.Inline, nodes.Element):
    """Placeholder for the link to the evidence, resolved at doctree-resolved."""


class claim_ledger(nodes.General, nodes.Element):
    """Placeholder for the ledger, filled at doctree-resolved."""


class answer_summaries(nodes.General, nodes.Element):
    """Placeholder for the front-page list of questions, filled at doctree-resolved."""


def _visit_div(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "div"))


def _depart_div(self: Any, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def _visit_details(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "details"))


def _depart_details(self: Any, node: nodes.Element) -> None:
    self.body.append("</details>\n")


def _visit_summary(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "summary", suffix=""))


def _depart_summary(self: Any, node: nodes.Element) -> None:
    self.body.append("</summary>\n")


def _visit_pass(self: Any, node: nodes.Element) -> None:
    pass


def _depart_pass(self: Any, node: nodes.Element) -> None:
    pass


def _visit_skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


# ---------------------------------------------------------------------------------------------------------------
# Directives
# ---------------------------------------------------------------------------------------------------------------


def _text(node: nodes.Node) -> str:
    return " ".join(node.astext().split())


def _text_with_tex(node: nodes.Node) -> str:
    """Like ``_text``, but maths keeps its TeX delimiters: ``$x$`` inline, ``$$x$$`` displayed."""
    parts: list[str] = []

    def walk(n: nodes.Node) -> None:
        if isinstance(n, nodes.math):
            parts.append(f"${n.astext()}$")
        elif isinstance(n, nodes.math_block):
            parts.append(f" $${n.astext()}$$ ")
        elif isinstance(n, nodes.Text):
            parts.append(n.astext())
        else:
            for child in n.children:
                walk(child)
            if isinstance(n, nodes.paragraph):
                parts.append(" ")

    walk(node)
    return " ".join("".join(parts).split())


def _answer_box(directive: SphinxDirective, summary: str, content: StringList, offset: int) -> list[nodes.Node]:
    """The answer box: ``<div class="admonition answer">`` with the configured title and the answer; the
    one-sentence summary is kept on the node (not rendered) for the front page."""
    location = directive.get_location()
    summary = (summary or "").strip()
    if not summary:
        logger.warning(
            "answer box without a :summary: (the one-sentence answer for the front page)",
            location=location,
            type="claims",
            subtype="answer",
        )
    if not content:
        logger.warning(
            "answer box without an answer (its body is empty)", location=location, type="claims", subtype="answer"
        )
    box = nodes.admonition("", classes=["answer"])
    directive.set_source_info(box)
    title = directive.config.claims_answer_title
    box += nodes.title(title, title)
    directive.state.nested_parse(content, offset, box)
    if summary:
        inline, messages = directive.state.inline_text(summary, directive.lineno)
        holder = nodes.inline("", "", *inline, classes=["answer-summary-source"])
    else:
        holder, messages = nodes.inline(), []
    box["answer_summary"] = holder  # kept on the node (not rendered); collected at doctree-read
    return [box, *messages]


def _claim_box(
    directive: SphinxDirective,
    claim_id: str,
    claim_text: str,
    verdict: str,
    evidence: str,
    content: StringList,
    offset: int,
    problems: list[str],
) -> list[nodes.Node]:
    """The verdict box of one claim (see the module docstring); ``problems`` found by the caller are reported
    with the ones found here."""
    location = directive.get_location()
    env = directive.env
    if not CLAIM_ID.match(claim_id):
        problems.append("its id is not lowercase words joined by hyphens")
    stem = env.docname.rsplit("/", 1)[-1]
    if (
        directive.config.claims_require_prefix
        and _is_chapter(env.docname, directive.config)
        and not claim_id.startswith(stem + "-")
    ):
        problems.append(f"its id does not start with the chapter's file name ({stem}-)")
    claim_text = " ".join((claim_text or "").split())
    if not claim_text:
        problems.append("no claim after the verdict in the title (the claim restated)")
    if verdict and verdict not in VERDICTS:
        problems.append(f"unknown verdict {verdict!r} (expected one of: {', '.join(VERDICTS)})")
    if not evidence:
        problems.append("no evidence: its last line must be Evidence: {ref}`label-of-the-backing-section`")
    if not content or not any(line.strip() for line in content):
        problems.append("no reason given (the box has no text before its Evidence line)")
    for problem in problems:
        logger.warning(f"claim {claim_id!r}: {problem}", location=location, type="claims", subtype="claim")

    shown_verdict = verdict if verdict in VERDICTS else "unknown"
    box = claim_box("", classes=["claim", f"claim-{shown_verdict}"])
    directive.set_source_info(box)
    box["claim_id"] = claim_id
    box["verdict"] = verdict
    box["claim_text"] = claim_text
    box["evidence"] = evidence
    box["names"].append(claim_id)
    directive.state.document.note_explicit_target(box, box)
    if claim_id not in box["ids"]:  # docutils normalised it; keep the claim id itself as the anchor
        box["ids"].insert(0, claim_id)

    details = claim_details("", classes=["claim-details"])
    summary = claim_summary("", "", classes=["claim-summary"])
    word = VERDICTS.get(verdict, (f"Unknown verdict {verdict!r}",))[0]
    summary += nodes.inline(word, word, classes=["claim-verdict"])
    summary += nodes.Text(" ")
    inline, messages = directive.state.inline_text(claim_text, directive.lineno) if claim_text else ([], [])
    summary += nodes.inline("", "", *inline, classes=["claim-text"])
    summary += nodes.Text(" ")
    summary += nodes.inline("why?", "why?", classes=["claim-why"])
    details += summary
    reason = nodes.container("", classes=["claim-reason"])
    directive.state.nested_parse(content, offset, reason)
    details += reason
    box += details
    link = claim_evidence("", classes=["claim-evidence"])
    link["evidence"] = evidence
    box += link
    return [box, *messages]


def _split_verdict(title: str) -> tuple[str, str]:
    """``"Holds, with a caveat: The claim."`` -> ``("caveat", "The claim.")``; ``("", title)`` without a verdict."""
    for key, (word, _) in sorted(VERDICTS.items(), key=lambda kv: -len(kv[1][0])):
        if title.startswith(word + ":"):
            return key, title[len(word) + 1 :].strip()
    return "", title.strip()


def _split_evidence(content: StringList) -> tuple[StringList, str]:
    """The reason (every line before the last ``Evidence: {ref}`label` `` line) and the evidence label."""
    lines = [i for i, line in enumerate(content) if line.strip()]
    if lines:
        m = EVIDENCE_LINE.match(content[lines[-1]].strip())
        if m:
            return content[: lines[-1]], m.group("label").strip()
    return content, ""


class BoxAdmonition(SphinxDirective, Admonition):
    """The standard ``admonition`` directive, which also makes the answer and verdict boxes.

    The boxes are admonitions so that JupyterLab (jupyterlab-myst) renders them too: title, colour, body, and a
    working evidence link. An admonition with the class ``answer`` becomes the answer box, one with the class
    ``claim`` a verdict box (see the module docstring); any other admonition is left as Sphinx makes it.
    """

    option_spec = {**Admonition.option_spec, "summary": directives.unchanged, "figure": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        classes = self.options.get("class", [])
        if "answer" in classes:
            title = " ".join(self.arguments[0].split())
            if title != self.config.claims_answer_title:
                logger.warning(
                    f"answer box titled {title!r}; its title is {self.config.claims_answer_title!r}",
                    location=self.get_location(),
                    type="claims",
                    subtype="answer",
                )
            box = _answer_box(self, self.options.get("summary", ""), self.content, self.content_offset)
            box[0]["key_figure"] = (self.options.get("figure") or "").strip()  # the tour's figure (collect_key_figure)
            return box
        if "claim" in classes:
            return self._claim(classes)
        if "summary" in self.options or "figure" in self.options:
            logger.warning(
                "only an answer box (:class: answer) takes a :summary: or a :figure:",
                location=self.get_location(),
                type="claims",
                subtype="answer",
            )
        return super().run()

    def _claim(self, classes: list[str]) -> list[nodes.Node]:
        claim_id = (self.options.get("name") or "").strip()
        problems = []
        if not claim_id:
            problems.append("no :name: (the claim id)")
        verdict, claim_text = _split_verdict(" ".join(self.arguments[0].split()))
        if not verdict:
            words = ", ".join(repr(word + ":") for word, _ in VERDICTS.values())
            problems.append(f"its title does not start with a verdict ({words})")
        else:
            kind = VERDICT_KINDS[verdict]
            others = sorted(set(classes) & (set(VERDICT_KINDS.values()) - {kind}))
            if kind not in classes or others:
                problems.append(
                    f"a {verdict!r} box takes the class {kind!r} (its colour in JupyterLab)"
                    + (f", not {', '.join(map(repr, others))}" if others else "")
                )
        if "dropdown" not in classes:
            problems.append("no class 'dropdown' (JupyterLab collapses the reason, as the website does)")
        content, evidence = _split_evidence(self.content)
        return _claim_box(self, claim_id, claim_text, verdict, evidence, content, self.content_offset, problems)


class ClaimLedgerDirective(SphinxDirective):
    """``{claim-ledger}``: placeholder for the table of every claim, filled at build time."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        _generated(self.env).add(self.env.docname)
        return [claim_ledger("")]


class AnswerSummariesDirective(SphinxDirective):
    """``{answer-summaries}``: placeholder for the list of questions with their answers, filled at build time."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        _generated(self.env).add(self.env.docname)
        return [answer_summaries("")]


# ---------------------------------------------------------------------------------------------------------------
# Collecting into the environment
# ---------------------------------------------------------------------------------------------------------------


def _claims(env: BuildEnvironment) -> dict[str, list[dict]]:
    if not hasattr(env, ENV_CLAIMS):
        setattr(env, ENV_CLAIMS, {})
    return getattr(env, ENV_CLAIMS)


def _answers(env: BuildEnvironment) -> dict[str, list[dict]]:
    if not hasattr(env, ENV_ANSWERS):
        setattr(env, ENV_ANSWERS, {})
    return getattr(env, ENV_ANSWERS)


def _generated(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, ENV_GENERATED):
        setattr(env, ENV_GENERATED, set())
    return getattr(env, ENV_GENERATED)


def _is_chapter(docname: str, config: Any) -> bool:
    return any(fnmatch.fnmatch(docname, pattern) for pattern in _globs(config))


def _globs(config: Any) -> list[str]:
    pattern = config.claims_chapter_glob
    return [pattern] if isinstance(pattern, str) else list(pattern)


def _strip_ids(node: nodes.Element) -> nodes.Element:
    for sub in node.findall(nodes.Element):
        sub["ids"] = []
        if "names" in sub:
            sub["names"] = []
    return node


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: record this page's answer and claim boxes."""
    env = app.env
    docname = env.docname
    claims = []
    for box in doctree.findall(claim_box):
        reason = next(box.findall(lambda n: isinstance(n, nodes.container) and "claim-reason" in n["classes"]))
        text = next(box.findall(lambda n: isinstance(n, nodes.inline) and "claim-text" in n["classes"]))
        claims.append(
            {
                "id": box["claim_id"],
                "verdict": box["verdict"],
                "claim": box["claim_text"],
                "claim_nodes": _strip_ids(text.deepcopy()),
                "evidence": box["evidence"],
                "reason_nodes": _strip_ids(reason.deepcopy()),
                "reason": _text(reason),
                "line": box.line,
            }
        )
    answers = []
    for box in doctree.findall(lambda n: isinstance(n, nodes.admonition) and "answer" in n["classes"]):
        holder = box.attributes.pop("answer_summary", None)
        if holder is None:
            continue
        answers.append({"summary_nodes": _strip_ids(holder), "summary": _text(holder), "line": box.line})
    if claims:
        _claims(env)[docname] = claims
    if answers:
        _answers(env)[docname] = answers


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _claims(env).pop(docname, None)
    _answers(env).pop(docname, None)
    _generated(env).discard(docname)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for docname, items in _claims(other).items():
        if docname in docnames:
            _claims(env)[docname] = items
    for docname, items in _answers(other).items():
        if docname in docnames:
            _answers(env)[docname] = items
    _generated(env).update(d for d in _generated(other) if d in docnames)


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list:
    """Rewrite the ledger and the front page whenever any page was added, changed or removed."""
    if added or changed or removed:
        return sorted(_generated(env))
    return []


def _toc_order(env: BuildEnvironment, root: str) -> list[str]:
    """Documents in table-of-contents order (depth first from the root document)."""
    order: list[str] = []
    seen: set[str] = set()

    def walk(doc: str) -> None:
        if doc in seen:
            return
        seen.add(doc)
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(root)
    order += sorted(d for d in env.found_docs if d not in seen)
    return order


def _chapters(app: Sphinx) -> list[str]:
    env = app.env
    return [d for d in _toc_order(env, app.config.root_doc) if _is_chapter(d, app.config) and d in env.found_docs]


def _lookup_label(env: BuildEnvironment, label: str) -> tuple[str, str, str] | None:
    std = env.get_domain("std")
    key = label.lower()
    if key in std.labels:
        docname, labelid, sectname = std.labels[key]
        return docname, labelid, sectname or ""
    if key in std.anonlabels:
        docname, labelid = std.anonlabels[key]
        return docname, labelid, ""
    return None


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """env-check-consistency: duplicate ids, broken evidence labels, answer boxes per chapter."""
    first: dict[str, str] = {}
    for docname in sorted(_claims(env)):
        for claim in _claims(env)[docname]:
            cid = claim["id"]
            where = (docname, claim["line"])
            if cid in first:
                logger.warning(
                    f"claim {cid!r}: duplicate claim id (also used in {env.doc2path(first[cid], False)})",
                    location=where,
                    type="claims",
                    subtype="duplicate",
                )
            else:
                first[cid] = docname
            if claim["evidence"] and _lookup_label(env, claim["evidence"]) is None:
                logger.warning(
                    f"claim {cid!r}: evidence label {claim['evidence']!r} does not exist",
                    location=where,
                    type="claims",
                    subtype="evidence",
                )
    for docname in _chapters(app):
        n = len(_answers(env).get(docname, []))
        if n != 1:
            logger.warning(
                f"chapter has {n} answer boxes; every chapter needs exactly one (an admonition of class answer)",
                location=docname,
                type="claims",
                subtype="answer",
            )


def mark_maths(app: Sphinx, env: BuildEnvironment) -> list:
    """env-updated: pages that show copied reasons/summaries load MathJax if those contain maths."""
    has_math = any(
        any(c["reason_nodes"].findall(nodes.math)) or any(c["claim_nodes"].findall(nodes.math))
        for items in _claims(env).values()
        for c in items
    ) or any(any(a["summary_nodes"].findall(nodes.math)) for items in _answers(env).values() for a in items)
    if has_math:
        data = env.get_domain("math").data.setdefault("has_equations", {})
        for docname in _generated(env):
            data[docname] = True
    return []


# ---------------------------------------------------------------------------------------------------------------
# Rendering at doctree-resolved
# ---------------------------------------------------------------------------------------------------------------


def _uri(app: Sphinx, fromdoc: str, todoc: str, anchor: str = "") -> str | None:
    try:
        uri = "" if fromdoc == todoc else app.builder.get_relative_uri(fromdoc, todoc)
    except NoUri:
        return None
    return uri + ("#" + anchor if anchor else "")


def _link(app: Sphinx, fromdoc: str, todoc: str, anchor: str, *children: nodes.Node, **attrs: Any) -> nodes.Element:
    uri = _uri(app, fromdoc, todoc, anchor)
    if uri is None:
        return nodes.inline("", "", *children)
    return nodes.reference("", "", *children, refuri=uri, internal=True, **attrs)


def _resolved_copy(app: Sphinx, node: nodes.Element, docname: str) -> nodes.Element:
    """A copy of ``node`` with its cross-references resolved as seen from ``docname`` (as sphinx.ext.todo does)."""
    copy = node.deepcopy()
    for xref in copy.findall(addnodes.pending_xref):
        if "refdoc" in xref:
            xref["refdoc"] = docname
    document = new_document("")
    document.settings.env = app.env
    document += copy
    app.env.resolve_references(document, docname, app.builder)
    document.remove(copy)
    return copy


def _title(env: BuildEnvironment, docname: str) -> str:
    title = env.titles.get(docname)
    return title.astext() if title is not None else docname


def _numbered_title(app: Sphinx, docname: str) -> list[nodes.Node]:
    """The chapter's title as the sidebar and the chapter's heading show it: with its number when the toc numbers
    it (``numbered:`` on its part of ``_toc.yml``), e.g. "5. Is ReLU continuous?", else the bare title."""
    number = getattr(app.env, "toc_secnumbers", {}).get(docname, {}).get("")
    title: list[nodes.Node] = [nodes.Text(_title(app.env, docname))]
    if number:
        text = ".".join(map(str, number)) + app.config.html_secnumber_suffix
        title.insert(0, nodes.inline(text, text, classes=["section-number"]))
    return title


def _verdict_badge(verdict: str) -> nodes.inline:
    word = VERDICTS.get(verdict, (verdict,))[0]
    return nodes.inline(word, word, classes=["claim-verdict", f"claim-verdict-{verdict}"])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def count_phrase(verdicts: list[str]) -> str:
    """E.g. "3 hold · 1 with a caveat · 1 misleading" (zero counts left out)."""
    if not verdicts:
        return "no claims checked yet"
    parts = []
    for key, (_, phrase) in VERDICTS.items():
        n = verdicts.count(key)
        if n:
            parts.append(f"{n} {'holds' if key == 'holds' and n == 1 else phrase}")
    return " · ".join(parts)


def _evidence_ref(app: Sphinx, docname: str, label: str, prefix: str = "Evidence: ") -> nodes.Node:
    found = _lookup_label(app.env, label) if label else None
    if found is None:
        return nodes.inline("evidence not found", "evidence not found", classes=["claim-evidence-missing"])
    todoc, labelid, sectname = found
    text = f"{prefix}{sectname}" if sectname else "Evidence"
    return _link(app, docname, todoc, labelid, nodes.Text(text))


def _ledger(app: Sphinx, docname: str) -> list[nodes.Node]:
    env = app.env
    claims = _claims(env)
    chapters = [d for d in _chapters(app)]
    chapters += sorted(d for d in claims if d not in chapters)
    all_verdicts = [c["verdict"] for d in chapters for c in claims.get(d, [])]
    out: list[nodes.Node] = []
    intro = nodes.paragraph(classes=["claim-ledger-total"])
    n_questions = sum(1 for d in chapters if claims.get(d))
    intro += nodes.Text(
        f"{_plural(len(all_verdicts), 'claim')} from {_plural(n_questions, 'question')}: {count_phrase(all_verdicts)}."
    )
    out.append(intro)
    for chapter in chapters:
        items = claims.get(chapter, [])
        if not items:
            continue
        section = nodes.section(ids=[f"ledger-{chapter.replace('/', '-')}"], classes=["claim-ledger-question"])
        title = nodes.title()
        title += _link(app, docname, chapter, "", *_numbered_title(app, chapter))
        section += title
        counts = nodes.paragraph(classes=["claim-ledger-counts"])
        counts += nodes.Text(count_phrase([c["verdict"] for c in items]) + ".")
        section += counts
        table = nodes.table(classes=["claim-ledger-table", "colwidths-given"])
        group = nodes.tgroup(cols=4)
        for width in (28, 14, 40, 18):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        row = nodes.row()
        for label in ("Claim", "Verdict", "Why", "Evidence"):
            row += nodes.entry("", nodes.paragraph(label, label))
        head += row
        group += head
        body = nodes.tbody()
        for claim in items:
            row = nodes.row(classes=[f"claim-row-{claim['verdict']}"])
            text = _resolved_copy(app, claim["claim_nodes"], docname)
            row += nodes.entry("", nodes.paragraph("", "", _link(app, docname, chapter, claim["id"], *text.children)))
            row += nodes.entry("", nodes.paragraph("", "", _verdict_badge(claim["verdict"])))
            reason = _resolved_copy(app, claim["reason_nodes"], docname)
            row += nodes.entry("", *reason.children)
            row += nodes.entry("", nodes.paragraph("", "", _evidence_ref(app, docname, claim["evidence"], prefix="")))
            body += row
        group += body
        table += group
        section += table
        out.append(section)
    return out


def _toc_captions(env: BuildEnvironment, root: str) -> dict[str, str]:
    """The caption of the root document's toctree (a part of ``_toc.yml``) that lists each document, if any."""
    found: dict[str, str] = {}
    toc = env.tocs.get(root)
    if toc is None:
        return found
    for tree in toc.findall(addnodes.toctree):
        for _title_text, ref in tree.get("entries", []):
            if tree.get("caption"):
                found.setdefault(ref, tree["caption"])
    return found


def _summaries(app: Sphinx, docname: str) -> list[nodes.Node]:
    """The questions, each with its answer, key figure and counts; grouped under the caption of the part of the
    table of contents that lists them (when the chapters sit in more than one captioned part), numbering on."""
    env = app.env
    captions = _toc_captions(env, app.config.root_doc)
    chapters = _chapters(app)
    grouped = len({captions.get(c) for c in chapters}) > 1
    out: list[nodes.Node] = []
    items = None
    part = object()
    for number, chapter in enumerate(chapters, start=1):
        if items is None or (grouped and captions.get(chapter) != part):
            part = captions.get(chapter)
            if grouped and part:
                out.append(nodes.rubric(part, part, classes=["answer-summaries-part"]))
            items = nodes.enumerated_list(classes=["answer-summaries"])
            if number > 1:
                items["start"] = number
            out.append(items)
        item = nodes.list_item(classes=["answer-summary"])
        head = nodes.paragraph(classes=["answer-summary-question"])
        head += _link(app, docname, chapter, "", nodes.strong("", "", *_numbered_title(app, chapter)))
        item += head
        answers = _answers(env).get(chapter, [])
        if answers:
            summary = _resolved_copy(app, answers[0]["summary_nodes"], docname)
            item += nodes.paragraph("", "", *summary.children, classes=["answer-summary-text"])
        _add_tour(app, docname, chapter, item)
        verdicts = [c["verdict"] for c in _claims(env).get(chapter, [])]
        counts = nodes.paragraph(classes=["answer-summary-counts"])
        counts += nodes.Text(f"Claims checked: {count_phrase(verdicts)}." if verdicts else "No claim checked yet.")
        item += counts
        items += item
    return out or [nodes.enumerated_list(classes=["answer-summaries"])]


# ---------------------------------------------------------------------------------------------------------------
# The 20-minute tour: each question's key figure (``:figure:`` on the answer box) and reading time, on the front page
# ---------------------------------------------------------------------------------------------------------------

ENV_FIGURES = "relu_key_figures"  # docname -> {"label", "id", "image"} of the chapter's key figure


def _key_figures(env: BuildEnvironment) -> dict[str, dict]:
    if not hasattr(env, ENV_FIGURES):
        setattr(env, ENV_FIGURES, {})
    return getattr(env, ENV_FIGURES)


def collect_key_figure(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read, after Sphinx's image collector: keep the image of the figure the answer box names.

    The copy keeps the image's source path and candidates, so the front page links the file the chapter already
    ships (the HTML builder copies it once). A label that is missing, or not a figure with an image, is reported by
    ``chapter_shape`` (rule ``key-figure``); here it is only skipped.
    """
    for box in doctree.findall(lambda n: isinstance(n, nodes.admonition) and "answer" in n["classes"]):
        label = (box.get("key_figure") or "").strip().lower()
        node_id = doctree.nameids.get(label) if label else None
        figure = doctree.ids.get(node_id) if node_id else None
        if figure is None:
            continue
        for image in figure.findall(nodes.image):
            mime = image.parent.get("mime_type", "") if image.parent is not None else ""
            if mime and not mime.startswith("image/"):
                continue
            copy = nodes.image(uri=image["uri"], candidates=dict(image.get("candidates", {})), alt=image.get("alt", ""))
            copy["classes"] = ["answer-summary-figure"]
            caption = next(iter(figure.findall(nodes.caption)), None)
            caption_copy = nodes.paragraph("", "", *caption.deepcopy().children) if caption is not None else None
            _key_figures(app.env)[app.env.docname] = {
                "label": label,
                "id": node_id,
                "image": copy,
                "caption": caption_copy,
            }
            break


def purge_key_figure(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _key_figures(env).pop(docname, None)


def merge_key_figures(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for docname, item in _key_figures(other).items():
        if docname in docnames:
            _key_figures(env)[docname] = item


def _add_tour(app: Sphinx, docname: str, chapter: str, item: nodes.Element) -> None:
    """After the answer, the chapter's key figure at the text's width, linked to the figure in its chapter, with the
    chapter's caption and number (so that the tour reads on its own); then the main path's reading time (from
    ``chapter_shape``, if enabled)."""
    figure = _key_figures(app.env).get(chapter)
    if figure is not None:
        block = nodes.container(classes=["answer-summary-figure-block"])
        link = _link(app, docname, chapter, figure["id"], figure["image"].deepcopy())
        block += nodes.paragraph("", "", link, classes=["answer-summary-thumb"])
        caption = figure.get("caption")
        if caption is not None:
            text = nodes.paragraph(classes=["answer-summary-caption"])
            number = app.env.toc_fignumbers.get(chapter, {}).get("figure", {}).get(figure["id"])
            name = f"Fig. {'.'.join(map(str, number))}" if number else "Figure"
            text += _link(app, docname, chapter, figure["id"], nodes.strong("", name))
            text += nodes.Text(" ")
            text += _resolved_copy(app, caption, docname).children
            block += text
        item += block
    stats = getattr(app.env, "chapter_shape_stats", {}).get(chapter)
    if stats:
        text = f"About {max(1, round(stats['main']['minutes']))} min read"
        item += nodes.paragraph(text, text, classes=["answer-summary-time"])


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(claim_evidence)):
        node.replace_self(
            nodes.inline("", "", _evidence_ref(app, docname, node["evidence"]), classes=["claim-evidence"])
        )
    for node in list(doctree.findall(claim_ledger)):
        node.replace_self(_ledger(app, docname))
    for node in list(doctree.findall(answer_summaries)):
        node.replace_self(_summaries(app, docname))


def write_json(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: claims.json next to the HTML pages."""
    if exception is not None or app.builder.format != "html":
        return
    env = app.env
    claims = _claims(env)
    order = _chapters(app) + sorted(d for d in claims if not _is_chapter(d, app.config))
    records = []
    for chapter in order:
        for claim in claims.get(chapter, []):
            found = _lookup_label(env, claim["evidence"]) if claim["evidence"] else None
            try:
                url = app.builder.get_target_uri(chapter) + "#" + claim["id"]
                evidence_url = app.builder.get_target_uri(found[0]) + "#" + found[1] if found else None
            except NoUri:
                url = evidence_url = None
            records.append(
                {
                    "id": claim["id"],
                    "chapter": chapter,
                    "question": _title(env, chapter),
                    "claim": _text_with_tex(_resolved_copy(app, claim["claim_nodes"], chapter)),
                    "verdict": claim["verdict"],
                    "reason": _text_with_tex(_resolved_copy(app, claim["reason_nodes"], chapter)),
                    "url": url,
                    "evidence_url": evidence_url,
                }
            )
    path = Path(app.builder.outdir) / "claims.json"
    path.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------------
# Setup
# ---------------------------------------------------------------------------------------------------------------


def _add_static(app: Sphinx, config: Any) -> None:
    config.html_static_path.append(str(STATIC_DIR))


def setup(app: Sphinx) -> dict:
    app.add_config_value("claims_chapter_glob", "chapters/*", "env")
    app.add_config_value("claims_require_prefix", True, "env")
    app.add_config_value("claims_answer_title", "Our answer", "env")

    html = (_visit_div, _depart_div)
    passthrough = (_visit_pass, _depart_pass)
    others = {k: passthrough for k in ("latex", "text", "man", "texinfo")}
    app.add_node(claim_box, html=html, **others)
    app.add_node(claim_details, html=(_visit_details, _depart_details), **others)
    app.add_node(claim_summary, html=(_visit_summary, _depart_summary), **others)
    app.add_node(claim_evidence, html=passthrough, **others)
    app.add_node(claim_ledger, html=(_visit_skip, None), **{k: (_visit_skip, None) for k in others})
    app.add_node(answer_summaries, html=(_visit_skip, None), **{k: (_visit_skip, None) for k in others})

    app.add_directive("admonition", BoxAdmonition, override=True)
    app.add_directive("claim-ledger", ClaimLedgerDirective)
    app.add_directive("answer-summaries", AnswerSummariesDirective)

    app.connect("config-inited", _add_static)
    app.connect("doctree-read", collect)
    app.connect("doctree-read", collect_key_figure, priority=600)
    app.connect("env-purge-doc", purge_key_figure)
    app.connect("env-merge-info", merge_key_figures)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", outdated)
    app.connect("env-check-consistency", check)
    app.connect("env-updated", mark_maths)
    app.connect("doctree-resolved", resolve)
    app.connect("build-finished", write_json)
    app.add_css_file("claims.css")
    app.add_js_file("claims.js", defer="defer")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
