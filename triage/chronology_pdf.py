"""HTML to PDF for the chronology, with WeasyPrint as the posters use it: the fonts are the
posters' and the kiosk's own files (Arabic, Urdu and Gurmukhi words print as written), and
nothing is fetched from anywhere else."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONT_DIRS = {"posters": ROOT / "posters" / "fonts", "kiosk": ROOT / "kiosk" / "static" / "fonts"}


def font_urls() -> dict[str, str]:
    return {name: folder.as_uri() for name, folder in FONT_DIRS.items()}


def pdf_of(html: str) -> bytes:
    # Imported here: a web worker that never exports a case need not carry WeasyPrint.
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols=("file",), fail_on_errors=True)
    pdf: bytes = weasyprint.HTML(string=html, base_url=str(ROOT), url_fetcher=fetcher).write_pdf()
    return pdf
