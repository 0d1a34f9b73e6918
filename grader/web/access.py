"""Who may see what: role guards for views, and what every page needs to know."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, current_app
from flask_login import current_user, login_required

from .. import statuses
from ..services import pause

View = TypeVar("View", bound=Callable[..., Any])


def teacher_required(view: View) -> View:
    """Sign-in first, then 403 for anyone who is not a teacher or an admin."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_teacher:
            abort(403)
        return view(*args, **kwargs)

    return login_required(guarded)  # type: ignore[return-value]


def admin_required(view: View) -> View:
    """Sign-in first, then 403 for anyone who is not an admin."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return login_required(guarded)  # type: ignore[return-value]


def page_context() -> dict[str, Any]:
    """Template globals: the status vocabulary (for the scripts) and whether grading is paused."""
    context: dict[str, Any] = {"status_vocabulary": statuses.vocabulary()}
    try:
        state = pause.status()
    except Exception:  # the banner must never take a page down with it
        current_app.logger.exception("could not read the grading status")
        return {**context, "grading_paused": False, "grading_paused_reason": ""}
    return {**context, "grading_paused": bool(state.get("paused")),
            "grading_paused_reason": state.get("message") or "the grader is unavailable"}
