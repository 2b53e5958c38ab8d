"""Sphinx extension: every chapter has the book's shape, and says how long its main path takes to read.

The shape (``chapters/_template.md`` is a chapter that has it; ``CONTRIBUTING.md``, "Add a chapter"), checked when a
chapter (a document matching ``chapter_shape_chapters``, default ``chapters/*``) is read. Each rule has a name; a
chapter that breaks one gets a Sphinx warning that names it, at the line concerned, so the ``-W`` build fails::

    chapters/x.md:14: WARNING: chapter shape, rule 'title-question': the title "ReLU" is not a question ...

=====================  ================================================================================================
rule                   what the chapter must do
=====================  ================================================================================================
``title-label``        start with a label named after its file, ``(NAME)=``, right above the title
``title-question``     have exactly one ``#`` heading, the title, and nothing but its label before it; the title asks
                       the question (it ends with "?")
``answer-first``       put the answer box (an admonition of class ``answer``) first under the title
``verdicts``           follow the answer box with the verdict boxes (admonitions of class ``claim``), one or more,
                       and have none elsewhere
``learn``              follow the verdict boxes with an admonition titled "What you will learn"
``sections``           have at least one ``##`` section of its own before the closing ones
``closing-sections``   end with the ``##`` sections "Summary", "What's next" and "Exercises", in that order
``exercise-solution``  keep its exercises in "Exercises", each with a ``:label:`` and followed by its solution, a
                       dropdown (``:class: dropdown``)
``solution-form``      write each solution as ``{solution}``, not as ``solution-start``/``solution-end``
``going-further``      put a "Going further:" section at ``##`` or ``###``; a ``###`` one (or deeper) at the end of
                       the section it deepens (only other Going-further sections may follow it there)
``in-pytorch``         give each admonition titled "In PyTorch" a ```` ```python ```` block
``answer-length``      keep the answer box to at most ``chapter_shape_answer_words`` words (default 65; a glued value,
                       an inline formula and an inline code span count as one word each)
``key-figure``         name its key figure on the answer box (``:figure: fig-label``): a figure of this chapter with an
                       image, shown as a thumbnail on the front page's tour
=====================  ================================================================================================

Rules listed in ``chapter_shape_pending`` are checked but not enforced: the build prints, once, which chapters break
them (``chapter shape: not enforced yet ...``), without a warning. The book uses it while its chapters are rewritten
into the shape; an empty list enforces every rule.

**Reading time.** Under each chapter's title the extension writes "About N min read (main path); Going further adds
M min". The main path is what a reader sees when the page loads: prose and headings (answer box, verdict summaries,
sections, exercises' statements), visible code and figures; not the verdicts' collapsed reasons, the collapsed
solutions, hidden code (``hide-input``, ``remove-input``), text outputs, or Going-further blocks (``going_further``),
which are timed separately and whose time is also shown in each block's summary. The time is
``words / chapter_shape_words_per_minute`` (150: a careful first read of technical prose; 200 proved about half
of what a student reader took) ``+ code lines x chapter_shape_seconds_per_code_line`` (3 s, about
ten words) ``+ figures x chapter_shape_seconds_per_figure`` (30 s); a figure is an image or an interactive figure,
in prose or in a cell's output. The counts are kept in the environment (``chapter_shape_stats``), for the front page
(``claims``' tour) and the tests. ``benchmarks/reader_path.py`` measures the same path on the built pages.

Enabled from ``_config.yml`` (after ``going_further``, which it imports)::

    sphinx:
      local_extensions:
        going_further: _ext
        chapter_shape: _ext
"""

from __future__ import annotations

import fnmatch
import math
from pathlib import Path
from typing import Any

from docutils import nodes
from going_further import is_going_further, section_level
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

__version__ = "1.0"

STATIC_DIR = Path(__file__).parent / "chapter_shape_static"

logger = logging.getLogger(__name__)

RULES = (
    "title-label",
    "title-question",
    "answer-first",
    "verdicts",
    "learn",
    "sections",
    "closing-sections",
    "exercise-solution",
    "solution-form",
    "going-further",
    "in-pytorch",
    "answer-length",
    "key-figure",
)
CLOSING = ("Summary", "What's next", "Exercises")
LEARN = "What you will learn"
PYTORCH = "In PyTorch"
ENV_STATS = "chapter_shape_stats"  # docname -> reading-path counts and minutes
ENV_PENDING = "chapter_shape_pending_found"  # docname -> [(rule, message)] of rules not enforced yet


# ---------------------------------------------------------------------------------------------------------------
# Recognising the parts of a chapter
# ---------------------------------------------------------------------------------------------------------------


def _classes(node: nodes.Node) -> list[str]:
    return node.get("classes", []) if isinstance(node, nodes.Element) else []


def _is_answer(node: nodes.Node) -> bool:
    return "answer" in _classes(node)


def _is_claim(node: nodes.Node) -> bool:
    return "claim" in _classes(node)


def _admonition_title(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Admonition) and node.children and isinstance(node.children[0], nodes.title):
        return " ".join(node.children[0].astext().split())
    return None


def _is_code_cell(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"


def _is_exercise(node: nodes.Node) -> bool:
    from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

    return isinstance(node, (exercise_node, exercise_enumerable_node))


def _is_solution(node: nodes.Node) -> bool:
    from sphinx_exercise.nodes import solution_node

    return isinstance(node, solution_node)


def _invisible(node: nodes.Node) -> bool:
    """Nodes that render nothing: labels, comments, an empty code cell (input and output removed)."""
    if isinstance(node, (nodes.target, nodes.comment, nodes.substitution_definition, nodes.system_message)):
        return True
    if isinstance(node, (nodes.Invisible, addnodes.index)):
        return True
    return _is_code_cell(node) and not node.children


def _normal(title: str) -> str:
    return " ".join(title.replace("\u2019", "'").split())


def _line(node: nodes.Node) -> int | None:
    for candidate in [node, *node.findall(nodes.Element)] if isinstance(node, nodes.Element) else [node]:
        if getattr(candidate, "line", None):
            return candidate.line
    return None


# ---------------------------------------------------------------------------------------------------------------
# Counting what a reader sees at load
# ---------------------------------------------------------------------------------------------------------------


class Counts:
    """Words of prose, lines of visible code and figures on one reading path."""

    def __init__(self) -> None:
        self.words = 0
        self.code_lines = 0
        self.figures = 0

    def minutes(self, config: Any) -> float:
        return (
            self.words / config.chapter_shape_words_per_minute
            + self.code_lines * config.chapter_shape_seconds_per_code_line / 60
            + self.figures * config.chapter_shape_seconds_per_figure / 60
        )

    def as_dict(self, config: Any) -> dict:
        return {
            "words": self.words,
            "code_lines": self.code_lines,
            "figures": self.figures,
            "minutes": self.minutes(config),
        }


def _code_lines(text: str) -> int:
    text = text.strip("\n")
    return len(text.splitlines()) if text.strip() else 0


def _is_figure_bundle(node: nodes.Node) -> bool:
    """A cell output that shows an image or an interactive figure (HTML)."""
    if not (isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"):
        return False
    types = [child.get("mime_type", "") for child in node.children]
    return any(t.startswith("image/") or t == "text/html" for t in types)


def _word_units(node: nodes.Node) -> bool:
    """Inline nodes that count as one word whatever their text: a glued value, a formula, inline code."""
    if isinstance(node, (nodes.math, nodes.literal, nodes.math_block)):
        return True
    return isinstance(node, nodes.inline) and any(c.startswith("pasted") for c in _classes(node))


def count(node: nodes.Node, main: Counts, further: Counts | None = None, config: Any = None) -> None:
    """Add ``node``'s visible words, code lines and figures to ``main`` (or, inside Going further, to ``further``).

    ``further`` is None for a Going-further block counted on its own (its content then goes to ``main``). With a
    ``config``, each Going-further section gets its reading time as ``going_further_minutes``.
    """
    if isinstance(node, nodes.section) and is_going_further(node) and further is not None:
        count(node.children[0], main, None, config)  # the heading shows, as the closed block's summary
        block = Counts()
        for child in node.children[1:]:
            count(child, block, None, config)
        if config is not None:
            node["going_further_minutes"] = max(1, round(block.minutes(config)))
        further.words += block.words
        further.code_lines += block.code_lines
        further.figures += block.figures
        return
    if _invisible(node) or isinstance(node, (nodes.raw, addnodes.toctree)):
        return
    if isinstance(node, nodes.Text):
        main.words += len(node.astext().split())
        return
    if _word_units(node):
        main.words += 1
        return
    if isinstance(node, nodes.literal_block):
        main.code_lines += _code_lines(node.astext())
        return
    if isinstance(node, nodes.image):
        main.figures += 1
        return
    if _is_figure_bundle(node):
        main.figures += 1
        return
    if isinstance(node, nodes.container) and node.get("nb_element") in ("mime_bundle", "cell_code_output"):
        main.figures += sum(1 for _ in node.findall(_is_figure_bundle))
        return  # text outputs are not prose
    if _is_code_cell(node):
        hide = node.get("hide_mode")
        for child in node.children:
            role = child.get("nb_element")
            if role == "cell_code_source" and hide in ("input", "input+output", "all"):
                continue
            if role == "cell_code_output" and hide in ("output", "input+output", "all"):
                continue
            count(child, main, further, config)
        return
    if _is_claim(node):
        for summary in node.findall(lambda n: "claim-summary" in _classes(n)):
            for child in summary.children:
                if "claim-why" not in _classes(child):
                    count(child, main, further, config)
        return
    if _is_solution(node) or "dropdown" in _classes(node):
        title = node.children[0] if node.children and isinstance(node.children[0], nodes.title) else None
        if title is not None and not _is_solution(node):
            count(title, main, further, config)
        return
    for child in node.children:
        count(child, main, further, config)


def reading_time_text(main_minutes: float, further_minutes: float) -> str:
    n = max(1, round(main_minutes))
    text = f"About {n} min read (main path)"
    if further_minutes > 0:
        text += f"; Going further adds {max(1, round(further_minutes))} min"
    return text


# ---------------------------------------------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------------------------------------------


class Report:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str, int | None]] = []

    def __call__(self, rule: str, message: str, node: nodes.Node | None = None, line: int | None = None) -> None:
        assert rule in RULES, rule
        self.problems.append((rule, message, line if line is not None else (_line(node) if node else None)))


def answer_words(box: nodes.Element) -> int:
    """Words of the answer box's body (its title left out), counting a glued value or formula as one word."""
    counts = Counts()
    for child in box.children:
        if not isinstance(child, nodes.title):
            count(child, counts)
    return counts.words


def check_chapter(doctree: nodes.document, docname: str, config: Any, report: Report) -> nodes.section | None:
    """Check the shape of a chapter; return its title section (or None when there is none)."""
    stem = docname.rsplit("/", 1)[-1]
    top = [n for n in doctree.children if not _invisible(n)]
    sections = [n for n in top if isinstance(n, nodes.section)]
    if not sections:
        report("title-question", "the chapter has no title (a '#' heading asking its question)", line=1)
        return None
    chapter = sections[0]
    title = chapter.children[0]
    if len(sections) > 1:
        report(
            "title-question",
            f"the chapter has {len(sections)} '#' headings; it needs exactly one, the title (use '##' for sections)",
            sections[1],
        )
    if top[0] is not chapter:
        report("title-question", "there is text before the title; the title comes first", top[0])
    text = " ".join(title.astext().split())
    if not text.endswith("?"):
        report("title-question", f'the title "{text}" is not a question (it must end with "?")', title)
    if stem not in chapter.get("names", []):
        report("title-label", f"the title has no label named after the file: put ({stem})= on the line above it", title)

    body = [n for n in chapter.children[1:] if not isinstance(n, nodes.section) and not _invisible(n)]
    subsections = [n for n in chapter.children if isinstance(n, nodes.section)]
    _check_opening(body, chapter, report)
    _check_sections(subsections, chapter, report)
    _check_exercises(chapter, subsections, report)
    _check_going_further(chapter, report)
    _check_pytorch(chapter, report)
    _check_answer_length(chapter, config, report)
    _check_key_figure(doctree, chapter, report)
    return chapter


def _check_opening(body: list[nodes.Node], chapter: nodes.section, report: Report) -> None:
    answers = [i for i, n in enumerate(body) if _is_answer(n)]
    if not answers:
        report(
            "answer-first",
            "the chapter has no answer box (an admonition of class answer) under its title",
            chapter.children[0],
        )
        start = 0
    else:
        start = answers[0]
        if start != 0:
            report("answer-first", "the answer box must come first under the title, before anything else", body[0])
        start += 1
    end = start
    while end < len(body) and _is_claim(body[end]):
        end += 1
    if end == start:
        found = "nothing" if start >= len(body) else _describe(body[start])
        where = body[start] if start < len(body) else chapter.children[0]
        report(
            "verdicts",
            f"the answer box must be followed by the verdict boxes (admonitions of class claim); found {found}",
            where,
        )
    opening = set(map(id, body[start:end]))
    for claim in chapter.findall(_is_claim):
        if id(claim) not in opening:
            report("verdicts", "a verdict box outside the opening: all verdict boxes follow the answer box", claim)
    if end >= len(body) or _admonition_title(body[end]) != LEARN:
        found = "nothing" if end >= len(body) else _describe(body[end])
        where = body[end] if end < len(body) else chapter.children[0]
        report(
            "learn",
            f'the verdict boxes must be followed by an admonition titled "{LEARN}" (```{{admonition}} {LEARN}); '
            f"found {found}",
            where,
        )


def _describe(node: nodes.Node) -> str:
    title = _admonition_title(node)
    if title:
        return f'an admonition "{title}"'
    if _is_code_cell(node):
        return "a code cell"
    if isinstance(node, nodes.paragraph):
        words = node.astext().split()
        return f'the paragraph "{" ".join(words[:6])}{" ..." if len(words) > 6 else ""}"'
    return f"a {node.tagname}"


def _check_sections(subsections: list[nodes.section], chapter: nodes.section, report: Report) -> None:
    titles = [_normal(s.children[0].astext()) for s in subsections]
    if tuple(titles[-3:]) != CLOSING:
        found = ", ".join(f'"{t}"' for t in titles[-3:]) or "no sections"
        report(
            "closing-sections",
            "the chapter must end with the sections "
            + ", ".join(f'"{t}"' for t in CLOSING)
            + f" ('##'), in that order; its last sections are {found}",
            subsections[-1] if subsections else chapter.children[0],
        )
    own = [s for s, t in zip(subsections, titles, strict=True) if t not in CLOSING and not is_going_further(s)]
    if not own:
        report(
            "sections",
            "the chapter has no '##' section of its own before Summary, What's next and Exercises",
            chapter.children[0],
        )


def _check_exercises(chapter: nodes.section, subsections: list[nodes.section], report: Report) -> None:
    exercises_section = next((s for s in subsections if _normal(s.children[0].astext()) == "Exercises"), None)
    for solution in chapter.findall(_is_solution):
        if solution.get("chapter_shape_gated"):
            report(
                "solution-form",
                f"the solution to {solution.get('target_label')!r} is written with solution-start/solution-end; "
                "write it as ```{solution} LABEL with :class: dropdown (code in a ~~~python block; numbers it quotes "
                "glued from a cell outside it)",
                solution,
            )
    for exercise in chapter.findall(_is_exercise):
        inside = exercises_section is not None and any(p is exercises_section for p in _ancestors(exercise))
        if not inside:
            report("exercise-solution", "an exercise outside the Exercises section", exercise)
            continue
        label = exercise.get("label", "")
        if not exercise.get("names") or label.startswith(f"{exercise.get('docname', '')}-exercise-"):
            report("exercise-solution", "an exercise without a :label: (its solution needs it)", exercise)
            continue
        following = _next_visible(exercise)
        if following is None or not _is_solution(following) or following.get("target_label") != label:
            report(
                "exercise-solution",
                f"exercise {label!r} is not followed by its solution (```{{solution}} {label})",
                exercise,
            )
        elif "dropdown" not in following.get("classes", []):
            report("exercise-solution", f"the solution to {label!r} is not a dropdown (:class: dropdown)", following)
    if exercises_section is not None and not any(exercises_section.findall(_is_exercise)):
        report("exercise-solution", "the Exercises section has no exercise", exercises_section)


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _next_visible(node: nodes.Node) -> nodes.Node | None:
    parent = node.parent
    index = parent.index(node)
    for sibling in parent.children[index + 1 :]:
        if not _invisible(sibling):
            return sibling
    return None


def _check_going_further(chapter: nodes.section, report: Report) -> None:
    for section in chapter.findall(nodes.section):
        if not is_going_further(section):
            continue
        level = section_level(section)
        if level < 2 or level > 3:
            hashes = "#" * level
            report(
                "going-further",
                f"a Going-further section must be a '##' or '###' heading, not '{hashes}'",
                section.children[0],
            )
            continue
        siblings = [s for s in section.parent.children if isinstance(s, nodes.section)]
        before, after = siblings[: siblings.index(section)], siblings[siblings.index(section) + 1 :]
        if level == 2:  # at chapter level: anywhere among the chapter's own sections
            if any(_normal(s.children[0].astext()) in CLOSING for s in before):
                report("going-further", "a '##' Going-further section must come before Summary", section.children[0])
            continue
        later = [s for s in after if not is_going_further(s)]
        if later:
            report(
                "going-further",
                f'"{_normal(section.children[0].astext())}" is followed by the section '
                f'"{_normal(later[0].children[0].astext())}" at the same level; a Going-further section sits at the '
                "end of the section it deepens",
                section.children[0],
            )


def _check_pytorch(chapter: nodes.section, report: Report) -> None:
    for box in chapter.findall(nodes.Admonition):
        if _admonition_title(box) != PYTORCH:
            continue
        blocks = [b for b in box.findall(nodes.literal_block) if b.get("language") == "python"]
        if not blocks:
            report("in-pytorch", f'the "{PYTORCH}" admonition has no ```python block', box)


def _check_answer_length(chapter: nodes.section, config: Any, report: Report) -> None:
    limit = config.chapter_shape_answer_words
    for box in chapter.findall(_is_answer):
        n = answer_words(box)
        if n > limit:
            report(
                "answer-length",
                f"the answer box has {n} words; the limit is {limit} (a glued value, a formula or inline code counts "
                "as one word): keep the answer plain and move numbers and caveats to the verdict boxes",
                box,
            )


def _check_key_figure(doctree: nodes.document, chapter: nodes.section, report: Report) -> None:
    for box in chapter.findall(_is_answer):
        label = (box.get("key_figure") or "").strip()
        if not label:
            report("key-figure", "the answer box names no key figure (:figure: fig-label)", box)
            continue
        if doctree.nameids.get(label.lower()) is None:
            report("key-figure", f"the key figure {label!r} is not a label of this chapter", box)
        elif find_key_figure(doctree, label) is None:
            report(
                "key-figure",
                f"the key figure {label!r} is not a figure with an image (a figure cell's first output must be the "
                "image: end the cell with plt.show())",
                box,
            )


def find_key_figure(doctree: nodes.document, label: str) -> nodes.image | None:
    """The image of the figure labelled ``label`` in ``doctree`` (a static image, not an interactive figure)."""
    node_id = doctree.nameids.get(label.lower())
    node = doctree.ids.get(node_id) if node_id else None
    if node is None:
        return None
    for image in node.findall(nodes.image):
        mime = image.parent.get("mime_type", "") if image.parent is not None else ""
        if not mime or mime.startswith("image/"):
            return image
    return None


# ---------------------------------------------------------------------------------------------------------------
# Sphinx events
# ---------------------------------------------------------------------------------------------------------------


class MarkGatedSolutions(SphinxTransform):
    """Mark ``solution-start`` nodes before sphinx-exercise merges them into ordinary solutions (priority 10)."""

    default_priority = 5

    def apply(self, **kwargs: Any) -> None:
        from sphinx_exercise.nodes import solution_start_node

        for node in self.document.findall(solution_start_node):
            node["chapter_shape_gated"] = True


def _globs(config: Any, name: str) -> list[str]:
    value = getattr(config, name)
    return [value] if isinstance(value, str) else list(value)


def is_chapter(docname: str, config: Any) -> bool:
    if any(fnmatch.fnmatch(docname, p) for p in _globs(config, "chapter_shape_exclude")):
        return False
    return any(fnmatch.fnmatch(docname, p) for p in _globs(config, "chapter_shape_chapters"))


def _stats(env: BuildEnvironment) -> dict[str, dict]:
    if not hasattr(env, ENV_STATS):
        setattr(env, ENV_STATS, {})
    return getattr(env, ENV_STATS)


def _pending(env: BuildEnvironment) -> dict[str, list]:
    if not hasattr(env, ENV_PENDING):
        setattr(env, ENV_PENDING, {})
    return getattr(env, ENV_PENDING)


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    if not is_chapter(docname, app.config):
        main, further = Counts(), Counts()
        count(doctree, main, further, app.config)  # times the Going-further blocks of any page, for their summaries
        return
    report = Report()
    chapter = check_chapter(doctree, docname, app.config, report)
    pending = set(app.config.chapter_shape_pending)
    unknown = pending - set(RULES)
    if unknown:
        logger.warning(f"chapter_shape_pending names unknown rules: {', '.join(sorted(unknown))}", type="chapter_shape")
    held = []
    for rule, message, line in report.problems:
        if rule in pending:
            held.append((rule, message))
            continue
        logger.warning(
            f"chapter shape, rule {rule!r}: {message}",
            location=(docname, line),
            type="chapter_shape",
            subtype=rule,
        )
    if held:
        _pending(app.env)[docname] = held
    if chapter is None:
        return
    main, further = Counts(), Counts()
    for child in chapter.children:
        count(child, main, further, app.config)
    main_minutes, further_minutes = main.minutes(app.config), further.minutes(app.config)
    _stats(app.env)[docname] = {
        "main": main.as_dict(app.config),
        "going_further": further.as_dict(app.config),
        "text": reading_time_text(main_minutes, further_minutes),
    }
    line = nodes.paragraph(classes=["reading-time"])
    line += nodes.Text(reading_time_text(main_minutes, further_minutes))
    chapter.insert(1, line)


def on_purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _stats(env).pop(docname, None)
    _pending(env).pop(docname, None)


def on_merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for getter in (_stats, _pending):
        for docname, value in getter(other).items():
            if docname in docnames:
                getter(env)[docname] = value


def on_finished(app: Sphinx, exception: Exception | None) -> None:
    """Say, once per build, which chapters break rules that are not enforced yet."""
    if exception is not None:
        return
    by_rule: dict[str, list[str]] = {}
    for docname, items in sorted(_pending(app.env).items()):
        for rule, _ in items:
            by_rule.setdefault(rule, [])
            if docname not in by_rule[rule]:
                by_rule[rule].append(docname)
    for rule, docnames in sorted(by_rule.items()):
        logger.info(
            f"chapter shape: not enforced yet (chapter_shape_pending), rule {rule!r} is broken by "
            f"{len(docnames)} chapter{'s' if len(docnames) != 1 else ''}: {', '.join(docnames)}"
        )


def _check_config(app: Sphinx, config: Any) -> None:
    for name in ("chapter_shape_words_per_minute", "chapter_shape_answer_words"):
        value = getattr(config, name)
        if not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    for name in ("chapter_shape_seconds_per_figure", "chapter_shape_seconds_per_code_line"):
        value = getattr(config, name)
        if not isinstance(value, (int, float)) or value < 0 or not math.isfinite(value):
            raise ValueError(f"{name} must be a non-negative number of seconds, got {value!r}")


def _add_static(app: Sphinx, config: Any) -> None:
    config.html_static_path.append(str(STATIC_DIR))


def setup(app: Sphinx) -> dict:
    app.setup_extension("going_further")
    app.connect("config-inited", _add_static)
    app.add_css_file("chapter_shape.css")
    app.add_config_value("chapter_shape_chapters", ["chapters/*"], "env")
    app.add_config_value("chapter_shape_exclude", ["chapters/_*"], "env")
    app.add_config_value("chapter_shape_pending", [], "env")
    app.add_config_value("chapter_shape_answer_words", 65, "env")
    app.add_config_value("chapter_shape_words_per_minute", 150, "env")
    app.add_config_value("chapter_shape_seconds_per_figure", 30, "env")
    app.add_config_value("chapter_shape_seconds_per_code_line", 3, "env")
    app.add_transform(MarkGatedSolutions)
    app.connect("config-inited", _check_config)
    app.connect("doctree-read", on_doctree_read, priority=600)
    app.connect("env-purge-doc", on_purge)
    app.connect("env-merge-info", on_merge)
    app.connect("build-finished", on_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
