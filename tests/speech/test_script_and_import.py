"""Recording prompts by hand: the numbered script, importing, and reporting what is missing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from speech.inventory import PromptLine
from speech.overrides import RecordedPrompts
from speech.script import file_name, import_recordings, script_for
from tests.speech.conftest import write_wav

LINES = [
    PromptLine("start.danger", "If you are in danger now, press 1."),
    PromptLine("start.report", "To tell us about something wrong, press 2."),
    PromptLine("digit.7", "7"),
]


def test_the_script_numbers_each_prompt_and_names_its_file(tmp_path: Path) -> None:
    recorded = RecordedPrompts(tmp_path / "prompts")
    script = script_for(LINES, "so", recorded)
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
    recorded = RecordedPrompts(tmp_path / "prompts")
    report = import_recordings(folder, LINES, "so", recorded)
    assert report.imported == ["start.danger"]
    assert report.rejected == [("002-start.report.wav", "silent")]
    assert sorted(report.unknown) == ["003-start.danger.wav", "009-nothing.wav"]
    assert report.missing == ["start.report", "digit.7"]
    assert recorded.find(LINES[0].text, "so") is not None
    assert "(already recorded)" in script_for(LINES, "so", recorded).splitlines()[3]


def test_the_audio_commands(tmp_path: Path) -> None:
    from safereport.cli import main

    env = {"SAFEREPORT_INSTANCE_PATH": str(tmp_path / "instance")}
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
