"""A newsletter service: the request queues a job, an RQ worker sends the mail."""

from __future__ import annotations

import json
import os

import click
import fakeredis
from flask import Flask, jsonify, request, url_for
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import Job

from jobs import send_newsletter

MAX_RECIPIENTS = 100


def connect_redis(url: str) -> Redis:
    """A Redis client; `fakeredis://` gives an in-process fake (there is no Redis server here)."""
    if url.startswith("fakeredis://"):
        return fakeredis.FakeRedis()
    return Redis.from_url(url)


def newsletter_error(data: dict) -> str | None:
    subject, recipients = data.get("subject"), data.get("recipients")
    if not isinstance(subject, str) or not subject.strip():
        return "subject must be a non-empty string"
    if (not isinstance(recipients, list) or not 1 <= len(recipients) <= MAX_RECIPIENTS
            or not all(isinstance(r, str) for r in recipients)):
        return f"recipients must be a list of 1 to {MAX_RECIPIENTS} addresses"
    return None


def job_view(job: Job) -> dict:
    result = job.latest_result()
    error = None
    if result is not None and result.exc_string:
        error = result.exc_string.strip().splitlines()[-1]
    return {"id": job.id, "status": job.get_status().value,
            "progress": {"sent": job.meta.get("sent", 0), "total": job.meta.get("total", 0)},
            "result": job.return_value(), "error": error}


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["REDIS_URL"] = os.environ.get("REDIS_URL", "fakeredis://")
    redis = app.extensions["redis"] = connect_redis(app.config["REDIS_URL"])
    queue = app.extensions["rq_queue"] = Queue("mail", connection=redis)

    @app.post("/newsletters")
    def send():
        data = request.get_json(silent=True) or {}
        error = newsletter_error(data)
        if error:
            return jsonify(error=error), 400
        job = queue.enqueue(send_newsletter, data["subject"], data["recipients"],
                            job_timeout=60, result_ttl=86400)
        location = url_for("job_status", job_id=job.id)
        return jsonify(job_id=job.id), 202, {"Location": location}

    @app.get("/jobs/<job_id>")
    def job_status(job_id: str):
        job = Job.fetch(job_id, connection=redis)
        return jsonify(job_view(job))

    @app.get("/outbox")
    def outbox():
        return jsonify([json.loads(item) for item in redis.lrange("outbox", 0, -1)])

    @app.cli.command("worker")
    def worker():
        """Run the queued jobs, then stop (burst mode)."""
        # SimpleWorker runs jobs in this process: the in-process fake Redis stays shared
        SimpleWorker([queue], connection=redis).work(burst=True, logging_level="WARNING")
        click.echo("queue empty")

    return app
