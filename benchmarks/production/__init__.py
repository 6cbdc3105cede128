"""Load and fault runs against the production shape: gunicorn over loopback HTTP."""
