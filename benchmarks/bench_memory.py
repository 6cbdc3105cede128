"""Resident memory of one web worker as gunicorn runs it (``safereport.wsgi``), idle and
after a number of requests, against a bare Flask app in the same kind of process.

Each figure is measured in a fresh process (``python -c``), so what an earlier
measurement imported does not count. Give ``--tree`` to measure another checkout.

    .venv/bin/python -m benchmarks.bench_memory [--requests 216] [--tree /path/to/tree]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import write_result

_RSS = """
def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
"""

WORKER = (
    _RSS
    + """
import json, sys
from safereport.wsgi import app
idle = rss_mb()
client = app.test_client()
paths = ["/", "/healthz", "/kiosk/", "/triage/sign-in", "/kiosk/static/kiosk.css"]
for i in range(int(sys.argv[1])):
    client.get(paths[i % len(paths)])
print(json.dumps({"idle_mb": round(idle, 1), "after_mb": round(rss_mb(), 1)}))
"""
)

BARE = (
    _RSS
    + """
import json
from flask import Flask
app = Flask("bare")
app.get("/")(lambda: "hello")
print(json.dumps({"idle_mb": round(rss_mb(), 1)}))
"""
)


def run(code: str, tree: Path, env: dict[str, str], *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=216)
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "PYTHONPATH": str(args.tree),
            "SAFEREPORT_INSTANCE_PATH": tmp,
            "SAFEREPORT_DATABASE_URL": f"sqlite:///{tmp}/memory.db",
        }
        worker = run(WORKER, args.tree, env, str(args.requests))
        bare = run(BARE, args.tree, env)
    result = {"tree": str(args.tree), "requests": args.requests, "worker": worker, "bare": bare}
    print(json.dumps(result))
    write_result("memory", result)


if __name__ == "__main__":
    main()
