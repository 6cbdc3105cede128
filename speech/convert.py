"""Converting audio: sox for WAV and MP3 (fast to start), ffmpeg for anything else.

The input's format is never guessed by sox or ffmpeg: its magic bytes must be allow-listed
audio (speech/sniff.py), and the tool is told that one format (``-t`` / ``-f``). ffmpeg may
open local files only (``-protocol_whitelist file``). Without this, an upload that is an
HLS or concat playlist makes ffmpeg read whatever other file or address it names, and the
result is kept and played to callers.

MP3 is what Twilio <Play> and browsers get; plain 16-bit PCM WAV is what we check and
keep recorded prompts as. Trimming removes the silence before and after speech, keeping
0.2 s after it so that prompts played one after another still sound like sentences.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from array import array
from pathlib import Path

from speech.sniff import AudioKind, sniff_audio


class ConversionError(Exception):
    """sox or ffmpeg could not read or write the audio."""


SOX_READS = ("wav", "mp3")  # sniffed kinds sox reads itself
# Quieter than -45 dB for 0.05 s at either end is silence (sox and ffmpeg spellings).
_SOX_TRIM = ["silence", "1", "0.05", "-45d", "reverse", "silence", "1", "0.05", "-45d", "reverse"]
_SOX_PAD = ["pad", "0", "0.2"]
_FFMPEG_TRIM = (
    "silenceremove=start_periods=1:start_threshold=-45dB,areverse,"
    "silenceremove=start_periods=1:start_threshold=-45dB,areverse,apad=pad_dur=0.2"
)


def _program(name: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise ConversionError(f"{name} is not installed (see scripts/bootstrap)")
    return program


def _run(command: list[str]) -> None:
    # Fixed arguments and paths we chose: no untrusted input reaches the command line.
    result = subprocess.run(command, capture_output=True, timeout=120)  # noqa: S603
    if result.returncode != 0:
        raise ConversionError(result.stderr.decode(errors="replace")[-300:])


def sniff_file(source: Path) -> AudioKind:
    """The allow-listed audio kind of ``source`` by its bytes, or ConversionError."""
    with source.open("rb") as handle:
        kind = sniff_audio(handle.read(8192))
    if kind is None:
        raise ConversionError("not a recording in a format we accept")
    return kind


def _sox(
    source: Path, kind: AudioKind, destination: Path, options: list[str], effects: list[str]
) -> None:
    sox = _program("sox")
    _run([sox, "-V1", "-t", kind.extension, str(source), *options, str(destination), *effects])


def _ffmpeg(source: Path, kind: AudioKind, destination: Path, arguments: list[str]) -> None:
    ffmpeg = _program("ffmpeg")
    read = ["-protocol_whitelist", "file", "-f", kind.ffmpeg_format, "-i", str(source)]
    _run([ffmpeg, "-nostdin", "-loglevel", "error", "-y", *read, *arguments, str(destination)])


def to_mp3(source: Path, destination: Path, *, trim: bool = False) -> None:
    """Mono 22.05 kHz MP3 at 32 kbit/s: small, and clear enough for a phone line."""
    kind = sniff_file(source)
    if kind.extension in SOX_READS:
        effects = [*_SOX_TRIM, *_SOX_PAD] if trim else []
        options = ["-t", "mp3", "-C", "32", "-c", "1", "-r", "22050"]
        _sox(source, kind, destination, options, effects)
        return
    filters = ["-af", _FFMPEG_TRIM] if trim else []
    encode = ["-ac", "1", "-ar", "22050", "-codec:a", "libmp3lame", "-b:a", "32k", "-f", "mp3"]
    _ffmpeg(source, kind, destination, [*filters, *encode])


def to_pcm_wav(source: Path, destination: Path, *, rate: int = 22050) -> None:
    """Any audio we can read, as mono 16-bit PCM WAV."""
    kind = sniff_file(source)
    if kind.extension in SOX_READS:
        _sox(
            source,
            kind,
            destination,
            ["-t", "wav", "-b", "16", "-e", "signed", "-c", "1", "-r", str(rate)],
            [],
        )
        return
    _ffmpeg(
        source, kind, destination, ["-ac", "1", "-ar", str(rate), "-c:a", "pcm_s16le", "-f", "wav"]
    )


def trim_silence(source: Path, destination: Path) -> None:
    """Cut the silence espeak (or a person) leaves before and after speaking."""
    if _trim_pcm16_in_python(source, destination):
        return
    kind = sniff_file(source)
    if kind.extension in SOX_READS:
        options = ["-t", "wav", "-b", "16", "-e", "signed", "-c", "1"]
        _sox(source, kind, destination, options, [*_SOX_TRIM, *_SOX_PAD])
        return
    arguments = ["-af", _FFMPEG_TRIM, "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav"]
    _ffmpeg(source, kind, destination, arguments)


_SILENT_BELOW = int(32768 * 10 ** (-45 / 20))  # -45 dB of full scale
_LEAD_SECONDS = 0.05  # kept before the first sound, so no consonant is clipped
_PAD_SECONDS = 0.2


def _trim_pcm16_in_python(source: Path, destination: Path) -> bool:
    """espeak's own output (mono 16-bit PCM) is trimmed here: no process to start."""
    try:
        with wave.open(str(source), "rb") as audio:
            if audio.getsampwidth() != 2 or audio.getnchannels() != 1:
                return False
            rate = audio.getframerate()
            samples = array("h", audio.readframes(audio.getnframes()))
    except (wave.Error, EOFError):
        return False
    first = next((i for i, s in enumerate(samples) if abs(s) > _SILENT_BELOW), None)
    if first is None:
        first, last = 0, len(samples)  # all silence: leave it for the checks to reject
    else:
        last = len(samples) - next(
            i for i, s in enumerate(reversed(samples)) if abs(s) > _SILENT_BELOW
        )
    start = max(0, first - int(_LEAD_SECONDS * rate))
    kept = samples[start:last] + array("h", bytes(2 * int(_PAD_SECONDS * rate)))
    with wave.open(str(destination), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(kept.tobytes())
    return True
