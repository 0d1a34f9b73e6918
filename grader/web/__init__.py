"""The server-rendered pages: blueprints, error pages and template helpers."""

from __future__ import annotations

from flask import Flask

from . import (
    admin,
    auth,
    challenges,
    courses,
    errors,
    leaderboard,
    lti,
    profile,
    quizzes,
    rendering,
    review,
    submissions,
    teacher,
)
from .access import page_context
from .headers import add_hsts, add_security_headers


def init_app(app: Flask) -> None:
    """Register the page blueprints, error pages, template filters and security headers."""
    for blueprint in (auth.bp, challenges.bp, submissions.bp, leaderboard.bp, teacher.bp,
                      profile.bp, admin.bp, courses.bp, review.bp,
                      quizzes.bp):
        app.register_blueprint(blueprint)
    lti.init_app(app)
    errors.init_app(app)
    app.context_processor(page_context)
    app.context_processor(review.navigation_context)
    app.after_request(add_security_headers)
    app.after_request(add_hsts)
    app.add_template_filter(rendering.format_datetime, "datetime")
    app.add_template_filter(rendering.iso_datetime, "isotime")
    app.add_template_filter(rendering.verdict_label, "verdict")
    app.add_template_filter(rendering.difficulty_label, "difficulty")
    app.add_template_filter(rendering.percent, "percent")
    app.add_url_rule("/", endpoint="index", view_func=challenges.home)
