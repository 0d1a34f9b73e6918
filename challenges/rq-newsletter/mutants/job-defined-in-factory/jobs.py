"""Jobs that an RQ worker runs, in its own process, long after the request has answered."""

from __future__ import annotations

import json

from redis import Redis
from rq import get_current_job


def deliver(connection: Redis, subject: str, address: str) -> None:
    """Send one message; ValueError for an address that cannot receive mail."""
    if "@" not in address:
        raise ValueError(f"bad address: {address}")
    connection.rpush("outbox", json.dumps({"to": address, "subject": subject}))


def send_newsletter(subject: str, recipients: list[str]) -> dict:
    """Send the newsletter to each recipient, saving progress as it goes."""
    job = get_current_job()
    job.meta.update(sent=0, total=len(recipients))
    job.save_meta()
    for sent, address in enumerate(recipients, start=1):
        deliver(job.connection, subject, address)
        job.meta["sent"] = sent
        # meta lives in Redis: without save_meta() nobody else ever sees the progress
        job.save_meta()
    return {"sent": len(recipients)}
