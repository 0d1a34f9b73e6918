"""The quiz page's plain HTML form: field names, reading answers back, Markdown for display.

The page works without JavaScript, so every question kind is a set of ordinary form fields:

- choice: `q.<id>` radio buttons or checkboxes, valued with the choice ids;
- order: for each place `k` of the answer, a `q.<id>.line.<k>` select (the index of a line in
  the learner's order, or empty) and a `q.<id>.indent.<k>` select (the indentation level);
  `quiz.js` puts a keyboard-friendly list on top and fills the same fields;
- predict: `q.<id>.<part>` for each asked part (status, body, mimetype, location);
- fill: `q.<id>.blank.<name>` for each blank.

What the learner typed is passed on as typed when it cannot be read (a status that is not a
number, say): the grader then marks the question `invalid` with a message saying why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from runner.quiz.model import BLANK_RE

from ..services import challenges

MAX_INDENT = 6  # levels offered for an order line: deeper than Flask snippets ever go
ONE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


def field(question_id: str, *parts: str | int) -> str:
    """The form field name of a question (and of one of its parts)."""
    return ".".join(["q", question_id, *map(str, parts)])


def markdown(text: str) -> Markup:
    """Teacher Markdown as sanitized HTML (prompts, feedback, explanations)."""
    # `markdown_html` sanitizes with an allow-list, so its output may be inserted as markup.
    return Markup(challenges.markdown_html(text or ""))


def inline_markdown(text: str) -> Markup:
    """Markdown for a label or a list item: a lone paragraph loses its <p>."""
    html = str(markdown(text)).strip()
    single = ONE_PARAGRAPH.match(html)
    return Markup(single.group(1) if single and "<p>" not in single.group(1) else html)


def snippet_parts(snippet: str) -> list[tuple[str, str]]:
    """A fill snippet cut into ("text", ...) and ("blank", name) pieces, in order."""
    parts: list[tuple[str, str]] = []
    last = 0
    for match in BLANK_RE.finditer(snippet):
        parts.append(("text", snippet[last:match.start()]))
        parts.append(("blank", match.group(1)))
        last = match.end()
    parts.append(("text", snippet[last:]))
    return parts


def _choice(question: dict[str, Any], form: MultiDict) -> list[Any]:
    chosen: list[Any] = []
    for raw in form.getlist(field(question["id"])):
        chosen.append(int(raw) if raw.strip().isdigit() else raw)
    return chosen


def _order(question: dict[str, Any], form: MultiDict) -> list[str]:
    lines: list[str] = []
    shown = question["lines"]
    for place in range(len(shown)):
        raw = (form.get(field(question["id"], "line", place)) or "").strip()
        if not raw:
            continue
        if not (raw.isdigit() and int(raw) < len(shown)):
            lines.append(raw)  # not a line that was shown: graded `invalid`, with a message
            continue
        level = (form.get(field(question["id"], "indent", place)) or "0").strip()
        depth = int(level) if level.isdigit() and int(level) <= MAX_INDENT else 0
        lines.append(" " * (question["indent"] * depth) + shown[int(raw)])
    return lines


def _predict(question: dict[str, Any], form: MultiDict) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    for part in question["ask"]:
        raw = form.get(field(question["id"], part))
        if raw is None or not raw.strip():
            continue
        if part == "status":
            number = raw.strip()
            parts[part] = int(number) if re.fullmatch(r"-?\d{1,6}", number) else raw
        else:
            # Browsers send CRLF from a textarea; a body answer is compared with LF.
            parts[part] = raw.replace("\r\n", "\n")
    return parts


def _fill(question: dict[str, Any], form: MultiDict) -> dict[str, str]:
    return {blank["name"]: form.get(field(question["id"], "blank", blank["name"])) or ""
            for blank in question["blanks"]}


READERS = {"choice": _choice, "order": _order, "predict": _predict, "fill": _fill}


def answers_from_form(questions: Iterable[dict[str, Any]], form: MultiDict,
                      only: str | None = None) -> dict[str, Any]:
    """The answers a submitted quiz form holds, by question id (of `only` when given).

    `questions` are the learner's own public view (the order lines are indexes into it).
    """
    return {q["id"]: READERS[q["kind"]](q, form) for q in questions
            if only is None or q["id"] == only}
