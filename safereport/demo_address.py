"""Where the running demo serves, so that ``safereport demo --print-urls`` prints the
address people can really open (not the default port when the demo runs on another)."""

from __future__ import annotations

import json
import os
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


def address_file(instance_path: Path) -> Path:
    return instance_path / "demo-address.json"


def remember_address(instance_path: Path, host: str, port: int) -> None:
    """Written by the serving demo before it starts (replaced atomically)."""
    instance_path.mkdir(parents=True, exist_ok=True)
    path = address_file(instance_path)
    written = path.with_name(f".{path.name}-{os.getpid()}")
    written.write_text(json.dumps({"host": host, "port": port, "pid": os.getpid()}))
    os.replace(written, path)


def forget_address(instance_path: Path) -> None:
    """Removed when that demo stops, unless another demo has written its own since."""
    path = address_file(instance_path)
    if _read(path).get("pid") == os.getpid():
        path.unlink(missing_ok=True)


def serving_address(instance_path: Path, host: str | None, port: int | None) -> tuple[str, int]:
    """The host and port given, else those of the demo serving now, else the defaults."""
    running = _read(address_file(instance_path))
    if not _alive(running.get("pid")):
        running = {}
    chosen_host = host or str(running.get("host") or DEFAULT_HOST)
    recorded = running.get("port")
    if port is None:
        port = recorded if isinstance(recorded, int) else DEFAULT_PORT
    return chosen_host, port


def _read(path: Path) -> dict[str, object]:
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
