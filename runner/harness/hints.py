"""What a failure may tell a learner in `hints` mode: only facts the trusted side can check.

Everything a learner process reports is written by learner code, and by the time a test runs
that code may hold the test's hidden inputs. So a hint never repeats its text: the exception's
type is named only if it is a builtin, a well-known library's, or a class defined in the
learner's own files; the file and line only if the file is one of theirs and has that line; a
request by the URL rule it matches among the rules the app had before any test input existed;
a command by its name among the commands the app had then. The full text stays available as
`detail` for teachers and for `feedback = "full"`.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import os
import re
from dataclasses import dataclass, field
from typing import Any

# Exceptions learners meet through the libraries of the image, named in hints by class name.
LIBRARY_MODULES = ("werkzeug.exceptions", "jinja2.exceptions", "click.exceptions",
                   "itsdangerous.exc", "sqlalchemy.exc", "json.decoder", "sqlite3")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,80}$")
MAX_RULE = 200

CODED = {
    "no_entry": "{module}.py has no {attr!r}; the challenge expects {entry}",
    "not_flask": "{entry} does not give a Flask application",
    "not_plain": "your code returned something that is not plain JSON data (dict, list, str, "
                 "int, float, bool or None)",
    "protocol": "the process running your app refused the request",
}


@dataclass(frozen=True)
class Doing:
    """What a test was doing when something went wrong, said for the learner and in full."""

    public: str
    full: str


@dataclass
class ErrorReport:
    """A learner process's error reply, as a hint and in full."""

    cause_public: str  # "ValueError in app.py, line 12", or a harness sentence for a coded one
    cause_full: str  # "ValueError: <its message>"
    traceback: str
    learner_type: str
    coded: bool = False


@dataclass
class LearnerFacts:
    """What the trusted side knows of the learner's app without trusting its process."""

    app_dir: str
    entry: str
    rules: list[str] = field(default_factory=list)  # from the first build, before any input
    commands: list[str] = field(default_factory=list)
    _lines: dict[str, int] | None = None
    _classes: set[str] | None = None
    _map: Any = None

    def learn_app(self, reply: dict[str, Any]) -> None:
        """Keep the rules and commands the first build reported (strings only, capped)."""
        self.rules = [r for r in _strings(reply.get("rules")) if len(r) <= MAX_RULE]
        self.commands = [c for c in _strings(reply.get("commands")) if NAME_RE.match(c)]

    def line_counts(self) -> dict[str, int]:
        """The learner's files (relative paths) and how many lines each has."""
        if self._lines is None:
            self._lines = {}
            for root, _dirs, files in os.walk(self.app_dir):
                for name in files:
                    path = os.path.join(root, name)
                    try:
                        with open(path, "rb") as fh:
                            data = fh.read()
                        count = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
                    except OSError:
                        continue
                    self._lines[os.path.relpath(path, self.app_dir).replace(os.sep, "/")] = count
        return self._lines

    def class_names(self) -> set[str]:
        """Classes the learner's files define (read with `ast`, never imported)."""
        if self._classes is None:
            self._classes = set()
            for name in self.line_counts():
                if not name.endswith(".py"):
                    continue
                try:
                    with open(os.path.join(self.app_dir, name), encoding="utf-8") as fh:
                        tree = ast.parse(fh.read())
                except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
                    continue
                self._classes |= {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
        return self._classes

    def known_type(self, name: str) -> bool:
        return bool(NAME_RE.match(name)) and (name in _known_exception_names()
                                              or name in self.class_names())

    def location(self, file: Any, line: Any) -> str:
        """" in app.py, line 12" when that file is the learner's and has that line, else ""."""
        if not isinstance(file, str) or type(line) is not int:
            return ""
        count = self.line_counts().get(file)
        if count is None or not 1 <= line <= count:
            return ""
        return f" in {file}, line {line}"

    def rule_for(self, path: str, method: str) -> str:
        """The URL rule `path` matches among the app's first rules ("" when none or unsure)."""
        try:
            adapter = self._url_map().bind("localhost")
            rule, _ = adapter.match(path.split("?", 1)[0], method=method, return_rule=True)
            return str(rule.rule)
        except Exception:  # noqa: BLE001 - no match, a redirect, an odd path: name no rule
            return ""

    def _url_map(self) -> Any:
        if self._map is None:
            from werkzeug.routing import Map, Rule

            usable = []
            for text in self.rules:
                try:
                    Map([Rule(text, endpoint=text)])
                    usable.append(text)
                except Exception:  # noqa: BLE001 - a converter of the learner's own: left out
                    continue
            self._map = Map([Rule(text, endpoint=text) for text in usable], strict_slashes=False)
        return self._map

    def request(self, method: str, path: str, full_path: str) -> Doing:
        rule = self.rule_for(path, method) if self.rules else ""
        public = f"{method} {rule}" if rule else f"a {method} request"
        return Doing(public, f"{method} {full_path}")

    def command(self, args: list[str]) -> Doing:
        shown = args[0] if args and args[0] in (*self.commands, "routes", "run", "shell") else ""
        public = f"`flask {shown}`" if shown else "a `flask` command"
        return Doing(public, f"`flask {' '.join(args)}`")

    def describe(self, error: Any) -> ErrorReport:
        """Turn an error reply into what a hint may say and what a teacher may see."""
        error = error if isinstance(error, dict) else {}
        kind = str(error.get("type", "Exception"))[:100]
        message = str(error.get("message", ""))[:2000]
        trace = str(error.get("traceback", ""))[:4000]
        code = error.get("code")
        where = self.location(error.get("file"), error.get("line"))
        full = f"{kind}: {message}" if message else kind
        if isinstance(code, str) and code in CODED:
            module, _, attr = self.entry.partition(":")
            text = CODED[code].format(module=module.replace(".", "/"), attr=attr,
                                      entry=self.entry)
            return ErrorReport(text, f"{text} ({full})", trace, kind, coded=True)
        shown = kind if self.known_type(kind) else "an exception"
        return ErrorReport(f"{shown}{where}", full, trace, kind)


def _strings(value: Any) -> list[str]:
    return [v for v in value[:500] if isinstance(v, str)] if isinstance(value, list) else []


_KNOWN: set[str] | None = None


def _known_exception_names() -> set[str]:
    """Builtin exceptions and those of the image's common libraries, by class name."""
    global _KNOWN
    if _KNOWN is None:
        names = {n for n, v in vars(builtins).items()
                 if isinstance(v, type) and issubclass(v, BaseException)}
        for module_name in LIBRARY_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            names |= {n for n, v in vars(module).items()
                      if isinstance(v, type) and issubclass(v, BaseException)}
        _KNOWN = names
    return _KNOWN

