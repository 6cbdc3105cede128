"""The two ways to get posters: the administrator's download links, and the command line."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.config import Config
from storage.models import Establishment
from tests.factories import new_establishment
from tests.posters.conftest import ALL
from tests.posters.pdf import page_sizes_mm, pdf_text
from tests.triage.helpers import make_staff, signed_in_client
from tests.triage.test_commands import run  # the command line, against this database

BASE = "/triage/admin/establishments"


def test_an_admin_downloads_each_languages_poster_and_leaflet(
    app: Flask, services: Services, clock: FixedClock, establishment: Establishment
) -> None:
    admin = make_staff(services, role="admin", establishment_ids=[establishment.id])
    client = signed_in_client(app, services, admin, clock)
    settings = client.get(f"{BASE}/{establishment.id}").get_data(as_text=True)
    for language in ALL:
        for size in ("a4", "a5"):
            assert f"/posters/{language}-{size}.pdf" in settings
    response = client.get(f"{BASE}/{establishment.id}/posters/pl-a5.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "leaflet" in response.headers["Content-Disposition"]
    assert [round(side) for side in page_sizes_mm(response.data)[0]] == [148, 210]
    assert "zadzwonić na linię ochrony przed krzywdą" in " ".join(pdf_text(response.data).split())


def test_only_links_for_offered_languages_and_nothing_else_is_served(
    app: Flask, services: Services, clock: FixedClock
) -> None:
    establishment = new_establishment(services, languages="en,cy")
    admin = make_staff(services, role="admin", establishment_ids=[establishment])
    client = signed_in_client(app, services, admin, clock)
    settings = client.get(f"{BASE}/{establishment}").get_data(as_text=True)
    assert "/posters/cy-a4.pdf" in settings and "/posters/ar-a4.pdf" not in settings
    for path in ("ar-a4.pdf", "cy-a3.pdf", "xx-a4.pdf"):
        assert client.get(f"{BASE}/{establishment}/posters/{path}").status_code == 404


def test_staff_who_are_not_admins_or_not_its_admins_are_refused(
    app: Flask, services: Services, clock: FixedClock, establishment: Establishment
) -> None:
    path = f"{BASE}/{establishment.id}/posters/en-a4.pdf"
    for role in ("lead", "deputy", "governor", "auditor"):
        login = make_staff(services, role=role, establishment_ids=[establishment.id])
        response = signed_in_client(app, services, login, clock).get(path)
        assert response.status_code == 403, role
    elsewhere = new_establishment(services)
    other_admin = make_staff(services, role="admin", establishment_ids=[elsewhere])
    assert signed_in_client(app, services, other_admin, clock).get(path).status_code == 404
    signed_out = app.test_client().get(path)
    assert signed_out.status_code in (302, 303) and b"%PDF" not in signed_out.data


def test_the_command_writes_the_files(
    config: Config, establishment: Establishment, tmp_path: Path
) -> None:
    out = tmp_path / "posters"
    status, output = run(
        config, "poster", "--establishment", establishment.code.lower(),
        "--language", "ar", "--language", "pa", "--size", "a4", "--out", str(out),
    )  # fmt: skip
    assert status == 0, output
    code = establishment.code.lower()
    expected = {f"safereport-poster-{code}-{language}-a4.pdf" for language in ("ar", "pa")}
    assert {path.name for path in out.iterdir()} == expected
    assert sorted(output.split()) == sorted(str(out / name) for name in expected)
    for name in expected:
        pdf = (out / name).read_bytes()
        assert [round(side) for side in page_sizes_mm(pdf)[0]] == [210, 297]


def test_the_command_writes_both_sizes_of_every_language_by_default(
    config: Config, services: Services, tmp_path: Path
) -> None:
    created = new_establishment(services, languages="en,so")
    with services.db.transaction() as session:
        found = session.get(Establishment, created)
        assert found is not None
        code = found.code
    status, output = run(config, "poster", "--establishment", code, "--out", str(tmp_path))
    assert status == 0, output
    assert len(list(tmp_path.glob("*.pdf"))) == 4


def test_the_command_refuses_unknown_establishments_and_languages_not_offered(
    config: Config, establishment: Establishment, tmp_path: Path
) -> None:
    status, output = run(config, "poster", "--establishment", "NOPE", "--out", str(tmp_path))
    assert status == 2 and "NOPE" in output
    few = run(config, "poster", "--establishment", establishment.code, "--language", "xx",
              "--out", str(tmp_path))  # fmt: skip
    assert few[0] == 2 and "xx" in few[1]
    assert not list(tmp_path.glob("*.pdf"))
