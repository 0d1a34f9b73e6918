"""Concept quizzes: the four question kinds and reading `quiz.toml` into them."""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..challenge import ENTRY_RE, SLUG_RE, ChallengeError

QUIZ_FILE = "quiz.toml"
KINDS = ("choice", "order", "predict", "fill")
PREDICT_PARTS = ("status", "body", "mimetype", "location")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
REQUEST_KEYS = ("method", "path", "query_string", "headers", "json", "data", "files",
                "content_type", "follow_redirects")
BLANK_RE = re.compile(r"\[\[([A-Za-z][A-Za-z0-9_]*)\]\]")
INDENT = 4
MAX_LINE = 200  # one typed blank, one line of an order answer
MAX_POINTS = 100
COMMON = ("id", "kind", "concepts", "points", "prompt", "explanation")


class QuizError(ChallengeError):
    """A `quiz.toml` that does not follow the format (one line, naming question and field)."""


@dataclass(frozen=True)
class Choice:
    """One answer of a choice question; its id is its position in the file."""

    id: int
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    """What every question has."""

    id: str
    kind: str
    concepts: tuple[str, ...]
    points: int
    prompt: str
    explanation: str = ""


@dataclass(frozen=True)
class ChoiceQuestion(Question):
    """Pick the right answer (or answers) among shuffled choices."""

    choices: tuple[Choice, ...] = ()
    multiple: bool = False
    fixed_order: bool = False

    @property
    def right(self) -> frozenset[int]:
        return frozenset(c.id for c in self.choices if c.correct)


@dataclass(frozen=True)
class OrderQuestion(Question):
    """Put the lines of a snippet in order, indentation included (a Parsons problem)."""

    lines: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()

    @property
    def pool(self) -> tuple[str, ...]:
        """Every line the learner may use, without its indentation."""
        return tuple(line.strip() for line in self.lines + self.distractors)


@dataclass(frozen=True)
class PredictQuestion(Question):
    """Say what a small app answers to one request; the answer is computed in the sandbox."""

    app: str = ""
    files: dict[str, str] = field(default_factory=dict, hash=False)
    entry: str = "app:app"
    request: dict[str, Any] = field(default_factory=dict, hash=False)
    ask: tuple[str, ...] = ("status", "body")


@dataclass(frozen=True)
class Blank:
    """One `[[name]]` of a fill snippet and its reference answer."""

    name: str
    answer: str
    width: int | None = None


@dataclass(frozen=True)
class FillQuestion(Question):
    """Complete the blanks of a snippet; graded by the question's own tests in the sandbox."""

    snippet: str = ""
    snippet_path: str = "app.py"
    blanks: tuple[Blank, ...] = ()
    tests: str = ""
    files: dict[str, str] = field(default_factory=dict, hash=False)
    entry: str = "app:app"

    def completed(self, values: dict[str, str]) -> str:
        """The snippet with each blank replaced by its value, in one pass."""
        return BLANK_RE.sub(lambda m: values.get(m.group(1), ""), self.snippet)

    def app_files(self, values: dict[str, str]) -> dict[str, bytes]:
        files = {path: text.encode() for path, text in self.files.items()}
        files[self.snippet_path] = self.completed(values).encode()
        return files


@dataclass(frozen=True)
class Quiz:
    """A challenge's quiz: its questions in the file's order."""

    questions: tuple[Question, ...]
    intro: str = ""
    path: Path | None = None

    @property
    def points(self) -> int:
        return sum(q.points for q in self.questions)

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def of_kind(self, kind: type[Question]) -> list[Any]:
        return [q for q in self.questions if isinstance(q, kind)]


class _Fields:
    """Reads one table, naming the question and the field in every error."""

    def __init__(self, table: Any, where: str) -> None:
        if not isinstance(table, dict):
            raise QuizError(f"{where}: must be a table")
        self.table = table
        self.where = where

    def fail(self, name: str, problem: str) -> QuizError:
        return QuizError(f"{self.where}: {name} {problem}")

    def text(self, name: str, default: str | None = None, *, blank_ok: bool = False) -> str:
        value = self.table.get(name, default)
        if value is None:
            raise self.fail(name, "is required")
        if not isinstance(value, str) or (not blank_ok and not value.strip()):
            raise self.fail(name, "must be a non-empty string")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.table.get(name, default)
        if not isinstance(value, bool):
            raise self.fail(name, "must be true or false")
        return value

    def only(self, allowed: Collection[str]) -> None:
        unknown = sorted(set(self.table) - set(allowed))
        if unknown:
            raise self.fail(unknown[0], f"is not a known field (expected one of: "
                                        f"{', '.join(allowed)})")


def _relative_path(fields: _Fields, name: str, path: Any) -> str:
    if not isinstance(path, str) or not path or path.startswith("/") or "\\" in path:
        raise fields.fail(name, f"has a bad path {path!r}")
    parts = PurePosixPath(path).parts
    if any(p in ("..", ".") for p in parts) or any(p.startswith(".") for p in parts):
        raise fields.fail(name, f"path {path!r} must be relative, without '..' or hidden parts")
    return path


def _files(fields: _Fields) -> dict[str, str]:
    files = fields.table.get("files", {})
    if not isinstance(files, dict):
        raise fields.fail("files", "must be a table of path = text")
    for path, text in files.items():
        _relative_path(fields, "files", path)
        if not isinstance(text, str):
            raise fields.fail("files", f"entry {path!r} must be text")
    return dict(files)


def _entry(fields: _Fields, files: Collection[str]) -> str:
    entry = fields.text("entry", "app:app")
    if not ENTRY_RE.match(entry):
        raise fields.fail("entry", f"must look like module:app or module:factory, got {entry!r}")
    module = entry.partition(":")[0].replace(".", "/")
    if f"{module}.py" not in files and f"{module}/__init__.py" not in files:
        raise fields.fail("entry", f"names module {entry.partition(':')[0]!r}, which no file defines")
    return entry


def _choice(f: _Fields, common: dict[str, Any]) -> ChoiceQuestion:
    f.only((*COMMON, "choices", "multiple", "fixed_order"))
    raw = f.table.get("choices")
    if not isinstance(raw, list) or len(raw) < 2:
        raise f.fail("choices", "must hold at least two [[questions.choices]] tables")
    choices = []
    for index, item in enumerate(raw):
        cf = _Fields(item, f"{f.where}: choices[{index}]")
        cf.only(("text", "correct", "feedback"))
        choices.append(Choice(id=index, text=cf.text("text"), correct=cf.flag("correct"),
                              feedback=cf.text("feedback")))
    multiple = f.flag("multiple")
    right = sum(c.correct for c in choices)
    if right == 0:
        raise f.fail("choices", "need at least one with correct = true")
    if right > 1 and not multiple:
        raise f.fail("choices", f"have {right} right answers: set multiple = true")
    if len({c.text.strip() for c in choices}) < len(choices):
        raise f.fail("choices", "must not repeat a text")
    return ChoiceQuestion(**common, choices=tuple(choices), multiple=multiple,
                          fixed_order=f.flag("fixed_order"))


def _lines(f: _Fields, name: str, *, required: bool) -> tuple[str, ...]:
    raw = f.table.get(name, None if required else [])
    if raw is None:
        raise f.fail(name, "is required")
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise f.fail(name, "must be a list of non-empty lines")
    for line in raw:
        indent = len(line) - len(line.lstrip(" "))
        if "\t" in line or "\n" in line or indent % INDENT or len(line) > MAX_LINE:
            raise f.fail(name, f"line {line!r} must be one line, indented by multiples of "
                               f"{INDENT} spaces (no tabs), at most {MAX_LINE} characters")
    return tuple(line.rstrip() for line in raw)


def _order(f: _Fields, common: dict[str, Any]) -> OrderQuestion:
    f.only((*COMMON, "lines", "distractors"))
    lines = _lines(f, "lines", required=True)
    if len(lines) < 3:
        raise f.fail("lines", "must hold at least three lines")
    distractors = _lines(f, "distractors", required=False)
    solution = {line.strip() for line in lines}
    clash = [d for d in distractors if d.strip() in solution]
    if clash:
        raise f.fail("distractors", f"line {clash[0]!r} is also a line of the solution")
    return OrderQuestion(**common, lines=lines, distractors=distractors)


def _request(f: _Fields) -> dict[str, Any]:
    rf = _Fields(f.table.get("request"), f"{f.where}: request")
    rf.only(REQUEST_KEYS)
    request: dict[str, Any] = {"method": rf.text("method", "GET").upper(), "path": rf.text("path")}
    if request["method"] not in METHODS:
        raise rf.fail("method", f"must be one of {', '.join(METHODS)}")
    if not request["path"].startswith("/"):
        raise rf.fail("path", "must start with /")
    for key in ("query_string", "headers"):
        value = rf.table.get(key)
        if key == "query_string" and isinstance(value, str):
            request[key] = value  # "tag=a&tag=b": the one way to repeat a name
        elif value is not None and not (isinstance(value, dict) and all(
                isinstance(v, (str, int)) and not isinstance(v, bool) for v in value.values())):
            raise rf.fail(key, "must be a table of name = text" if key == "headers" else
                          "must be text (a=1&b=2) or a table of name = text")
        elif value is not None:
            request[key] = {str(k): str(v) for k, v in value.items()}
    data = rf.table.get("data")
    if data is not None and not (isinstance(data, str) or (isinstance(data, dict) and all(
            isinstance(v, str) for v in data.values()))):
        raise rf.fail("data", "must be text or a table of form fields")
    if "json" in rf.table and data is not None:
        raise rf.fail("data", "and json cannot both be sent")
    for key in ("json", "data"):
        if key in rf.table:
            request[key] = rf.table[key]
    files = rf.table.get("files")
    if files is not None:
        if not isinstance(files, dict) or not all(
                isinstance(f, dict) and set(f) == {"filename", "content"}
                and all(isinstance(v, str) for v in f.values()) for f in files.values()):
            raise rf.fail("files", "must be a table of field = { filename = ..., content = ... }")
        if isinstance(data, str) or "json" in rf.table:
            raise rf.fail("files", "are sent as a multipart form: data, if any, must be a table")
        request["files"] = {str(k): dict(v) for k, v in files.items()}
    if "content_type" in rf.table:
        request["content_type"] = rf.text("content_type")
    if "follow_redirects" in rf.table:
        request["follow_redirects"] = rf.flag("follow_redirects")
    return request


def _predict(f: _Fields, common: dict[str, Any]) -> PredictQuestion:
    f.only((*COMMON, "app", "files", "entry", "request", "ask"))
    app = f.text("app")
    files = _files(f)
    if "app.py" in files:
        raise f.fail("files", "must not hold app.py: that is the `app` field")
    entry = _entry(f, {"app.py", *files})
    ask = f.table.get("ask", ["status", "body"])
    if (not isinstance(ask, list) or not ask or len(set(ask)) != len(ask)
            or any(part not in PREDICT_PARTS for part in ask)):
        raise f.fail("ask", f"must list some of {', '.join(PREDICT_PARTS)}, each once")
    return PredictQuestion(**common, app=app, files=files, entry=entry, request=_request(f),
                           ask=tuple(ask))


def _fill(f: _Fields, common: dict[str, Any]) -> FillQuestion:
    f.only((*COMMON, "snippet", "snippet_path", "blanks", "tests", "files", "entry"))
    snippet = f.text("snippet")
    snippet_path = _relative_path(f, "snippet_path", f.text("snippet_path", "app.py"))
    files = _files(f)
    if snippet_path in files:
        raise f.fail("files", f"must not hold {snippet_path}: that is the snippet")
    entry = _entry(f, {snippet_path, *files})
    names = list(dict.fromkeys(BLANK_RE.findall(snippet)))
    if not names:
        raise f.fail("snippet", "has no blank; write one as [[name]]")
    tables = f.table.get("blanks")
    if not isinstance(tables, dict):
        raise f.fail("blanks", "must have a [questions.blanks.<name>] table for each blank")
    missing = [n for n in names if n not in tables]
    extra = [n for n in tables if n not in names]
    if missing or extra:
        raise f.fail("blanks", f"must match the snippet's blanks: missing {missing}, "
                               f"not in the snippet {extra}")
    blanks = []
    for name in names:
        bf = _Fields(tables[name], f"{f.where}: blanks.{name}")
        bf.only(("answer", "width"))
        answer = bf.text("answer")
        if "\n" in answer or "\r" in answer or len(answer) > MAX_LINE:
            raise bf.fail("answer", f"must be one line of at most {MAX_LINE} characters")
        width = bf.table.get("width")
        if width is not None and (type(width) is not int or not 1 <= width <= MAX_LINE):
            raise bf.fail("width", f"must be a whole number 1..{MAX_LINE}")
        blanks.append(Blank(name=name, answer=answer, width=width))
    tests = f.text("tests")
    try:
        tree = ast.parse(tests)
    except SyntaxError as exc:
        raise f.fail("tests", f"is not valid Python (line {exc.lineno}: {exc.msg})") from None
    if not any(isinstance(n, ast.FunctionDef) and n.name.startswith("test_") for n in tree.body):
        raise f.fail("tests", "must define at least one test_ function")
    return FillQuestion(**common, snippet=snippet, snippet_path=snippet_path,
                        blanks=tuple(blanks), tests=tests, files=files, entry=entry)


PARSERS = {"choice": _choice, "order": _order, "predict": _predict, "fill": _fill}


def parse_question(table: Any, index: int, concepts: Collection[str] | None) -> Question:
    """One `[[questions]]` table, validated."""
    qid = table.get("id") if isinstance(table, dict) else None
    label = f"question {qid!r}" if isinstance(qid, str) else f"questions[{index}]"
    f = _Fields(table, f"{QUIZ_FILE}: {label}")
    if not isinstance(qid, str) or not SLUG_RE.match(qid):
        raise f.fail("id", "must match [a-z0-9-]+")
    kind = f.table.get("kind")
    if kind not in KINDS:
        raise f.fail("kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    ids = f.table.get("concepts")
    if not isinstance(ids, list) or not ids or not all(isinstance(c, str) for c in ids):
        raise f.fail("concepts", "must be a non-empty list of concept ids")
    unknown = [c for c in ids if concepts is not None and c not in concepts]
    if unknown:
        raise f.fail("concepts", f"names an unknown concept id {unknown[0]!r}")
    points = f.table.get("points")
    if type(points) is not int or not 1 <= points <= MAX_POINTS:
        raise f.fail("points", f"must be a whole number 1..{MAX_POINTS}")
    common = {"id": qid, "kind": kind, "concepts": tuple(ids), "points": points,
              "prompt": f.text("prompt"), "explanation": f.text("explanation", "", blank_ok=True)}
    return PARSERS[kind](f, common)


def parse_quiz(data: dict[str, Any], concepts: Collection[str] | None = None,
               path: Path | None = None) -> Quiz:
    """A parsed `quiz.toml` checked field by field; `concepts` limits the concept ids."""
    unknown = sorted(set(data) - {"intro", "questions"})
    if unknown:
        raise QuizError(f"{QUIZ_FILE}: {unknown[0]} is not a known field (intro, questions)")
    intro = data.get("intro", "")
    if not isinstance(intro, str):
        raise QuizError(f"{QUIZ_FILE}: intro must be a string")
    tables = data.get("questions")
    if not isinstance(tables, list) or not tables:
        raise QuizError(f"{QUIZ_FILE}: needs at least one [[questions]] table")
    questions = [parse_question(t, i, concepts) for i, t in enumerate(tables)]
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            raise QuizError(f"{QUIZ_FILE}: question {q.id!r}: id is used twice")
        seen.add(q.id)
    return Quiz(questions=tuple(questions), intro=intro.strip(), path=path)


def load_quiz(folder: str | Path, concepts: Collection[str] | None = None) -> Quiz | None:
    """Read `folder/quiz.toml`; None when the folder has no quiz. Raises `QuizError`."""
    path = Path(folder) / QUIZ_FILE
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise QuizError(f"{QUIZ_FILE}: {exc}") from None
    return parse_quiz(data, concepts, path)
