"""A test set for the similarity check: honest solutions of one challenge and disguised copies.

The honest solutions in data/similarity/ were written independently, in different styles. A
copy is made the way people hide one: every name the author chose is renamed, the functions are
put in another order, and the comments are rewritten.
"""

from __future__ import annotations

import ast
import builtins
import io
import keyword
import random
import re
import tokenize
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "similarity"
STARTER = (DATA / "starter.py").read_text(encoding="utf-8")
HONEST = {path.stem: path.read_text(encoding="utf-8") for path in sorted(DATA.glob("honest_*.py"))}
COMMENTS = ["# handle the request", "# validate first", "# my own function", "# see the statement",
            "# return JSON", "# works for every case"]


def defined_names(source: str) -> set[str]:
    """The names the author chose and may rename freely: functions, classes, arguments and
    variables. Not what other code calls by name: methods and fields of a class, keyword
    arguments."""
    tree = ast.parse(source)
    names: set[str] = set()
    fixed: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.keyword) and node.arg:
            fixed.add(node.arg)
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, ast.FunctionDef):
                    fixed.add(member.name)
                for target in ast.walk(member) if isinstance(member, (ast.Assign,
                                                                      ast.AnnAssign)) else ():
                    if isinstance(target, ast.Name):
                        fixed.add(target.id)
    reserved = set(dir(builtins)) | set(keyword.kwlist) | {"self", "create_app", "app"}
    return {name for name in names - fixed
            if name not in reserved and not name.startswith("__")}


def rename(source: str, seed: int = 0) -> str:
    """Every chosen name replaced by another, consistently (attributes and keywords untouched).

    Names that also appear inside a string (a URL variable such as `<int:note_id>`, a name in
    an f-string) are kept, as someone keeping the copy working would.
    """
    chooser = random.Random(seed)
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    in_strings = set()
    for tok in tokens:
        if tok.type == tokenize.STRING:
            in_strings |= set(re.findall(r"<(?:\w+:)?(\w+)>", tok.string))
            if "f" in tok.string.split(tok.string[-1])[0].lower():
                for inside in re.findall(r"\{([^{}]*)\}", tok.string):
                    in_strings |= set(re.findall(r"[A-Za-z_]\w*", inside))
    mapping = {name: f"{chooser.choice(['val', 'thing', 'tmp', 'my', 'x'])}_{n}"
               for n, name in enumerate(sorted(defined_names(source) - in_strings))}
    out = []
    for index, tok in enumerate(tokens):
        after_dot = index > 0 and tokens[index - 1].string == "."
        if tok.type == tokenize.NAME and tok.string in mapping and not after_dot:
            tok = tok._replace(string=mapping[tok.string])
        out.append(tok)
    return tokenize.untokenize(out)


def _function_blocks(body: list[ast.stmt]) -> list[ast.stmt]:
    return [node for node in body if isinstance(node, ast.FunctionDef)]


def reorder(source: str) -> str:
    """The functions of the busiest body (module or factory) put in reverse order."""
    tree = ast.parse(source)
    bodies = [tree.body] + [n.body for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    body = max(bodies, key=lambda b: len(_function_blocks(b)))
    blocks = _function_blocks(body)
    lines = source.splitlines(keepends=True)

    def span(node: ast.stmt) -> tuple[int, int]:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        return first - 1, node.end_lineno or node.lineno

    spans = [span(node) for node in blocks]
    texts = ["".join(lines[start:end]).rstrip("\n") + "\n" for start, end in spans]
    out, cursor = [], 0
    for (start, end), text in zip(spans, reversed(texts), strict=True):
        out.append("".join(lines[cursor:start]))
        out.append(text)
        cursor = end
    out.append("".join(lines[cursor:]))
    return "".join(out)


def recomment(source: str, seed: int = 0) -> str:
    """Comments removed, docstrings changed, new comments added here and there."""
    chooser = random.Random(seed)
    out = []
    for line in source.splitlines():
        code = line.split("  #")[0].rstrip() if "  #" in line else line
        if code.strip().startswith("#"):
            continue
        if code.strip().startswith('"""') and code.strip().endswith('"""') and len(code) > 6:
            code = code[: len(code) - len(code.lstrip())] + '"""My solution."""'
        if code.strip().startswith(("if ", "return ", "for ")) and chooser.random() < 0.3:
            out.append(code[: len(code) - len(code.lstrip())] + chooser.choice(COMMENTS))
        out.append(code)
    return "\n".join(out) + "\n"


def disguise(source: str, seed: int = 0) -> str:
    """A copy as someone hiding it would hand it in (it still works)."""
    return recomment(reorder(rename(source, seed)), seed)


HIDDEN_TEST = '''"""The notes API answers."""


def test_list(client):
    """The list of notes is JSON"""
    assert client.get("/notes").status_code == 200, "GET /notes should answer 200"


def test_create(client):
    """A new note is stored"""
    answer = client.post("/notes", json={"title": "milk"})
    assert answer.status_code == 201, "POST /notes should answer 201"
    assert client.get("/notes").get_json()[0]["title"] == "milk", "GET /notes lists it"
'''
CHALLENGE_TOML = '''slug = "notes-api"
title = "A notes API"
concepts = ["request.json", "response.json"]
difficulty = 2
points = 100
files = ["app.py"]
entry = "app:create_app"
timeout_s = 30
memory_mb = 256
feedback = "hints"
'''


def write_notes_challenge(root: Path) -> Path:
    """The challenge the honest solutions solve: its starter is the boilerplate."""
    folder = root / "notes-api"
    files = {"challenge.toml": CHALLENGE_TOML, "statement.md": "# A notes API\n",
             "starter/app.py": STARTER, "solution/app.py": HONEST["honest_closures"],
             "tests/test_notes.py": HIDDEN_TEST}
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder
