"""Reports computed while the request waits. Move the work to a Celery task."""

from __future__ import annotations

from statistics import mean

from flask import Flask, current_app, jsonify, request

MAX_NUMBERS = 1000


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
    app.config.from_mapping(REPORT_UNIT="EUR")
    if test_config:
        app.config.update(test_config)

    @app.post("/reports")
    def start_report():
        numbers = (request.get_json(silent=True) or {}).get("numbers")
        error = numbers_error(numbers)
        if error:
            return jsonify(error=error), 400
        return jsonify(summarize(numbers)), 200

    return app
