"""`grader quiz SLUG`: a challenge's quiz asked in the terminal, or answered from a file.

In the terminal, each question is asked, sent and graded in turn (one attempt, continued after
every answer), so its feedback comes before the next question. With `--answers FILE` the
answers are sent at once. Exit codes: 0 every question right, 1 not all, 2 an error.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import render
from .actions import connected
from .errors import ExitCode, Failure
from .http import GraderClient
from .quiz_render import feedback_lines, summary

WAIT_S = 30  # the server waits this long for a grading before answering 202
MAX_INDENT = 6
ORDER_LINE = re.compile(r"^(\d+)(?:\s+(\d+))?$")
Ask = Callable[[str], str]


# -- answers from a file ---------------------------------------------------------------------

def load_answers(path: str) -> dict[str, Any]:
    """The answers of an answers file (`-` reads stdin): `{"answers": {question id: ...}}`."""
    try:
        text = click.get_text_stream("stdin").read() if path == "-" else \
            Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise Failure(f"Cannot read the answers file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise Failure(f"The answers file {path} is not UTF-8 text.") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise Failure(f"The answers file {path} is not JSON: {exc}.") from None
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise Failure(f'The answers file {path} must hold an object {{"answers": {{...}}}} '
                      "mapping question ids to answers (see `grader quiz --help`).")
    return data["answers"]


# -- waiting and showing ---------------------------------------------------------------------

def wait_graded(client: GraderClient, record: dict[str, Any], timeout_s: float) -> dict[str, Any]:
    """The attempt's record once graded (polled after the server's own wait ran out)."""
    final = client.final_statuses()
    deadline = time.monotonic() + timeout_s
    while str(record.get("status")) not in final:
        if time.monotonic() >= deadline:
            raise Failure(f"Attempt {record.get('id')} is still {record.get('status')} after "
                          f"{timeout_s:.0f} s; see it later with `grader status {record.get('id')}`.")
        time.sleep(1.0)
        record = client.submission(int(record["id"]))
    return record


def exit_code(record: dict[str, Any]) -> ExitCode:
    """0 all right, 1 not all, 2 when the grader itself failed."""
    status = str(record.get("status"))
    if status == "passed":
        return ExitCode.OK
    if status == "internal_error":
        return ExitCode.ERROR
    return ExitCode.NOT_PASSED


def from_file(console: render.Console, slug: str, path: str, timeout_s: float,
              course: str | None = None) -> ExitCode:
    """Send a file's answers as one attempt; print its graded record (JSON with --json)."""
    answers = load_answers(path)
    with connected(what=f"the quiz of {slug!r}", slug=slug) as client:
        view = None if console.as_json else client.quiz(slug)
        record = client.answer_quiz(slug, answers, wait=min(WAIT_S, int(timeout_s)),
                                    course=course)
        record = wait_graded(client, record, timeout_s)
    if console.as_json:
        console.data(record)
    else:
        console.out(summary(view, record, console.tty))
    return exit_code(record)


# -- asking in the terminal ------------------------------------------------------------------

def _numbers(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", text.strip()) if part]


def ask_choice(q: dict[str, Any], ask: Ask, say: Callable[[str], None]) -> list[int] | None:
    choices = q["choices"]
    for number, choice in enumerate(choices, 1):
        say(f"  {number}) {choice['text']}")
    how = "the numbers of every right answer" if q.get("multiple") else "the number of the answer"
    while True:
        raw = ask(f"Type {how} (Enter skips)")
        if not raw.strip():
            return None
        parts = _numbers(raw)
        if all(p.isdigit() and 1 <= int(p) <= len(choices) for p in parts) and \
                len(set(parts)) == len(parts) and (q.get("multiple") or len(parts) == 1):
            return [choices[int(p) - 1]["id"] for p in parts]
        say(f"  Type {'numbers' if q.get('multiple') else 'one number'} from 1 to {len(choices)}.")


def ask_order(q: dict[str, Any], ask: Ask, say: Callable[[str], None]) -> list[str] | None:
    lines = q["lines"]
    for number, line in enumerate(lines, 1):
        say(f"  {number}. {line}")
    say(f"Build the code top to bottom: for each line type its number and its indentation "
        f"level ({q.get('indent', 4)} spaces a level), such as '2 1'. Enter alone finishes.")
    answer: list[str] = []
    used: set[int] = set()
    while len(answer) < len(lines):
        raw = ask(f"Line {len(answer) + 1}").strip()
        if not raw:
            break
        match = ORDER_LINE.match(raw)
        if not match or not 1 <= int(match.group(1)) <= len(lines) or \
                int(match.group(2) or 0) > MAX_INDENT:
            say(f"  Type a line number from 1 to {len(lines)}, then a level from 0 to "
                f"{MAX_INDENT}.")
            continue
        index = int(match.group(1)) - 1
        if index in used:
            say(f"  Line {index + 1} is used already.")
            continue
        used.add(index)
        answer.append(" " * (q.get("indent", 4) * int(match.group(2) or 0)) + lines[index])
        say(f"    {answer[-1]}")
    return answer or None


def show_file(path: str, text: str, say: Callable[[str], None]) -> None:
    say(f"--- {path} ---")
    say(text.rstrip("\n"))
    say("---")


def ask_predict(q: dict[str, Any], ask: Ask, say: Callable[[str], None]) -> dict[str, Any] | None:
    show_file("app.py", q["app"], say)
    for path, text in sorted((q.get("files") or {}).items()):
        show_file(path, text, say)
    request = dict(q["request"])
    say(f"Request: {request.pop('method', 'GET')} {request.pop('path', '/')}")
    for key, value in sorted(request.items()):
        say(f"  {key}: {value if isinstance(value, str) else json.dumps(value)}")
    answer: dict[str, Any] = {}
    for part in q["ask"]:
        while True:
            raw = ask({"status": "Status code", "body": r"Body (one line; \n for a line break)",
                       "mimetype": "Mimetype", "location": "Location header"}[part]).strip()
            if part != "status" or not raw or re.fullmatch(r"\d{3}", raw):
                break
            say("  A status code is a number, such as 200.")
        if raw:
            answer[part] = int(raw) if part == "status" else raw.replace("\\n", "\n")
    return answer or None


def ask_fill(q: dict[str, Any], ask: Ask, say: Callable[[str], None]) -> dict[str, str] | None:
    for path, text in sorted((q.get("files") or {}).items()):
        show_file(path, text, say)
    show_file(q.get("snippet_path", "app.py"), q["snippet"], say)
    answer = {b["name"]: ask(f"Blank [[{b['name']}]]") for b in q["blanks"]}
    return answer if any(v.strip() for v in answer.values()) else None


ASKERS = {"choice": ask_choice, "order": ask_order, "predict": ask_predict, "fill": ask_fill}


def interactive(console: render.Console, slug: str, timeout_s: float,
                course: str | None = None) -> ExitCode:
    """Ask each question, send it, show its feedback; the attempt grows one answer at a time.

    With `course`, the attempt is made for the course (its later answers stay in it).
    """
    # With --json the record is the only thing on stdout: questions and prompts go to stderr.
    say = console.note if console.as_json else console.out

    def ask(prompt: str) -> str:
        return str(click.prompt(prompt, default="", show_default=False, err=console.as_json))

    with connected(what=f"the quiz of {slug!r}", slug=slug) as client:
        view = client.quiz(slug)
        questions = view.get("questions") or []
        say(f"Quiz: {view.get('title', slug)} · {len(questions)} questions, "
            f"{view.get('points')} points")
        if view.get("intro"):
            say(view["intro"])
        record: dict[str, Any] | None = None
        for number, q in enumerate(questions, 1):
            say(f"\nQuestion {number} of {len(questions)} · {q['kind']} · {q['points']} points")
            say(q["prompt"].strip())
            try:
                answer = ASKERS[q["kind"]](q, ask, say)
            except click.Abort:
                say("\nStopped: the questions left are not answered.")
                break
            if answer is None:
                say("Skipped.")
                continue
            attempt = int(record["id"]) if record else None
            record = client.answer_quiz(slug, {q["id"]: answer}, attempt=attempt,
                                        wait=min(WAIT_S, int(timeout_s)),
                                        course=course if attempt is None else None)
            record = wait_graded(client, record, timeout_s)
            result = next((r for r in record.get("questions") or [] if r.get("id") == q["id"]),
                          None)
            if result is None:
                say(render.score_line(record, console.tty))
                if record.get("feedback") == "none":
                    continue  # the course shows results after the due time; answers go on
                break
            for line in feedback_lines(q, result, console.tty):
                say(line)
    if record is None:
        say("Nothing was answered, so no attempt was made.")
        return ExitCode.NOT_PASSED
    if console.as_json:
        console.data(record)
    else:
        console.out(f"\nAttempt {record['id']}: {render.score_line(record, console.tty)}")
    return exit_code(record)


def quiz(console: render.Console, slug: str, answers_file: str | None,
         timeout_s: float, course: str | None = None) -> ExitCode:
    """`grader quiz`: from a file when one is given, else in the terminal (for `course`'s
    assignment when given)."""
    if answers_file is not None:
        return from_file(console, slug, answers_file, timeout_s, course)
    return interactive(console, slug, timeout_s, course)
