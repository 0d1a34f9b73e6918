"""Gunicorn settings (a Python file: gunicorn -c gunicorn.conf.py wsgi:app)."""

import os

# 0.0.0.0: inside a container, 127.0.0.1 is unreachable from the outside
bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
