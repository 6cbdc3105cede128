"""Every phone-line webhook must carry a valid X-Twilio-Signature, or it is refused.

The signature covers the exact URL Twilio called (scheme, host, path and query) and the
posted fields, under the account's auth token. Behind a TLS proxy, set
SAFEREPORT_PUBLIC_BASE_URL or SAFEREPORT_TRUSTED_PROXY_HOPS so that the URL we check is
the public one. There is no bypass, in development or anywhere else.
"""

from __future__ import annotations

from flask import Response, request
from twilio.request_validator import RequestValidator, get_signature_algorithm

from ivr.settings import current_settings

SIGNATURE_HEADER = "X-Twilio-Signature"
SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"


def public_url() -> str:
    """The URL as the caller of this request (Twilio) addressed it."""
    base = current_settings().public_base_url
    if not base:
        return request.url
    query = request.query_string.decode("latin-1")
    return base.rstrip("/") + request.path + (f"?{query}" if query else "")


def signed_by_twilio() -> bool:
    token = current_settings().auth_token
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not token or not signature:
        return False
    algorithm = get_signature_algorithm(request.headers.get(SETTINGS_HEADER))
    params = request.form if request.method == "POST" else {}
    return bool(RequestValidator(token).validate(public_url(), params, signature, algorithm))


def refuse_unsigned() -> Response | None:
    """A before_request hook: 403 before the view, the database or the audio is touched."""
    if signed_by_twilio():
        return None
    return Response("Forbidden\n", status=403, mimetype="text/plain")
