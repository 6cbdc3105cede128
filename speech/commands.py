"""``safereport audio``: build, script and import the audio a door speaks.

The group does not import a door: the phone line supplies its prompts per language, which
languages it speaks and where recordings are kept (a ``PromptKeeper`` per establishment
code, or for the installation's defaults without one); the kiosk's sentences come in as
``more`` (one establishment's, to record) and ``everywhere`` (every establishment's, to
render ahead of the first Listen). It gives ``build``, ``script``, ``import`` and
``import-instance`` for them.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import click

from speech.build import BuildReport, build_audio_in_parallel, default_workers
from speech.cache import AudioFormat
from speech.inventory import (
    Everywhere,
    Inventory,
    PlaceInventory,
    PromptLine,
    merged,
    no_more,
    nowhere,
)
from speech.render import SpeechRenderer
from speech.script import (
    ImportReport,
    PromptKeeper,
    import_instance_folder,
    import_recordings,
    script_for,
)

# The phone plays MP3 (Twilio's <Play>); the kiosk's Listen joins WAV clips (kiosk.listen).
DOORS = ("phone", "kiosk")
FORMATS: dict[str, AudioFormat] = {"phone": "mp3", "kiosk": "wav"}
LABELS = {"phone": "Rendering phone prompts", "kiosk": "Rendering kiosk sentences"}

ESTABLISHMENT_HELP = (
    "The establishment's code: its own recordings. Without it, the installation's "
    "defaults, heard wherever an establishment has none of its own."
)


def make_audio_group(
    *,
    inventory: Inventory,
    languages: Callable[[], list[str]],
    renderer: Callable[[], SpeechRenderer],
    keeper: Callable[[str | None], PromptKeeper],
    more: PlaceInventory = no_more,
    everywhere: Everywhere = nowhere,
) -> click.Group:
    def lines_of(language: str, kept: PromptKeeper) -> list[PromptLine]:
        return merged(inventory(language), more(language, kept.establishment_id))

    @click.group(help="Prompt audio: render it, and record prompts by hand.")
    def audio() -> None:
        pass

    @audio.command(
        "build",
        help="Render every phone prompt (MP3, every language) and every sentence the kiosk's "
        "Listen says (WAV, in the languages each establishment offers); reuses what exists.",
    )
    @click.option("--lang", "only", multiple=True, help="Only these languages (repeatable).")
    @click.option(
        "--door",
        "doors",
        type=click.Choice(DOORS),
        multiple=True,
        help="Only this door's sentences (repeatable; default: both).",
    )
    @click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=None,
        help="Processes rendering at once (default: one per core).",
    )
    def build(only: tuple[str, ...], doors: tuple[str, ...], workers: int | None) -> None:
        chosen = list(only) or languages()
        report = BuildReport()
        for door in doors or DOORS:
            if door == "phone":
                work = [(language, line) for language in chosen for line in inventory(language)]
            else:
                work = everywhere(chosen)
            with click.progressbar(length=len(work), label=LABELS[door], file=sys.stderr) as bar:
                report.add(
                    build_audio_in_parallel(
                        renderer,
                        work,
                        workers=workers or default_workers(),
                        fmt=FORMATS[door],
                        advance=bar.update,
                    )
                )
        _tell_built(report)

    @audio.command("script", help="Print the prompts of a language to record, numbered.")
    @click.option("--lang", "language", required=True)
    @click.option("--establishment", "code", default=None, help=ESTABLISHMENT_HELP)
    def script(language: str, code: str | None) -> None:
        kept = keeper(code)
        click.echo(script_for(lines_of(language, kept), language, kept.renderer))

    @audio.command("import", help="Check and keep a folder of recorded prompts (see script).")
    @click.option("--lang", "language", required=True)
    @click.option("--establishment", "code", default=None, help=ESTABLISHMENT_HELP)
    @click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
    def import_(language: str, code: str | None, folder: Path) -> None:
        kept = keeper(code)
        report = import_recordings(folder, lines_of(language, kept), language, kept)
        click.echo(f"{len(report.imported)} recordings imported for {language}")
        _tell(report)
        click.echo(f"{len(report.missing)} prompts still without a recording")
        for prompt_id in report.missing:
            click.echo(f"  missing: {prompt_id}")
        if report.rejected:
            sys.exit(1)

    @audio.command(
        "import-instance",
        help="Bring recordings an older release kept on disk (<instance>/prompts) into the "
        "database, as the installation's defaults (or one establishment's).",
    )
    @click.option("--establishment", "code", default=None, help=ESTABLISHMENT_HELP)
    @click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
    def import_instance(code: str | None, folder: Path) -> None:
        kept = keeper(code)
        every = {language: lines_of(language, kept) for language in languages()}
        reports = import_instance_folder(folder, every, kept)
        for language, report in sorted(reports.items()):
            click.echo(f"{len(report.imported)} recordings imported for {language}")
            _tell(report)
        if any(report.rejected for report in reports.values()):
            sys.exit(1)

    return audio


def _tell_built(report: BuildReport) -> None:
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


def _tell(report: ImportReport) -> None:
    for name, why in report.rejected:
        click.echo(f"rejected {name}: {why}", err=True)
    for name in report.unknown:
        click.echo(f"not a prompt of the script: {name}", err=True)
