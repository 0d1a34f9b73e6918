"""Hidden tests: the scheduler's REST API is there for admins only."""

from __future__ import annotations

import base64

import pytest


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


ADMIN = basic("admin", "change-me")


@pytest.mark.points(15)
def test_api_needs_the_admin_password(client):
    """The scheduler API refuses requests without the admin's password"""
    r = client.get("/scheduler/jobs")
    assert r.status_code != 404, "Enable the scheduler's REST API"
    assert r.status_code == 401, (
        "Anyone can list, run or delete your jobs: protect the scheduler API"
    )
    assert client.get("/scheduler/jobs", headers=basic("admin", "guess")).status_code == 401, (
        "A wrong password must be refused"
    )
    assert client.get("/scheduler/jobs", headers=basic("root", "change-me")).status_code == 401, (
        "Only the user admin may use the API"
    )
    r = client.get("/scheduler/jobs", headers=ADMIN)
    assert r.status_code == 200, "The admin, with the right password, may use the API"
    assert sorted(job["id"] for job in r.get_json()) == ["daily-report", "purge-expired"], (
        "The API lists the scheduler's jobs"
    )


@pytest.mark.points(10)
def test_admin_runs_a_job_now(client):
    """An admin can run purge-expired at once through the API"""
    client.post("/pastes", json={"text": "old", "ttl": 0})
    r = client.post("/scheduler/jobs/purge-expired/run", headers=ADMIN)
    assert r.status_code == 200, "POST /scheduler/jobs/purge-expired/run runs the job"
    assert client.get("/pastes").get_json() == {"pastes": []}, "The expired paste should be gone"


@pytest.mark.learner_env(SCHEDULER_PASSWORD="from-the-env-42")
@pytest.mark.points(5)
def test_password_from_environment(client):
    """The admin password comes from SCHEDULER_PASSWORD"""
    assert client.get("/scheduler/jobs", headers=basic("admin", "from-the-env-42")).status_code == 200, (
        "Read the admin password from the environment"
    )
    assert client.get("/scheduler/jobs", headers=ADMIN).status_code == 401, (
        "The default password must not work once SCHEDULER_PASSWORD is set"
    )
