"""SafeReport: the composition root (app factory, configuration, command line)."""

from safereport.app import create_app

__all__ = ["create_app"]
