"""Persistence for SafeReport: models, repositories, migrations and encryption at rest.

Nothing here imports Flask or any other SafeReport package.
"""
