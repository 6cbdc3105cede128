"""A web worker does not load what only rare paths need: WeasyPrint (posters, ~26 MB),
Alembic (migrations) and segno (an authenticator's QR code). Checked in a fresh process,
since this test process has imported them all long ago."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("weasyprint", "alembic", "segno")

SCRIPT = """
import json, sys
from safereport.wsgi import app
client = app.test_client()
statuses = [client.get(path).status_code for path in ("/healthz", "/kiosk/", "/")]
print(json.dumps({"statuses": statuses, "loaded": [m for m in %r if m in sys.modules]}))
"""


def test_serving_pages_imports_no_posters_migrations_or_qr_codes(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SAFEREPORT_INSTANCE_PATH": str(tmp_path),
        "SAFEREPORT_DATABASE_URL": f"sqlite:///{tmp_path / 'safereport.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT % (HEAVY,)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["statuses"] == [200, 403, 200]
    assert result["loaded"] == []
