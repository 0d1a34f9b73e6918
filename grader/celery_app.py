"""The Celery application (GRADER_QUEUE=celery): the broker settings and the task's name.

The web process sends jobs by name through this object; `grader.tasks` is the worker's entry
point that defines the task (`celery -A grader.tasks worker`).
"""

from __future__ import annotations

import os

from celery import Celery

GRADE_TASK = "grader.grade"
SIMILARITY_TASK = "grader.similarity"

celery_app = Celery("grader")
celery_app.conf.update(
    broker_url=os.environ.get("GRADER_REDIS_URL") or "redis://127.0.0.1:6379/0",
    task_acks_late=True,  # a job whose worker dies is delivered again
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)
