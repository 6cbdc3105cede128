"""`safereport demo --print-urls` prints the address the demo is really serving on."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from safereport.cli import main
from safereport.demo_address import address_file, remember_address, serving_address


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def print_urls(env: dict[str, str], *args: str) -> dict[str, str]:
    result = CliRunner().invoke(main, ["demo", "--print-urls", *args], env=env)
    assert result.exit_code == 0, result.output
    urls: dict[str, str] = json.loads(result.output)
    return urls


def test_print_urls_uses_the_port_of_the_demo_serving_now(
    tmp_path: Path, database_url: str
) -> None:
    instance = tmp_path / "instance"
    env = {"SAFEREPORT_INSTANCE_PATH": str(instance), "SAFEREPORT_DATABASE_URL": database_url}
    assert print_urls(env)["triage"] == "http://127.0.0.1:5000/triage/"  # nothing serving
    port = free_port()
    serving = subprocess.Popen(
        [sys.executable, "-c", "from safereport.cli import main; main()", "demo", "--port",
         str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not address_file(instance).exists():
            assert serving.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        urls = print_urls(env)
        assert urls["triage"] == f"http://127.0.0.1:{port}/triage/"
        assert urls["kiosk"].startswith(f"http://127.0.0.1:{port}/kiosk/enrol#")
        assert print_urls(env, "--port", "8123")["triage"] == "http://127.0.0.1:8123/triage/"
    finally:
        serving.send_signal(signal.SIGINT)  # as Ctrl+C: the demo forgets its address
        serving.wait(timeout=30)
    assert not address_file(instance).exists()
    assert print_urls(env)["triage"] == "http://127.0.0.1:5000/triage/"


def test_an_address_left_by_a_demo_that_died_is_ignored(tmp_path: Path) -> None:
    remember_address(tmp_path, "127.0.0.1", 5173)
    assert serving_address(tmp_path, None, None) == ("127.0.0.1", 5173)  # we are alive
    record = json.loads(address_file(tmp_path).read_text())
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    address_file(tmp_path).write_text(json.dumps({**record, "pid": dead.pid}))
    assert serving_address(tmp_path, None, None) == ("127.0.0.1", 5000)
