"""The demo phone simulator: a keypad in the browser that calls the real phone line.

Demo mode only, and only while the line uses the generated demo token (never a real
Twilio token: the relay signs what the browser asks it to). The browser follows the
TwiML itself (simulator.js); each request it makes goes through ``/relay``, which signs
it with the demo token as Twilio would and hands it to the real IVR route. Voice
messages are uploaded here and served back, with the account's credentials, to the
worker that fetches them, as Twilio serves its recordings.
"""

from __future__ import annotations

import base64
import hmac
import os
import re
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
)
from flask import session as flask_session
from twilio.request_validator import RequestValidator

from ivr.prompts import inventory
from ivr.recordings import DEMO_ACCOUNT_SID
from ivr.settings import IvrSettings, current_settings
from safeguarding.call_sessions import phone_line_numbers
from speech.cache import text_key
from translations.languages import BY_CODE

RECORDINGS_FOLDER = "simulator-recordings"
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
# Carries the secret issued with the simulator page to this browser (its signed session):
# the relay signs requests only for the browser that loaded the page, and a custom header
# cannot be sent cross-site without the page's own script.
RELAY_HEADER = "X-SafeReport-Simulator"
SECRET_SESSION_KEY = "ivr_simulator_secret"  # noqa: S105 (a key name, not a secret)
_SID = re.compile(r"^RE[0-9a-f]{32}$")
_PLAYED = re.compile(r"<Play>([^<]*/audio/prompts/[^<]+)</Play>")
_TEXTS: dict[str, dict[str, str]] = {}
SAMPLE_TEXT = "This is a sample message from the phone simulator. Nothing here is real."


def make_simulator() -> Blueprint:
    bp = Blueprint(
        "ivr_simulator",
        __name__,
        url_prefix="/ivr/simulator",
        template_folder="templates",
        static_folder="static",
        static_url_path="/static",
    )
    bp.before_request(_only_with_the_demo_token)
    bp.add_url_rule("", "page", page, methods=["GET"])
    bp.add_url_rule("/relay", "relay", relay, methods=["POST"])
    bp.add_url_rule("/recordings", "upload", upload, methods=["POST"])
    bp.add_url_rule("/recordings/<sid>", "recording", recording, methods=["GET", "DELETE"])
    # Twilio's own shape, which the worker builds from the account and the RecordingSid.
    bp.add_url_rule(
        "/2010-04-01/Accounts/<account>/Recordings/<name>",
        "api_recording",
        api_recording,
        methods=["GET", "DELETE"],
    )
    bp.add_url_rule("/sample", "sample", sample, methods=["GET"])
    return bp


def _only_with_the_demo_token() -> None:
    if not current_settings().simulator:
        abort(404)


def page() -> str:
    services = current_app.extensions["safereport"]
    with services.db.transaction() as session:
        numbers = phone_line_numbers(session)
    secret = flask_session.get(SECRET_SESSION_KEY)
    if not isinstance(secret, str):
        secret = flask_session[SECRET_SESSION_KEY] = secrets.token_urlsafe(32)
    return render_template("ivr/simulator.html", numbers=numbers, relay_secret=secret)


def _from_the_simulator_page() -> bool:
    """The request carries the secret this browser was given with the simulator page."""
    expected = flask_session.get(SECRET_SESSION_KEY)
    given = request.headers.get(RELAY_HEADER, "")
    return isinstance(expected, str) and hmac.compare_digest(given.encode(), expected.encode())


def relay() -> Response:
    """Sign the browser's request as Twilio would, and give it to the real IVR route."""
    if not _from_the_simulator_page() or not request.is_json:
        abort(400)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("params", {}), dict):
        abort(400)  # a JSON array, a string for params...: not what the simulator page sends
    params = {str(k): str(v) for k, v in body.get("params", {}).items()}
    path = urlsplit(str(body.get("url", ""))).path
    query = urlsplit(str(body.get("url", ""))).query
    # Never the on-call routes: the simulator is a caller, not the person being paged.
    if not path.startswith("/ivr/") or path.startswith(("/ivr/simulator", "/ivr/oncall")):
        abort(400)
    settings = current_settings()
    base = (settings.public_base_url or request.host_url).rstrip("/")
    target = f"{base}{path}" + (f"?{query}" if query else "")
    assert settings.auth_token is not None
    signature = RequestValidator(settings.auth_token).compute_signature(target, params)
    answer = current_app.test_client().post(
        path + (f"?{query}" if query else ""),
        data=params,
        headers={"X-Twilio-Signature": signature},
        base_url=base,
    )
    twiml = answer.get_data(as_text=True)
    return jsonify(
        status=answer.status_code,
        url=target,
        twiml=twiml,
        captions=captions(twiml),
        caption_languages=caption_languages(twiml),
    )


def captions(twiml: str) -> dict[str, str]:
    """The words of each prompt played, shown beside the sound (people who cannot hear)."""
    found: dict[str, str] = {}
    for url in _PLAYED.findall(twiml):
        language, key = url.split("/")[-2], url.split("/")[-1].split(".")[0]
        text = _texts_of(language).get(key)
        if text is not None:
            found[url] = text
    return found


def caption_languages(twiml: str) -> dict[str, dict[str, str]]:
    """Each caption's language and direction, so the page marks it up (`lang`, `dir`): a
    screen reader then reads Welsh as Welsh and Arabic runs right to left."""
    found: dict[str, dict[str, str]] = {}
    for url in _PLAYED.findall(twiml):
        language = url.split("/")[-2]
        if language in BY_CODE:
            found[url] = {"lang": language, "dir": BY_CODE[language].direction}
    return found


def _texts_of(language: str) -> dict[str, str]:
    if language not in _TEXTS and language in BY_CODE:
        lines = inventory(language, BY_CODE[language].native_name)
        _TEXTS[language] = {text_key(line.text, language): line.text for line in lines}
    return _TEXTS.get(language, {})


def upload() -> Response:
    """The browser's voice message (microphone or sample): kept as Twilio would keep it."""
    if not _from_the_simulator_page():
        abort(400)
    request.max_content_length = MAX_UPLOAD_BYTES
    audio = request.get_data()
    if not audio:
        abort(400)
    sid = "RE" + secrets.token_hex(16)
    store_recording(Path(current_app.instance_path), sid, audio)
    settings = current_settings()
    base = (settings.public_base_url or request.host_url).rstrip("/")
    return jsonify(sid=sid, url=f"{base}/ivr/simulator/recordings/{sid}")


def recording(sid: str) -> Response:
    """Served only with the demo account's credentials, as Twilio serves recordings."""
    if not _SID.match(sid) or not _authorised(current_settings()):
        return Response("", status=401, headers={"WWW-Authenticate": 'Basic realm="demo"'})
    path = recordings_folder(Path(current_app.instance_path)) / sid
    if not path.exists():
        abort(404)
    if request.method == "DELETE":
        path.unlink()
        return Response("", status=204)
    return send_file(path, mimetype="application/octet-stream")


def api_recording(account: str, name: str) -> Response:
    """``.../Recordings/RE….wav`` (the media) or ``.../Recordings/RE…`` (to delete)."""
    if account != DEMO_ACCOUNT_SID:
        abort(404)
    sid, _, extension = name.partition(".")
    if extension not in ("", "wav", "mp3"):
        abort(404)
    return recording(sid)


def sample() -> Response:
    """A spoken sample message, for a browser without a microphone."""
    return Response(sample_message(current_settings()), mimetype="audio/wav")


def _authorised(settings: IvrSettings) -> bool:
    expected = f"{DEMO_ACCOUNT_SID}:{settings.auth_token}".encode()
    given = request.headers.get("Authorization", "")
    wanted = "Basic " + base64.b64encode(expected).decode()
    return hmac.compare_digest(given.encode(), wanted.encode())


def recordings_folder(instance_path: Path) -> Path:
    folder = instance_path / RECORDINGS_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def store_recording(instance_path: Path, sid: str, audio: bytes) -> None:
    folder = recordings_folder(instance_path)
    with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
        handle.write(audio)
    os.replace(handle.name, folder / sid)


def sample_message(settings: IvrSettings) -> bytes:
    path = settings.renderer.audio_for(SAMPLE_TEXT, "en", fmt="wav")
    return path.read_bytes()
