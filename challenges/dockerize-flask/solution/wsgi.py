"""The production entry point: Gunicorn imports `app` from here."""

from app import create_app

# built once at import; no app.run() here: Gunicorn serves it, and debug stays off
app = create_app()
