"""``safereport check``: what an operator must know before go-live and after every change.

Each check returns findings: ``ok``, ``missing`` (production must not run like this) or
``risky`` (it runs, but someone should look). ``--production`` is stricter: what is only
risky on a developer's machine (a plain-http public URL, no way to send alerts) is missing
there. ``safereport serve --production`` runs the same checks and refuses to start while
anything is missing.
"""

from __future__ import annotations

from safereport.checks.findings import Finding, Status, blocking, format_findings
from safereport.checks.runner import run_checks

__all__ = ["Finding", "Status", "blocking", "format_findings", "run_checks"]
