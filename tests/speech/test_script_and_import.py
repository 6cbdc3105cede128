"""Recording prompts by hand: the numbered script, importing, and reporting what is missing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from safeguarding.services import Services
from speech.cache import text_key
from speech.inventory import PromptLine
from speech.overrides import PreparedRecording
from speech.render import SpeechRenderer
from speech.script import file_name, import_instance_folder, import_recordings, script_for
from storage.models import AuditEvent, PromptRecording
from tests.factories import new_establishment
from tests.speech.conftest import write_wav
from tests.support.prompts import MemoryRecordings

LINES = [
    PromptLine("start.danger", "If you are in danger now, press 1."),
    PromptLine("start.report", "To tell us about something wrong, press 2."),
    PromptLine("digit.7", "7"),
]


class Keeper:
    """Where imported recordings go (the database, in the app: see tests/ivr)."""

    def __init__(self, recordings: MemoryRecordings, cache: Path) -> None:
        self.establishment_id: int | None = None  # the installation's defaults
        self.recordings = recordings
        self.cache = cache
        self.finished: list[tuple[str, int]] = []

    @property
    def renderer(self) -> SpeechRenderer:
        return SpeechRenderer(self.cache, recordings=self.recordings)

    def keep(self, line: PromptLine, language: str, recording: PreparedRecording) -> None:
        self.recordings.blobs[recording.digest] = recording.audio
        key = (language, text_key(line.text, language))
        self.recordings.scopes.setdefault(None, {})[key] = recording.digest

    def finish(self, language: str, count: int) -> None:
        self.finished.append((language, count))


def test_the_script_numbers_each_prompt_and_names_its_file(
    renderer: SpeechRenderer,
) -> None:
    script = script_for(LINES, "so", renderer)
    assert "001  001-start.danger.wav" in script
    assert "     To tell us about something wrong, press 2." in script
    assert "003  003-digit.7.wav" in script
    assert file_name(2, LINES[1]) == "002-start.report.wav"


def test_import_keeps_good_recordings_and_reports_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "from-the-studio"
    folder.mkdir()
    write_wav(folder / "001-start.danger.wav", 2.5, amplitude=0.3)
    write_wav(folder / "002-start.report.wav", 3.0, amplitude=0.0)  # silent: rejected
    write_wav(folder / "009-nothing.wav", 1.0, amplitude=0.3)  # no such prompt
    write_wav(folder / "003-start.danger.wav", 1.0, amplitude=0.3)  # number and id disagree
    (folder / "notes.txt").write_text("not audio")
    keeper = Keeper(MemoryRecordings(), tmp_path / "cache")
    report = import_recordings(folder, LINES, "so", keeper)
    assert report.imported == ["start.danger"]
    assert report.rejected == [("002-start.report.wav", "silent")]
    assert sorted(report.unknown) == ["003-start.danger.wav", "009-nothing.wav"]
    assert report.missing == ["start.report", "digit.7"]
    assert keeper.finished == [("so", 1)]  # staff are told once per import, not per file
    assert keeper.renderer.recorded_prompt(LINES[0].text, "so") is not None
    assert "(already recorded)" in script_for(LINES, "so", keeper.renderer).splitlines()[3]


def test_recordings_an_older_release_kept_on_disk_are_brought_in(tmp_path: Path) -> None:
    """Upgrading: <instance>/prompts/<language>/<sentence key>.wav, as releases before the
    database kept them; a file whose sentence has changed since matches nothing."""
    old = tmp_path / "instance" / "prompts" / "so"
    old.mkdir(parents=True)
    write_wav(old / f"{text_key(LINES[1].text, 'so')}.wav", 2.5, amplitude=0.3)
    write_wav(old / f"{text_key('A sentence reworded since.', 'so')}.wav", 2.5, amplitude=0.3)
    keeper = Keeper(MemoryRecordings(), tmp_path / "cache")
    reports = import_instance_folder(tmp_path / "instance" / "prompts", {"so": LINES}, keeper)
    assert reports["so"].imported == ["start.report"] and len(reports["so"].unknown) == 1
    assert keeper.renderer.recorded_prompt(LINES[1].text, "so") is not None


def test_the_audio_commands(tmp_path: Path, services: Services, database_url: str) -> None:
    from safereport.cli import main

    env = {
        "SAFEREPORT_INSTANCE_PATH": str(tmp_path / "instance"),
        "SAFEREPORT_DATABASE_URL": database_url,
    }
    runner = CliRunner()
    built = runner.invoke(main, ["audio", "build", "--lang", "en"], env=env)
    assert built.exit_code == 0, built.output
    rendered = int(built.output.split(" rendered,")[0].split()[-1])
    assert rendered > 80  # every English phone prompt (some sentences serve two prompts)
    again = runner.invoke(main, ["audio", "build", "--lang", "en"], env=env)
    assert "\n0 rendered, " in again.output  # warm: everything reused
    somali = runner.invoke(main, ["audio", "build", "--lang", "so"], env=env)
    assert "so: " in somali.output and "audio script --lang so" in somali.output
    script = runner.invoke(main, ["audio", "script", "--lang", "so"], env=env)
    assert "001  001-language.entry.1.wav" in script.output
    folder = tmp_path / "so"
    folder.mkdir()
    write_wav(folder / "001-language.entry.1.wav", 2.0, amplitude=0.3)
    imported = runner.invoke(main, ["audio", "import", "--lang", "so", str(folder)], env=env)
    assert imported.exit_code == 0, imported.output
    assert "1 recordings imported for so" in imported.output
    checked = runner.invoke(main, ["audio", "check"], env=env)
    assert "en  English     complete" in checked.output
    assert "so  Somali" in checked.output and "missing" in checked.output


def test_import_for_one_establishment_or_the_installation(
    tmp_path: Path, services: Services, database_url: str
) -> None:
    """``--establishment CODE``: that prison's own recordings; without it, the defaults
    every prison hears unless it has its own. An unknown code changes nothing."""
    from safereport.cli import main

    env = {
        "SAFEREPORT_INSTANCE_PATH": str(tmp_path / "instance"),
        "SAFEREPORT_DATABASE_URL": database_url,
    }
    place = new_establishment(services, code="PRM1", name="HMP Prompts")
    other = new_establishment(services, code="PRM2", name="HMP Other")
    folder = tmp_path / "so"
    folder.mkdir()
    write_wav(folder / "001-language.entry.1.wav", 2.0, amplitude=0.3)
    runner = CliRunner()
    unknown = runner.invoke(
        main, ["audio", "import", "--lang", "so", "--establishment", "NOPE", str(folder)], env=env
    )
    assert unknown.exit_code == 2 and "NOPE" in unknown.output
    own = runner.invoke(
        main, ["audio", "import", "--lang", "so", "--establishment", "prm1", str(folder)], env=env
    )
    assert own.exit_code == 0, own.output
    with services.db.transaction() as session:
        scopes = session.scalars(select(PromptRecording.establishment_id)).all()
        [event] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "admin.prompt_recorded")
        )
    assert scopes == [place] and event.actor == "system:cli" and event.establishment_id == place
    script = runner.invoke(
        main, ["audio", "script", "--lang", "so", "--establishment", "PRM2"], env=env
    )
    assert "(already recorded)" not in script.output  # the other prison has none
    default = runner.invoke(main, ["audio", "import", "--lang", "so", str(folder)], env=env)
    assert default.exit_code == 0, default.output
    script = runner.invoke(
        main, ["audio", "script", "--lang", "so", "--establishment", "PRM2"], env=env
    )
    assert "001  001-language.entry.1.wav (already recorded)" in script.output
    with services.db.transaction() as session:
        scopes = session.scalars(select(PromptRecording.establishment_id)).all()
    assert sorted(scopes, key=lambda scope: scope or 0) == [None, place]
    assert other not in scopes
