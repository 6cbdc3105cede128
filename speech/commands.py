"""``safereport audio``: build, script and import the audio a door speaks.

The group is generic: a door (the phone line) supplies what it says per language and
which languages it speaks, and gets ``build``, ``script`` and ``import`` for them.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import click

from speech.build import build_audio
from speech.inventory import Inventory, PromptLine
from speech.render import SpeechRenderer
from speech.script import import_recordings, script_for


def make_audio_group(
    *,
    inventory: Inventory,
    languages: Callable[[], list[str]],
    renderer: Callable[[], SpeechRenderer],
) -> click.Group:
    @click.group(help="Prompt audio: render it, and record prompts by hand.")
    def audio() -> None:
        pass

    @audio.command("build", help="Render every prompt in every language (reuses what exists).")
    @click.option("--lang", "only", multiple=True, help="Only these languages (repeatable).")
    def build(only: tuple[str, ...]) -> None:
        chosen = list(only) or languages()
        speaker = renderer()
        work = [(language, line) for language in chosen for line in inventory(language)]
        with click.progressbar(length=len(work), label="Rendering prompts", file=sys.stderr) as bar:
            report = build_audio(speaker, work, advance=lambda: bar.update(1))
        click.echo(f"{report.rendered} rendered, {report.reused} already there")
        missing = Counter(language for language, _prompt in report.missing)
        for language, count in sorted(missing.items()):
            click.echo(
                f"{language}: {count} prompts have no voice and no recording "
                f"(to record them: safereport audio script --lang {language})",
                err=True,
            )
        for language, prompt_id, problem in report.failed:
            click.echo(f"bad audio: {language} {prompt_id}: {problem}", err=True)
        if report.failed:
            sys.exit(1)

    @audio.command("script", help="Print the prompts of a language to record, numbered.")
    @click.option("--lang", "language", required=True)
    def script(language: str) -> None:
        speaker = renderer()
        assert speaker.recorded is not None
        click.echo(script_for(inventory(language), language, speaker.recorded))

    @audio.command("import", help="Check and keep a folder of recorded prompts (see script).")
    @click.option("--lang", "language", required=True)
    @click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
    def import_(language: str, folder: Path) -> None:
        speaker = renderer()
        assert speaker.recorded is not None
        lines: list[PromptLine] = inventory(language)
        report = import_recordings(folder, lines, language, speaker.recorded)
        click.echo(f"{len(report.imported)} recordings imported for {language}")
        for name, why in report.rejected:
            click.echo(f"rejected {name}: {why}", err=True)
        for name in report.unknown:
            click.echo(f"not a prompt of the script: {name}", err=True)
        click.echo(f"{len(report.missing)} prompts still without a recording")
        for prompt_id in report.missing:
            click.echo(f"  missing: {prompt_id}")
        if report.rejected:
            sys.exit(1)

    return audio
