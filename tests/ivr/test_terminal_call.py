"""`safereport call`: the documented example does what the docs say on the demo's line, and a
code typed with the hash key works, as it does on Twilio (issue 19.2, 19.3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from ivr.commands import call as call_command
from ivr.phone import TerminalCaller, run_call, twilio_digits
from safeguarding.services import Services
from safereport.demo import DEMO_PHONE_NUMBER, ensure_demo
from storage.models import Report
from tests.factories import submit
from translations.languages import offerable_languages

REPO = Path(__file__).resolve().parents[2]
_EXAMPLE = re.compile(r"safereport call --keys '?([0-9a-z,*#]+)'?")
# What every documented example is said to do (docs/phone-line.md "Try it without Twilio").
EXAMPLE_CONCERN = "made_to_pay"


def documented_examples() -> set[str]:
    """Every `safereport call --keys ...` in the README, docs/ and the command's --help."""
    texts = [(REPO / "README.md").read_text()]
    texts += [path.read_text() for path in (REPO / "docs").glob("*.md")]
    texts.append(CliRunner().invoke(call_command, ["--help"]).output.replace("\n", " "))
    help_example = re.search(r"e\.g\.\s+'([^']+)'", texts[-1])
    found = {match for text in texts for match in _EXAMPLE.findall(text)}
    return found | ({help_example.group(1)} if help_example else set())


def call(app: Flask, keys: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    ended = run_call(app, to=DEMO_PHONE_NUMBER, caller=TerminalCaller(scripted=keys.split(",")))
    return ended, capsys.readouterr().out


@pytest.fixture
def demo(services: Services) -> int:
    return ensure_demo(services, languages=offerable_languages()).establishment_id


def test_the_docs_show_one_example_and_the_help_the_same(demo: int) -> None:
    assert len(documented_examples()) == 1, documented_examples()


@pytest.mark.parametrize("keys", sorted(documented_examples()))
def test_the_documented_example_makes_the_report_the_docs_describe(
    app: Flask, services: Services, demo: int, keys: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ended, said = call(app, keys, capsys)
    assert "Sorry" not in said, said  # no key was a wrong key
    assert "Your code is:" in said, said
    with services.db.transaction() as session:
        report = session.scalars(select(Report).where(Report.establishment_id == demo)).one()
        assert report.channel == "phone"
        concerns = [a.answer for a in report.answers if a.question == "concern"]
        assert concerns == [EXAMPLE_CONCERN], [(a.question, a.answer) for a in report.answers]
        assert report.priority == "standard"  # the example pages nobody
        assert [recording.duration_seconds for recording in report.recordings] == [20]
    assert ended


def test_a_code_typed_with_the_hash_key_finds_the_report(
    app: Flask, services: Services, demo: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code = submit(services, demo).code
    _ended, said = call(app, f"1,3,{code}#,h", capsys)
    assert "did not work" not in said, said
    assert "Your report has been received. Nobody has read it yet." in said, said


@pytest.mark.parametrize(
    ("keys", "num_digits", "finish", "sent"),
    [
        ("1234#", "12", "#", "1234"),  # Twilio never sends the finishing key
        ("#", "12", "#", ""),
        ("12", "1", "", "1"),  # one key wanted: the rest is not sent
        ("1#2", None, None, "1"),  # no finishOnKey attribute: Twilio's default is #
    ],
)
def test_digits_are_what_twilio_sends(
    keys: str, num_digits: str | None, finish: str | None, sent: str
) -> None:
    assert twilio_digits(keys, num_digits, finish) == sent
