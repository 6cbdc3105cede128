"""The prisoner's touch-screen kiosk: a Flask blueprint, its templates and static files."""

from kiosk.blueprint import make_blueprint

__all__ = ["make_blueprint"]
