"""Server commands: db upgrade (SQLite, PostgreSQL), users create, challenges sync, runner build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from server_support import HELLO, make_app

from grader.extensions import db
from grader.models import Challenge, User

ROOT = Path(__file__).resolve().parents[2]


def flask_cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None,
              input: str | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "GRADER_INSTANCE_PATH": str(tmp_path / "instance"),
                   **(env or {})}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "grader", *args], check=False,
                          cwd=ROOT,
                          env=environment, capture_output=True, text=True, input=input,
                          timeout=120)


def table_names(url: str) -> set[str]:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    try:
        return set(sqlalchemy.inspect(engine).get_table_names())
    finally:
        engine.dispose()


EXPECTED_TABLES = {"users", "api_tokens", "challenges", "challenge_versions", "submissions",
                   "test_outcomes", "service_state", "courses", "course_members", "assignments",
                   "extensions", "lti_platforms", "lti_accounts", "lti_contexts",
                   "lti_resource_links", "lti_passbacks", "lti_launch_values", "alembic_version",
                   "score_overrides", "score_audit", "review_comments", "review_reads",
                   "similarity_runs"}


def test_db_upgrade_builds_the_schema_on_sqlite(tmp_path):
    result = flask_cli(tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert table_names(f"sqlite:///{tmp_path / 'instance' / 'grader.sqlite3'}") == EXPECTED_TABLES
    check = flask_cli(tmp_path, "db", "check")  # the models and the migrations agree
    assert check.returncode == 0, check.stderr + check.stdout


@pytest.mark.postgres
def test_schema_and_services_on_postgresql(tmp_path, monkeypatch, postgres_url, fake_runner):
    result = flask_cli(tmp_path, "db", "upgrade", env={"GRADER_DATABASE_URL": postgres_url})
    assert result.returncode == 0, result.stderr
    assert EXPECTED_TABLES <= table_names(postgres_url)
    check = flask_cli(tmp_path, "db", "check", env={"GRADER_DATABASE_URL": postgres_url})
    assert check.returncode == 0, check.stderr + check.stdout

    from server_support import submit, wait_final

    from grader.services import accounts, challenges, tokens, versions

    app = make_app(tmp_path, monkeypatch, SQLALCHEMY_DATABASE_URI=postgres_url)
    try:
        with app.app_context():
            versions.import_folder(HELLO, validate=False)
            ann = accounts.register("ann", "correct-horse-9")
            plaintext, _ = tokens.create(ann, "pg")
        client = app.test_client()
        headers = {"Authorization": f"Bearer {plaintext}"}
        sub_id = submit(client, headers).get_json()["id"]
        assert wait_final(app, sub_id).status == "passed"
        assert client.get("/api/v1/leaderboard").get_json()["rows"][0]["name"] == "ann"
        with app.app_context():
            challenge = challenges.get("hello-routes", None)
            stats = challenges.stats(challenge)
            assert stats["attempts"] == 1 and stats["pass_rate"] == 1.0
            assert "ann,100,100,1," in challenges.scores_csv(challenge)
            teach = accounts.register("teach", "correct-horse-9", role="teacher")
            teacher = {"Authorization": f"Bearer {tokens.create(teach, 'pg')[0]}"}
        _courses_on_postgresql(app, client, teacher, headers, fake_runner)
    finally:
        app.extensions["grader_queue"].shutdown()
        with app.app_context():
            db.drop_all()
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
            db.engine.dispose()


def _courses_on_postgresql(app, client, teacher: dict, learner: dict, fake_runner) -> None:
    """Courses on PostgreSQL: late credit (integer division), gradebook and course standings."""
    from datetime import timedelta

    from server_support import passing_result, submit, wait_final

    from grader.models import utcnow

    code = client.post("/api/v1/courses", headers=teacher, json={
        "slug": "pg-101", "title": "On PostgreSQL", "time_zone": "Europe/Paris"}).get_json()["code"]
    assert client.post("/api/v1/courses/join", headers=learner,
                       json={"code": code}).status_code == 200
    due = (utcnow() - timedelta(hours=2)).isoformat() + "Z"
    opens = (utcnow() - timedelta(days=1)).isoformat() + "Z"
    assert client.put("/api/v1/courses/pg-101/assignments/hello-routes", headers=teacher, json={
        "opens_at": opens, "due_at": due, "feedback_before_due": "none",
        "late_policy": [{"until_hours": 24, "credit": 75}]}).status_code == 200
    fake_runner.script = [passing_result(60)]
    sub_id = submit(client, learner, course="pg-101").get_json()["id"]
    wait_final(app, sub_id)
    record = client.get(f"/api/v1/submissions/{sub_id}", headers=learner).get_json()
    assert (record["credit"], record["credited_score"]) == (75, 45)
    book = client.get("/api/v1/courses/pg-101/gradebook", headers=teacher).get_json()
    assert book["rows"][0]["scores"] == {"hello-routes": 45}
    board = client.get("/api/v1/courses/pg-101/leaderboard", headers=learner).get_json()
    assert [(r["name"], r["score"]) for r in board["rows"]] == [("ann", 45)]


@pytest.fixture
def cli_app(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch)
    yield app
    app.extensions["grader_queue"].shutdown()


def test_users_create_with_password_stdin(cli_app):
    runner = cli_app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "mia", "--role", "teacher",
                                 "--password-stdin"], input="long-enough-pass\n")
    assert result.exit_code == 0, result.output
    assert "Created teacher 'mia'" in result.output
    with cli_app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "mia"))
        assert user.role == "teacher" and user.check_password("long-enough-pass")
        assert "long-enough-pass" not in user.password_hash


@pytest.mark.parametrize("args,stdin,code,message", [
    (["users", "create", "mia", "--role", "boss", "--password-stdin"], "long-enough-pass\n", 2,
     "Invalid value for '--role'"),
    (["users", "create", "mia", "--password-stdin"], "short\n", 1, "at least 8 characters"),
    (["users", "create", "mia", "--password-stdin"], "", 2, "no password on standard input"),
    (["users", "create", "x y", "--password-stdin"], "long-enough-pass\n", 1, "Usernames are"),
])
def test_users_create_refuses_bad_input(cli_app, args, stdin, code, message):
    result = cli_app.test_cli_runner().invoke(args=args, input=stdin)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


def test_users_create_refuses_duplicates(cli_app):
    runner = cli_app.test_cli_runner()
    runner.invoke(args=["users", "create", "mia", "--password-stdin"], input="long-enough-pass\n")
    again = runner.invoke(args=["users", "create", "MIA", "--password-stdin"],
                          input="long-enough-pass\n")
    assert again.exit_code == 1 and "already taken" in again.output


def test_challenges_sync_validates_and_versions(cli_app, tmp_path):
    root = tmp_path / "challenges"
    shutil.copytree(HELLO, root / "hello-routes")
    broken = root / "broken-one"
    shutil.copytree(HELLO, broken)
    text = (broken / "challenge.toml").read_text().replace('"hello-routes"', '"broken-one"')
    (broken / "challenge.toml").write_text(text)
    # the solution is now the starter: it cannot score full points
    shutil.copy(HELLO / "starter" / "app.py", broken / "solution" / "app.py")
    (root / "not-a-challenge").mkdir()
    runner = cli_app.test_cli_runner()
    cli_app.config["GRADER_BACKEND"] = "local"
    result = runner.invoke(args=["challenges", "sync", str(root)])
    assert result.exit_code == 1, result.output
    assert "ok     hello-routes (new v1)" in result.output
    assert "FAIL   broken-one v1: did not validate (not published)" in result.output
    with cli_app.app_context():
        broken_row = db.session.scalar(db.select(Challenge).where(Challenge.slug == "broken-one"))
        assert broken_row.published is False
        report = broken_row.current_version.report
        assert report["ok"] is False
    again = runner.invoke(args=["challenges", "sync", str(root / "..") + "/challenges",
                                "--no-check"])
    assert "ok     hello-routes (v1)" in again.output


def test_checked_sync_validates_folders_first_stored_unchecked(cli_app, tmp_path):
    root = tmp_path / "challenges"
    shutil.copytree(HELLO, root / "hello-routes")
    cli_app.config["GRADER_BACKEND"] = "local"
    runner = cli_app.test_cli_runner()
    runner.invoke(args=["challenges", "sync", str(root), "--no-check"])
    with cli_app.app_context():
        version = db.session.scalar(db.select(Challenge)).current_version
        assert version.report["skipped"]
    result = runner.invoke(args=["challenges", "sync", str(root)])
    assert result.exit_code == 0 and "ok     hello-routes (v1)" in result.output
    with cli_app.app_context():
        version = db.session.scalar(db.select(Challenge)).current_version
        assert version.report["ok"] and not version.report.get("skipped")
        assert {row["kind"] for row in version.report["rows"]} == {"solution", "starter",
                                                                   "mutant"}


def test_challenges_sync_reports_a_missing_folder(cli_app, tmp_path):
    result = cli_app.test_cli_runner().invoke(args=["challenges", "sync",
                                                    str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "No challenges folder at" in result.output


def test_runner_build_calls_the_runner(cli_app, monkeypatch):
    import runner.build

    built: list[str] = []
    monkeypatch.setattr(runner.build, "build_image", lambda tag=None, **_: built.append(tag))
    result = cli_app.test_cli_runner().invoke(args=["runner", "build"])
    assert result.exit_code == 0, result.output
    assert built == ["flask-grader-runner:latest"]


def test_commands_before_db_upgrade_say_what_to_do(cli_app):
    with cli_app.app_context():
        db.drop_all()
    result = cli_app.test_cli_runner().invoke(args=["users", "list"])
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: database error: no such table: users "
                                     "(run `flask --app grader db upgrade` first)")
