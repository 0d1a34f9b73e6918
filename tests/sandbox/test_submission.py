"""Bad input never reaches the sandbox: each gets a message a learner understands."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from runner import ChallengeError, Rejected, Verdict, grade, load_challenge
from runner.submission import allowed, files_from_zip, split_allowed, validate_files

CHALLENGES = Path(__file__).parent / "challenges"


@pytest.fixture
def probe():
    return load_challenge(CHALLENGES / "isolation-probe")


def make_zip(entries: list[tuple[str, bytes, int | None]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content, mode in entries:
            info = zipfile.ZipInfo(name)
            if mode is not None:
                info.external_attr = mode << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def test_unknown_challenge_is_a_clear_error(tmp_path):
    with pytest.raises(ChallengeError, match="no challenge.toml"):
        load_challenge(tmp_path / "no-such-challenge")


@pytest.mark.parametrize("manifest, message", [
    ('slug = "Bad Slug"\ntitle = "x"', "slug must match"),
    ('title = "x"\ndifficulty = 7', "difficulty must be"),
    ('title = "x"\nentry = "app"', "entry must look like"),
    ('title = "x"\nfiles = ["../etc/passwd"]', "must be relative"),
    ('title = "x"\nfeedback = "everything"', "feedback must be"),
    ('title = ', "challenge.toml"),
])
def test_bad_manifests(tmp_path, manifest, message):
    folder = tmp_path / "c"
    (folder / "tests").mkdir(parents=True)
    (folder / "tests" / "test_a.py").write_text("def test_a():\n    pass\n")
    (folder / "challenge.toml").write_text(manifest)
    with pytest.raises(ChallengeError, match=message):
        load_challenge(folder)


def test_manifest_globs(probe):
    assert allowed(probe, "app.py") and allowed(probe, "probe.py")
    assert not allowed(probe, "conftest.py")
    assert split_allowed(probe, ["app.py", "README.md"]) == (["app.py"], ["README.md"])


@pytest.mark.parametrize("files, message", [
    ({"conftest.py": b"x"}, "not part of this challenge"),
    ({"/etc/app.py": b"x"}, "absolute paths"),
    ({"../app.py": b"x"}, "'..'"),
    ({"app.py": b"\xff\xfe\x00"}, "not valid UTF-8"),
    ({"app.py": b"x" * (300 * 1024)}, "the limit is"),
    ({}, "No files were submitted"),
])
def test_rejected_files(probe, files, message):
    with pytest.raises(Rejected, match=message):
        validate_files(probe, files)


def test_rejected_files_become_a_verdict_without_docker(probe):
    result = grade(probe, {"evil.sh": b"rm -rf /"}, backend="local")
    assert result.status is Verdict.REJECTED
    assert "evil.sh" in result.message and result.tests == []


def test_zip_ok_and_common_folder_stripped():
    data = make_zip([("project/app.py", b"print(1)\n", None), ("project/probe.py", b"x=1\n", None)])
    assert files_from_zip(data) == {"app.py": b"print(1)\n", "probe.py": b"x=1\n"}


@pytest.mark.parametrize("entries, message", [
    ([("../app.py", b"x", None)], "'..'"),
    ([("/abs/app.py", b"x", None)], "absolute"),
    ([("app.py", b"/etc/passwd", stat.S_IFLNK | 0o777)], "symbolic link"),
])
def test_bad_archives(entries, message):
    with pytest.raises(Rejected, match=message):
        files_from_zip(make_zip(entries))


def test_not_a_zip():
    with pytest.raises(Rejected, match="could not be read as a .zip"):
        files_from_zip(b"this is not a zip file")


def test_archive_over_the_size_limit():
    with pytest.raises(Rejected, match="the limit is"):
        files_from_zip(b"PK" + b"\0" * (3 * 1024 * 1024))


def test_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("app.py", b"\0" * (5 * 1024 * 1024))
    with pytest.raises(Rejected, match="unpacks to more than"):
        files_from_zip(buffer.getvalue())
