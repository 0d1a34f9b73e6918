"""The challenge folder on disk: unpacking starters safely, picking files, the marker file."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from grader.client.workspace import (
    WorkspaceError,
    gather,
    guess_entry,
    select_files,
    unpack_zip,
    zip_folder,
)


def make_zip(entries: dict[str, str], links: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return out.getvalue()


def test_the_slug_folder_of_a_starter_is_unpacked_into_the_target(tmp_path):
    data = make_zip({"hello/app.py": "a", "hello/public_tests/test_x.py": "t"})
    assert unpack_zip(data, tmp_path / "w", top="hello") == ["app.py", "public_tests/test_x.py"]
    assert (tmp_path / "w" / "app.py").read_text() == "a"


def test_a_single_package_folder_is_kept_when_it_is_not_the_slug(tmp_path):
    data = make_zip({"pkg/__init__.py": "", "pkg/views.py": "v"})
    assert unpack_zip(data, tmp_path, top="hello") == ["pkg/__init__.py", "pkg/views.py"]


@pytest.mark.parametrize("name", ["../evil.py", "/etc/evil.py", "a/../../evil.py", "C:/evil.py"])
def test_paths_leaving_the_folder_are_refused(tmp_path, name):
    with pytest.raises(WorkspaceError, match="unsafe path"):
        unpack_zip(make_zip({name: "x"}), tmp_path / "w")
    assert not (tmp_path / "evil.py").exists()


def test_links_in_a_starter_are_refused(tmp_path):
    with pytest.raises(WorkspaceError, match="holds a link 'hello/link'"):
        unpack_zip(make_zip({"hello/app.py": "a"}, links=("hello/link",)), tmp_path / "w")


def test_a_broken_archive_is_explained(tmp_path):
    with pytest.raises(WorkspaceError, match="not a valid zip"):
        unpack_zip(b"not a zip", tmp_path)


def test_the_entry_is_guessed_from_the_starter(tmp_path):
    assert guess_entry(tmp_path) == "app:app"
    (tmp_path / "app.py").write_text("from flask import Flask\n\ndef create_app():\n    pass\n")
    assert guess_entry(tmp_path) == "app:create_app"


def test_manifest_globs_select_files_the_way_the_server_does(tmp_path):
    for name in ["app.py", "templates/index.html", "templates/deep/x.html", "static/a.css", "b.py"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    selected, left_out = select_files(["app.py", "templates/*.html"], gather([], tmp_path))
    # fnmatch's * crosses folders, as in the runner's check: templates/deep/x.html is allowed
    assert sorted(selected) == ["app.py", "templates/deep/x.html", "templates/index.html"]
    assert left_out == ["b.py", "static/a.css"]


def test_caches_hidden_files_and_links_are_never_candidates(tmp_path):
    (tmp_path / "app.py").write_text("a")
    (tmp_path / ".env").write_text("K=v")
    (tmp_path / ".secret").write_text("s")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "x.py").write_text("x")
    (tmp_path / "linked.py").symlink_to(tmp_path / "app.py")
    assert sorted(gather([], tmp_path)) == [".env", "app.py"]


def test_a_challenge_zip_leaves_out_caches(tmp_path):
    (tmp_path / "challenge.toml").write_text("title = 'x'\n")
    (tmp_path / "tests" / "__pycache__").mkdir(parents=True)
    (tmp_path / "tests" / "__pycache__" / "t.pyc").write_bytes(b"\0")
    (tmp_path / "tests" / "test_a.py").write_text("")
    names = zipfile.ZipFile(io.BytesIO(zip_folder(Path(tmp_path)))).namelist()
    assert sorted(names) == ["challenge.toml", "tests/test_a.py"]
