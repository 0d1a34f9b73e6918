"""Gunicorn settings (a Python file: gunicorn -c gunicorn.conf.py wsgi:app)."""
