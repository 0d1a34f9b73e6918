"""Quiz attempts as text: each question's verdict and feedback, and a whole attempt."""

from __future__ import annotations

import json
from typing import Any

from . import render

MARKS = {"correct": "✓", "partial": "◐", "wrong": "✗", "unanswered": "-", "invalid": "!"}
LABELS = {"correct": "Correct", "partial": "Partly right", "wrong": "Wrong",
          "unanswered": "Not answered", "invalid": "Not a valid answer"}
COLORS = {"correct": "passed", "partial": "timeout", "wrong": "failed", "invalid": "failed"}


def verdict_line(result: dict[str, Any], tty: bool) -> str:
    status = str(result.get("status"))
    label = LABELS.get(status, status)
    mark = f"{MARKS.get(status, '?')} " if tty else ""
    text = render.styled(f"{mark}{label}", COLORS.get(status, ""), tty)
    return f"{text} · {result.get('points')}/{result.get('max_points')} points"


def feedback_lines(question: dict[str, Any] | None, result: dict[str, Any],
                   tty: bool) -> list[str]:
    """A graded question as lines of text: the verdict, then what each kind says."""
    lines = [verdict_line(result, tty)]
    if result.get("message"):
        lines += [f"  {line}" for line in str(result["message"]).splitlines()]
    texts = {c["id"]: c["text"] for c in (question or {}).get("choices") or []}
    numbers = {c["id"]: n for n, c in enumerate((question or {}).get("choices") or [], 1)}
    for chosen in result.get("choices") or []:
        word = "A right choice" if chosen.get("correct") else "A wrong choice"
        shown = f"{numbers[chosen['id']]}) " if chosen.get("id") in numbers else ""
        lines.append(f"  {shown}{texts.get(chosen.get('id'), chosen.get('id'))}")
        lines.append(f"     {word}: {chosen.get('feedback', '')}".rstrip())
    if "longest_run" in result:
        lines.append(f"  The longest stretch in the right order: {result['longest_run']} of "
                     f"{result.get('lines')} lines.")
    for part, value in (result.get("parts") or {}).items():
        word = "right" if value.get("correct") else "wrong"
        lines.append(f"  {part}: you said {json.dumps(value.get('given'))}, the app answered "
                     f"{json.dumps(value.get('expected'))} ({word})")
    for test in result.get("tests") or []:
        status = str(test.get("status"))
        marks = render.TTY_MARKS if tty else render.PLAIN_MARKS
        mark = render.styled(marks.get(status, status.upper()[:4]), status, tty)
        lines.append(f"  {mark} {test.get('title')}")
        lines += [f"      {line}" for line in str(test.get("message") or "").splitlines()[:8]]
    if result.get("explanation"):
        lines.append(f"  Why: {result['explanation']}")
    return lines


def summary(view: dict[str, Any] | None, record: dict[str, Any], tty: bool) -> str:
    """The whole attempt: each question's feedback, then the score."""
    questions = {q["id"]: q for q in (view or {}).get("questions") or []}
    out = [f"Quiz attempt {record.get('id')} · {record.get('challenge')}"]
    for number, result in enumerate(record.get("questions") or [], 1):
        out.append(f"{number}. {result.get('id')} ({result.get('kind')})")
        out += [f"   {line}" for line in feedback_lines(questions.get(result.get("id")), result,
                                                         tty)]
    if record.get("ignored"):
        out.append(f"Not questions of this quiz (left out): {', '.join(record['ignored'])}")
    out.append(render.score_line(record, tty))
    return "\n".join(out)
