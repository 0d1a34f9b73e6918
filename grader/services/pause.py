"""Whether grading is paused because the Docker engine cannot be reached, for every process.

The state lives in the database, so the web process (which never talks to Docker) can show it
and a worker on another host can lift it.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ServiceState, iso, utcnow

log = logging.getLogger(__name__)
STATE_KEY = "grading"


def status() -> dict[str, Any]:
    """Is grading paused because the Docker engine cannot be reached? (shared by all processes)"""
    state = db.session.get(ServiceState, STATE_KEY)
    value = dict(state.value) if state else {}
    return {"paused": bool(value.get("paused")), "message": value.get("message", ""),
            "since": value.get("since")}


def set_paused(paused: bool, message: str = "", also=None) -> None:
    """Record that grading is paused (or resumed), once, whoever reports it first.

    `also`, when given, is called before each commit to stage other changes that must be
    seen together with this state (a submission going back to the queue as grading pauses):
    no reader ever sees the pause without them, or them without the pause.
    """
    # Several workers may report at once: the loser of an insert race simply re-reads.
    for _ in range(3):
        if also is not None:
            also()
        state = db.session.get(ServiceState, STATE_KEY)
        current = bool(state.value.get("paused")) if state is not None else False
        if current == paused:
            if also is not None:
                db.session.commit()
            return
        value = {"paused": paused, "message": message,
                 "since": iso(utcnow()) if paused else None}
        try:
            if state is None:
                db.session.add(ServiceState(key=STATE_KEY, value=value))
            else:
                state.value = value
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        if paused:
            log.warning("grading paused: %s", message)
        else:
            log.info("grading resumed")
        return
