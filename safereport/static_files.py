"""Our own CSS, JavaScript, fonts and icons, cached by the browser until they change.

Every page links its files through ``url_for(..., filename=...)``, which here adds
``v=<digest of the file's bytes>``. A request that carries the file's current digest is
answered as cacheable for a year (``immutable``): the kiosk then loads a page without asking
again for its stylesheet, script and ten icons, each of which was a round trip on every
screen. A new release changes the digest, so the address, so nothing stale is ever used. A
request without the digest, or with an old one (a URL written in a stylesheet, an old
page), is answered as before: ``no-cache``, revalidated by its ETag.

Nothing here says anything about a report: these files are the same for everyone.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, has_request_context, request

VERSION_ARGUMENT = "v"
CACHE_FOR_A_YEAR = "public, max-age=31536000, immutable"
_DIGEST_CHARACTERS = 12


class SafeReportFlask(Flask):
    """Flask, remembering the address of each static file per request root: a kiosk page
    links some fifteen files, and building each address again cost about 14 us (issue 18).
    Only a plain ``url_for(<static endpoint>, filename=...)`` in a request is remembered;
    an address depends then only on the endpoint, the blueprint it is relative to and the
    script root (the digest is fixed for the life of the process: see file_digest)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._static_addresses: dict[tuple[str, str | None, str, str], str] = {}

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        options = {"_anchor": _anchor, "_method": _method, "_scheme": _scheme}
        filename = values.get("filename")
        plain = _external is None and not any(options.values()) and len(values) == 1
        if not (plain and endpoint.endswith("static") and isinstance(filename, str)):
            return super().url_for(endpoint, _external=_external, **options, **values)
        if not has_request_context():
            return super().url_for(endpoint, **values)
        relative_to = request.blueprint if endpoint.startswith(".") else None
        key = (endpoint, relative_to, request.script_root, filename)
        address = self._static_addresses.get(key)
        if address is None:
            address = super().url_for(endpoint, **values)
            if len(self._static_addresses) < _REMEMBERED_ADDRESSES:  # a bound, as above
                self._static_addresses[key] = address
        return address


_REMEMBERED_ADDRESSES = 1024


def cache_static_files_by_content(app: Flask) -> None:
    """Version every static address by its content and let browsers keep versioned files."""
    app.url_defaults(_add_version)
    app.after_request(_cache_when_versioned)


def _static_folder(app: Flask, endpoint: str) -> str | None:
    if endpoint == "static":
        return app.static_folder
    blueprint_name, _, view = endpoint.rpartition(".")
    blueprint = app.blueprints.get(blueprint_name)
    return blueprint.static_folder if view == "static" and blueprint is not None else None


# Bounded: a request names its own filename, and "a/./b.css" and "a/b.css" are one file.
@functools.lru_cache(maxsize=512)
def file_digest(folder: str, filename: str) -> str | None:
    """The digest of a static file's bytes, or None when there is no such file."""
    root = Path(folder).resolve()
    path = (root / filename).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:_DIGEST_CHARACTERS]


def _add_version(endpoint: str, values: dict[str, Any]) -> None:
    filename = values.get("filename")
    if not isinstance(filename, str) or VERSION_ARGUMENT in values:
        return
    folder = _static_folder(current_app, endpoint)
    digest = file_digest(folder, filename) if folder else None
    if digest is not None:
        values[VERSION_ARGUMENT] = digest


def _cache_when_versioned(response: Response) -> Response:
    endpoint = request.endpoint
    asked = request.args.get(VERSION_ARGUMENT)
    if endpoint is None or asked is None or response.status_code not in (200, 304):
        return response
    folder = _static_folder(current_app, endpoint)
    filename = (request.view_args or {}).get("filename")
    if folder and isinstance(filename, str) and file_digest(folder, filename) == asked:
        response.headers["Cache-Control"] = CACHE_FOR_A_YEAR
    return response
