"""The WSGI entry point for gunicorn: ``gunicorn safereport.wsgi:app``."""

from safereport.app import create_app
from safereport.logs import configure_logging

configure_logging()
app = create_app()
