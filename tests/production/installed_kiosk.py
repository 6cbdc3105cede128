"""Run by test_wheel.py with a fresh virtual environment's Python: serve the kiosk in Welsh
and in Arabic from the installed package, and print each page and where kiosk/ came from."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import kiosk
from safereport.app import create_app
from safereport.config import Config
from safereport.demo import ensure_demo
from safereport.services import build_services
from storage.db import make_engine
from storage.migrate import upgrade


def main(folder: Path) -> None:
    url = f"sqlite:///{folder / 'safereport.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    config = Config(instance_path=folder / "instance", database_url=url, testing=True)
    services = build_services(config)
    links = ensure_demo(services, languages=["en", "cy", "ar"])
    client = create_app(config, services=services).test_client()
    client.post("/kiosk/enrol", data={"token": links.kiosk_enrolment_token})
    choose = client.get("/kiosk/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', choose)
    assert token is not None, choose
    pages = {}
    for code in ("cy", "ar"):
        answer = client.post(
            "/kiosk/language",
            data={"language": code, "csrf_token": token[1]},
            follow_redirects=True,
        )
        pages[code] = answer.get_data(as_text=True)
    services.db.dispose()
    print(json.dumps({"kiosk": kiosk.__file__, "pages": pages}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
