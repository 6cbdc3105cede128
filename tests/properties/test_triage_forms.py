"""Property-based: the staff door never fails with a server error, whatever is typed into
sign-in, the authenticator code, the case actions, any other form or any filter."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from tests.factories import new_establishment, submit
from tests.properties.hostile import (
    CSRF_VARIANTS,
    DIGITS_OF_OTHER_SCRIPTS,
    FORM_TYPE,
    Form,
    csrf_forms,
    encode,
    forms,
)
from tests.triage.helpers import (
    PASSWORD,
    StaffLogin,
    csrf_from,
    invite,
    make_staff,
    signed_in_client,
)
from tests.triage.helpers import csrf as csrf_of_page
from triage.action_views import ACTIONS

LEAD = "{lead}"  # replaced by the signed-up lead's email address
NUMBERS = ("1", "0", "99999999999999999999", "1" * 5000, "²", "٣", "-1", DIGITS_OF_OTHER_SCRIPTS)
# Every field name a triage form or filter reads, with values that sometimes make sense.
STAFF_FIELDS: dict[str, tuple[str, ...]] = {
    "email": (LEAD, LEAD, "lead@test.safereport.invalid", "a@b", "x" * 300),
    "password": (PASSWORD, ""),
    "code": ("123456", "000000", "12345", "\uff11\uff12\uff13\uff14\uff15\uff16"),
    "confirmation": (PASSWORD,),
    "language": ("en", "cy", "xx"),
    "note_text": ("Spoke to the wing officer.", ""),
    "status": ("triaged", "investigating", "closed", "nonsense"),
    "escalate_reason": ("Staff named.",),
    "referral_agency": ("local_authority", "police", "nrm"),
    "referral_decision": ("meets_threshold", "below_threshold"),
    "referral_reason": ("Reason.",),
    "referral_consent": ("yes", "no", "maybe"),
    "referral_first_responder": ("salvation_army", "police", "nobody"),
    "message_id": ("received", "in_progress", "unknown"),
    "link_report": NUMBERS,
    "assign_staff": NUMBERS,
    "close_outcome": ("substantiated", "nope"),
    "close_note": ("Closed.",),
    "establishment": NUMBERS,
    "location": NUMBERS,
    "where": ("elsewhere", *NUMBERS),
    "role": ("lead", "deputy", "admin", "king"),
    "display_name": ("Sam Smith",),
    "name": ("HMP Gamma",),
    "phone": ("+447700900123", "07700"),
    "size": NUMBERS,
    "window": NUMBERS,
    "months": NUMBERS,
    "page": NUMBERS,
    "report": NUMBERS,
    "kiosk_idle_seconds": NUMBERS,
    "kiosk_location": NUMBERS,
    "kiosk_label": ("Wing A kiosk",),
    "line_number": ("+441234567890", "abc"),
    "line_label": ("Main line",),
    "location_name": ("Wing B",),
    "concerns": ("bullied", "x"),
    "details": ("Told me on the landing.",),
    "submission_key": ("k" * 20,),
}


@dataclass
class StaffDoor:
    app: Flask
    services: Services
    clock: FixedClock
    establishment_id: int
    report_id: int
    lead: StaffLogin
    admin: StaffLogin
    clients: dict[str, FlaskClient] = field(default_factory=dict)

    def signed_in(self, login: StaffLogin) -> FlaskClient:
        """One browser per person for the whole test: signing in hashes a password, slowly."""
        if login.email not in self.clients:
            self.clients[login.email] = signed_in_client(self.app, self.services, login, self.clock)
        return self.clients[login.email]

    def setting_up(self) -> FlaskClient:
        """A browser half-way through setting up an account: password chosen, app not yet."""
        if "setting up" not in self.clients:
            self.clients["setting up"] = _half_set_up(self)
        return self.clients["setting up"]


@pytest.fixture
def door(app: Flask, services: Services, clock: FixedClock) -> Iterator[StaffDoor]:
    establishment_id = new_establishment(services, name="HMP Alpha")
    report_id = submit(services, establishment_id).report_id
    lead = make_staff(services, role="lead", establishment_ids=[establishment_id])
    admin = make_staff(services, role="admin", establishment_ids=[establishment_id])
    yield StaffDoor(app, services, clock, establishment_id, report_id, lead, admin)


def post(client: FlaskClient, path: str, form: Form) -> TestResponse:
    return client.post(path, data=encode(form), content_type=FORM_TYPE)


@given(csrf=CSRF_VARIANTS, form=forms({k: STAFF_FIELDS[k] for k in ("email", "password", "code")}))
@example(csrf=0, form=[("email", b"\x00"), ("password", b"\x00"), ("code", b"\x00")])
@example(
    csrf=0,
    form=[("email", LEAD.encode()), ("password", PASSWORD.encode()), ("code", "١٢٣٤٥٦".encode())],
)
@example(csrf=0, form=[("email", "\ud800".encode("utf-8", "surrogatepass"))])
def test_sign_in_refuses_anything_wrong_without_failing(
    door: StaffDoor, csrf: int, form: Form
) -> None:
    client = door.app.test_client()
    token = csrf_forms(_token(client.get("/triage/sign-in")))[csrf]
    lead = door.lead.email.encode()
    form = [(name, lead if value == LEAD.encode() else value) for name, value in form]
    response = post(client, "/triage/sign-in", token + form)
    event(f"sign-in answered {response.status_code}")
    assert response.status_code in (302, 400, 413, 429), response.status_code
    if response.status_code == 302:  # only the right email, password and code sign in
        assert dict(form).get("password") == PASSWORD.encode()


@given(csrf=CSRF_VARIANTS, code=st.one_of(st.text(max_size=12), st.sampled_from(NUMBERS)))
@example(csrf=0, code="\x00")
@example(csrf=0, code="١٢٣٤٥٦")
def test_the_authenticator_code_at_setup_is_refused_clearly_when_wrong(
    door: StaffDoor, csrf: int, code: str
) -> None:
    client = door.setting_up()
    page = client.get("/triage/setup-app")
    assert page.status_code == 200
    token = csrf_forms(_token(page))[csrf]
    response = post(client, "/triage/setup-app", [*token, ("code", code.encode())])
    event(f"setup code answered {response.status_code}")
    assert response.status_code in (200, 400, 429), response.status_code


def _half_set_up(door: StaffDoor) -> FlaskClient:
    _staff_id, setup_token = invite(
        door.services, role="deputy", establishment_ids=[door.establishment_id]
    )
    client = door.app.test_client()
    page = client.get("/triage/setup")
    form = [
        ("token", setup_token.encode()),
        ("password", PASSWORD.encode()),
        ("confirmation", PASSWORD.encode()),
    ]
    answer = post(client, "/triage/setup", [*csrf_forms(_token(page))[0], *form])
    assert answer.status_code == 302, answer.status_code
    return client


def _token(response: TestResponse) -> str:
    return csrf_from(response.get_data(as_text=True))


@given(
    action=st.one_of(st.sampled_from(sorted(ACTIONS)), st.text(min_size=1, max_size=12)),
    csrf=CSRF_VARIANTS,
    form=forms(STAFF_FIELDS),
)
@example(action="link", csrf=0, form=[("link_report", b"99999999999999999999")])
@example(action="assign", csrf=0, form=[("assign_staff", "²".encode())])
def test_a_case_action_with_any_form_is_done_or_refused_without_failing(
    door: StaffDoor, action: str, csrf: int, form: Form
) -> None:
    client = door.signed_in(door.lead)
    token = csrf_forms(csrf_of_page(client))[csrf]
    path = f"/triage/reports/{door.report_id}/{quote(action, safe='')}"
    response = post(client, path, token + form)
    event(f"{action if action in ACTIONS else 'unknown action'}: {response.status_code}")
    assert response.status_code in (302, 400, 404, 405, 413), response.status_code


def staff_paths(app: Flask, method: str, door: StaffDoor) -> list[str]:
    """Every triage route taking ``method``, its ids filled in with real ones."""
    real = {
        "establishment_id": door.establishment_id,
        "report_id": door.report_id,
        "staff_id": door.lead.id,
    }
    return sorted(
        _fill(rule, real)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("triage.")
        and method in (rule.methods or ())
        and not {"token", "filename", "action"} & rule.arguments
    )


def _fill(rule: Rule, real: dict[str, int]) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", str(real.get(name, 1)))
    return path


FILTERS = ("action", "actor", "exact", "priority", "category", "channel", "mine", "overdue")
_query = st.lists(
    st.tuples(
        st.sampled_from(sorted({*STAFF_FIELDS, *FILTERS})),
        st.sampled_from(NUMBERS) | st.text(max_size=8),
    ),
    max_size=5,
)


@settings(max_examples=15)  # each example visits every page as two roles
@given(query=_query)
@example(query=[("location", "²"), ("page", "²"), ("report", "²"), ("establishment", "²")])
@example(query=[("location", "99999999999999999999"), ("report", "99999999999999999999")])
@example(query=[(name, "\x00") for name in (*FILTERS, "status", "language", "report")])
@example(query=[("exact", "1"), ("endpoint", "x"), ("_external", "1"), ("_anchor", "x")])
def test_every_staff_page_takes_any_filter_without_failing(
    door: StaffDoor, query: list[tuple[str, str]]
) -> None:
    for login in (door.lead, door.admin):
        client = door.signed_in(login)
        for path in staff_paths(door.app, "GET", door):
            response = client.get(path, query_string=query)
            assert response.status_code < 500, (login.role, path, query, response.status_code)


@settings(max_examples=15)  # each example posts to every staff form
@given(form=forms(STAFF_FIELDS, max_fields=10))
@example(form=[("kiosk_label", b"x")])
@example(form=[("name", b"x"), ("code", b"y")])
def test_every_staff_form_takes_any_fields_without_failing(door: StaffDoor, form: Form) -> None:
    client = door.signed_in(door.admin)
    token = csrf_forms(csrf_of_page(client))[0]
    for path in staff_paths(door.app, "POST", door):
        if path.endswith(("/sign-out", "/deactivate")):
            continue  # would end the session the rest of the example needs
        response = post(client, path, token + form)
        assert response.status_code < 500, (path, form, response.status_code)
