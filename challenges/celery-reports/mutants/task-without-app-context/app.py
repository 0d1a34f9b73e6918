"""Reports computed by Celery workers: the request queues a task and answers at once."""

from __future__ import annotations

from statistics import mean

from celery import Celery, shared_task
from celery.result import AsyncResult
from flask import Flask, current_app, jsonify, request, url_for

MAX_NUMBERS = 1000


def celery_init_app(app: Flask) -> Celery:
    """A Celery app whose tasks run inside this Flask app's context."""

    celery_app = Celery(app.name)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


@shared_task(ignore_result=False)
def summarize(numbers: list[float]) -> dict:
    """Count, total and mean of the numbers, in the configured unit."""
    return {"count": len(numbers), "total": sum(numbers), "mean": mean(numbers),
            "unit": current_app.config["REPORT_UNIT"]}


def numbers_error(numbers: object) -> str | None:
    if (not isinstance(numbers, list) or not 1 <= len(numbers) <= MAX_NUMBERS
            or not all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in numbers)):
        return f"numbers must be a list of 1 to {MAX_NUMBERS} numbers"
    return None


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        REPORT_UNIT="EUR",
        # the sandbox has no Redis: Kombu's in-memory broker and an in-memory result store
        CELERY={"broker_url": "memory://", "result_backend": "cache+memory://",
                "task_ignore_result": True},
    )
    if test_config:
        app.config.update(test_config)
    celery_init_app(app)

    @app.post("/reports")
    def start_report():
        numbers = (request.get_json(silent=True) or {}).get("numbers")
        error = numbers_error(numbers)
        if error:
            return jsonify(error=error), 400
        result = summarize.delay(numbers)
        return jsonify(task_id=result.id), 202, {"Location": url_for("report", task_id=result.id)}

    @app.get("/reports/<task_id>")
    def report(task_id: str):
        result = AsyncResult(task_id, app=app.extensions["celery"])
        return jsonify(task_id=task_id, state=result.state, ready=result.ready(),
                       result=result.result if result.successful() else None)

    return app
