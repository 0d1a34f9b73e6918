"""Uploads whose zip headers lie are refused at the API, before anything is stored or graded."""

from __future__ import annotations

import io
import struct
import zipfile

from grader.extensions import db
from grader.models import Submission

BOMB = b"\0" * (50 << 20)


def lying_zip(name: str) -> bytes:
    """A 50 MB member that claims to be 100 bytes, in both of its headers."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as made:
        made.writestr(name, BOMB)
    data = bytearray(out.getvalue())
    struct.pack_into("<L", data, 22, 100)
    struct.pack_into("<L", data, data.rindex(b"PK\x01\x02") + 24, 100)
    return bytes(data)


def test_a_submission_archive_that_lies_is_refused(app, client, student, fake_runner):
    reply = client.post("/api/v1/submissions", headers=student,
                        data={"challenge": "hello-routes",
                              "archive": (io.BytesIO(lying_zip("app.py")), "project.zip")},
                        content_type="multipart/form-data")
    assert reply.status_code == 400, reply.get_json()
    error = reply.get_json()["error"]
    assert error["code"] == "bad_archive"
    assert error["message"] == "'app.py' in the archive unpacks to more than its header says"
    assert fake_runner.calls == []
    with app.app_context():
        assert db.session.query(Submission).count() == 0


def test_a_challenge_archive_that_lies_is_refused(client, teacher):
    reply = client.post("/api/v1/challenges", headers=teacher,
                        data={"archive": (io.BytesIO(lying_zip("challenge.toml")), "c.zip")},
                        content_type="multipart/form-data")
    assert reply.status_code == 400
    assert reply.get_json()["error"]["code"] == "bad_archive"
