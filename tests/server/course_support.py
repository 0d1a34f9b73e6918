"""Helpers for the course tests: a course with learners and an assignment, through the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from server_support import utc_z, wait_final

# The fixed clock starts here (see the `clock` fixture); the assignment is due a day later.
T0 = datetime(2026, 11, 20, 12, 0)
DUE = T0 + timedelta(days=1)
POLICY = [{"until_hours": 24, "credit": 80}, {"until_hours": 72, "credit": 50}]
COURSE = "flask-101"
SLUG = "hello-routes"


def as_api(fields: dict[str, Any]) -> dict[str, Any]:
    """Datetimes (naive UTC) as the API's ISO strings; everything else unchanged."""
    return {k: utc_z(v) if isinstance(v, datetime) else v for k, v in fields.items()}


def assign(client: FlaskClient, headers: dict[str, str], course: str = COURSE,
           challenge: str = SLUG, **fields: Any) -> Any:
    """PUT an assignment (times may be given as naive UTC datetimes)."""
    return client.put(f"/api/v1/courses/{course}/assignments/{challenge}", headers=headers,
                      json=as_api(fields))


def extend(client: FlaskClient, headers: dict[str, str], username: str,
           course: str = COURSE, challenge: str = SLUG, **fields: Any) -> Any:
    """PUT one learner's extension."""
    return client.put(f"/api/v1/courses/{course}/extensions/{username}/{challenge}",
                      headers=headers, json=as_api(fields))


def final_record(app: Any, client: FlaskClient, headers: dict[str, str], sub_id: int) -> dict:
    """The record of a submission once graded, as `headers`' owner reads it."""
    wait_final(app, sub_id)
    response = client.get(f"/api/v1/submissions/{sub_id}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@dataclass
class Course:
    """A course made through the API: its teacher's and learners' bearer headers."""

    slug: str
    code: str
    teacher: dict[str, str]
    ann: dict[str, str]
    bob: dict[str, str]


def make_course(client: FlaskClient, make_user: Any, time_zone: str = "UTC",
                **assignment: Any) -> Course:
    """`flask-101`, taught by `teach`, with ann and bob; hello-routes due at DUE with POLICY."""
    _, teacher = make_user("teach", "teacher")
    _, ann = make_user("ann")
    _, bob = make_user("bob")
    created = client.post("/api/v1/courses", headers=teacher,
                          json={"slug": COURSE, "title": "Flask 101", "time_zone": time_zone})
    assert created.status_code == 201, created.get_json()
    code = created.get_json()["join_code"]
    for learner in (ann, bob):
        assert client.post("/api/v1/courses/join", headers=learner,
                           json={"code": code}).status_code == 200
    settings = {"opens_at": T0 - timedelta(days=1), "due_at": DUE, "late_policy": POLICY,
                **assignment}
    response = assign(client, teacher, **settings)
    assert response.status_code == 200, response.get_json()
    return Course(COURSE, code, teacher, ann, bob)
