"""Text output: tables, one live line per test, a progress bar; plain text when not a terminal."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

import click

VERDICT_COLORS = {
    "passed": "green",
    "failed": "red",
    "error": "red",
    "timeout": "yellow",
    "memory": "yellow",
    "rejected": "magenta",
    "internal_error": "magenta",
    "queued": "cyan",
    "running": "cyan",
}
TTY_MARKS = {"passed": "✓", "failed": "✗", "error": "!", "timeout": "⏱", "skipped": "-"}
PLAIN_MARKS = {
    "passed": "PASS",
    "failed": "FAIL",
    "error": "ERR ",
    "timeout": "TIME",
    "skipped": "SKIP",
}
BAR_WIDTH = 24


def is_tty(stream: TextIO | None = None) -> bool:
    """A terminal able to show the marks and the progress bar (UTF-8)."""
    stream = stream or sys.stdout
    if not getattr(stream, "isatty", lambda: False)():
        return False
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    return encoding.startswith("utf")


def styled(text: str, status: str, tty: bool) -> str:
    """Colour a word by verdict on a terminal (unless NO_COLOR is set); unchanged otherwise."""
    color = VERDICT_COLORS.get(status)
    if not tty or not color or os.environ.get("NO_COLOR"):
        return text
    return click.style(text, fg=color, bold=status == "passed")


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Left-aligned columns sized to their widest cell; numbers aligned right."""
    cells = [[str(h) for h in headers]] + [
        ["" if c is None else str(c) for c in row] for row in rows
    ]
    numeric = [
        all(_is_number(r[i]) for r in cells[1:]) and len(cells) > 1 for i in range(len(headers))
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [
            c.rjust(w) if numeric[i] and n else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _is_number(text: str) -> bool:
    return text.replace(".", "", 1).replace("/", "", 1).lstrip("-").isdigit()


def test_line(test: dict[str, Any], tty: bool) -> str:
    """`✓ Integer ids are parsed   20/20  12 ms`, then the teacher's hint indented below."""
    status = str(test.get("status", ""))
    marks = TTY_MARKS if tty else PLAIN_MARKS
    mark = styled(marks.get(status, status.upper()[:4]), status, tty)
    title = test.get("title") or test.get("id") or "?"
    points = f"{test.get('points', 0)}/{test.get('max_points', 0)}"
    duration = test.get("duration_ms")
    line = f"{mark} {title}  {points}" + (f"  {duration} ms" if duration is not None else "")
    message = str(test.get("message") or "").strip()
    if message and status != "passed":
        line += "\n" + "\n".join("    " + m for m in message.splitlines()[:12])
    return line


def progress_bar(done: int, total: int, tests: int) -> str:
    """`[########----------------]  40/100 points, 3 tests`"""
    filled = round(BAR_WIDTH * done / total) if total else 0
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    noun = "test" if tests == 1 else "tests"
    return f"[{bar}] {done:>3}/{total} points graded, {tests} {noun}"


def credit_text(record: dict[str, Any]) -> str:
    """`graded 90/100, 80% credit: 72` (with how late), for course work; '' for practice."""
    if not record.get("course") or record.get("score") is None:
        return ""
    text = (
        f"graded {record.get('score')}/{record.get('max_score')}, "
        f"{record.get('credit', 100)}% credit: {record.get('credited_score')}"
    )
    late = float(record.get("late_hours") or 0)
    return text + (f" ({late:.1f} h late)" if late > 0 else "")


def score_line(record: dict[str, Any], tty: bool) -> str:
    status = str(record.get("status", "?"))
    if record.get("score") is None:
        # A course hides the result until the due time: say when it will be shown.
        until = record.get("feedback_until") or "the due time"
        line = f"{styled(status, status, tty)}: the result is shown after {until}"
    else:
        score = f"{record.get('score', 0)}/{record.get('max_score', 0)}"
        line = f"{styled(status, status, tty)}: {score} points"
        credit = credit_text(record)
        if credit:
            line += f" · {record['course']}: {credit}"
    if record.get("feedback") == "score":
        held = "Explanations and feedback" if record.get("kind") == "quiz" else "Test messages"
        line += f"\n{held} are shown after {record.get('feedback_until')}."
    message = str(record.get("message") or "").strip()
    return line + (f"\n{message}" if message else "")


def record_text(record: dict[str, Any], tty: bool) -> str:
    """A submission record as a person reads it: header, one line per test, the score."""
    head = f"Submission {record.get('id', '?')} · {record.get('challenge', '?')}"
    if record.get("user"):
        head += f" · {record['user']}"
    if record.get("submitted_at"):
        head += f" · submitted {record['submitted_at']}"
    if record.get("course"):
        head += f" · course {record['course']}"
    lines = [head]
    lines += [test_line(t, tty) for t in record.get("tests") or []]
    lines.append(score_line(record, tty))
    return "\n".join(lines)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st ..."""
    suffix = "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10,
                                                                                  "th")
    return f"{number}{suffix}"


def place_in_line(position: Any, eta_s: Any) -> str:
    """"12th in line, about 40 s" ('' when the record has no place in line)."""
    if not isinstance(position, int) or position < 1:
        return ""
    if position == 1:
        return "next in line"
    return f"{ordinal(position)} in line, about {eta_s if isinstance(eta_s, int) else '?'} s"


class LiveView:
    """Prints test lines as results stream in, a progress bar kept on the last terminal line."""

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None) -> None:
        self.stream = stream or sys.stdout
        self.tty = is_tty(self.stream) if tty is None else tty
        self.seen: set[str] = set()
        self.graded_points = 0
        self.max_score = 0
        self.status = ""
        self.bar_shown = False
        self.place = ""

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def _clear_bar(self) -> None:
        if self.bar_shown:
            self._write("\r\x1b[2K")
            self.bar_shown = False

    def _draw_bar(self) -> None:
        if self.tty and self.max_score and self.status in ("queued", "running"):
            bar = progress_bar(self.graded_points, self.max_score, len(self.seen))
            place = f" ({self.place})" if self.status == "queued" and self.place else ""
            self._write(f"\r\x1b[2K{styled(self.status.ljust(7), self.status, True)} {bar}{place}")
            self.bar_shown = True

    def line_changed(self, position: Any, eta_s: Any) -> None:
        """The submission's place in the grading queue moved."""
        place = place_in_line(position, eta_s)
        if not place or place == self.place or self.status not in ("", "queued"):
            return
        self.place = place
        if self.tty:
            self._draw_bar()
        else:
            self._write(f"{place}\n")

    def status_changed(self, status: str, max_score: int | None = None) -> None:
        if max_score:
            self.max_score = int(max_score)
        if status == self.status:
            return
        self.status = status
        if status not in ("queued", "running"):
            return
        if self.tty:  # the status word leads the progress bar
            self._draw_bar()
        else:
            self._write(f"{status}...\n")

    def test_finished(self, test: dict[str, Any]) -> None:
        key = str(test.get("id") or test.get("title"))
        if key in self.seen:  # an event and a poll may report the same test twice
            return
        self.seen.add(key)
        self.graded_points += int(test.get("max_points") or 0)
        self._clear_bar()
        self._write(test_line(test, self.tty) + "\n")
        self._draw_bar()

    def finished(self, record: dict[str, Any]) -> None:
        """Print tests the stream missed (in record order), then the score."""
        for test in record.get("tests") or []:
            self.test_finished(test)
        self._clear_bar()
        self._write(score_line(record, self.tty) + "\n")


class Console:
    """Where commands write: results on stdout (JSON with --json), notes and errors on stderr."""

    def __init__(
        self, as_json: bool = False, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.as_json = as_json
        self.stdout = out or click.get_text_stream("stdout")
        self.stderr = err or click.get_text_stream("stderr")
        self.tty = is_tty(self.stdout)

    def out(self, text: str) -> None:
        click.echo(text, file=self.stdout)

    def note(self, text: str) -> None:
        """A remark for the person, never mixed into stdout (so `--json` output stays parseable)."""
        click.echo(text, file=self.stderr)

    def data(self, obj: Any) -> None:
        click.echo(json.dumps(obj, indent=2, sort_keys=False, default=str), file=self.stdout)
