"""The production entry point: Gunicorn imports `app` from here."""

from app import create_app

app = create_app()
app.debug = True
