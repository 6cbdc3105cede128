"""``safereport poster``: the time to build every poster (A4) and leaflet (A5) of one
establishment that offers every language, and the size of the PDFs.

Baseline in the same run: WeasyPrint turning a one-line page into a PDF (the engine's
floor per document: fonts loaded, one layout, one PDF written).

Run: .venv/bin/python -m benchmarks.bench_posters [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import weasyprint

from benchmarks.common import write_result
from posters.build import write_posters
from posters.facts import PHONE_MENU_EXTENSION, gather_facts
from posters.render import HERE
from safeguarding.clock import SystemClock
from safeguarding.services import Services
from safereport.app import create_app
from safereport.config import Config
from safereport.services import build_services
from storage.migrate import upgrade
from storage.models import Establishment, KioskDevice, Location, PhoneLine
from translations.languages import LANGUAGES

WINGS = ("A Wing", "B Wing", "C Wing", "Healthcare", "Education")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(instance_path=Path(tmp) / "instance", database_url=f"sqlite:///{tmp}/b.db")
        services = build_services(config)
        upgrade(services.db.engine)
        app = create_app(config, services=services)
        code = _establishment(services)
        totals, cpu, sizes, count = [], [], 0, 0
        with app.app_context():
            with services.db.transaction() as session:
                facts = gather_facts(
                    session, code=code, phone_menu=app.extensions[PHONE_MENU_EXTENSION]
                )
            for number in range(rounds):
                start, start_cpu = time.perf_counter(), time.process_time()
                written = write_posters(facts, out=Path(tmp) / f"out{number}")
                totals.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                sizes, count = sum(path.stat().st_size for path in written), len(written)
        baseline = _baseline(rounds * 4)
        services.db.dispose()
    results: dict[str, Any] = {
        "languages": len(facts.languages),
        "pdfs": count,
        "all_pdfs_seconds_median": round(statistics.median(totals), 2),
        "all_pdfs_cpu_seconds_median": round(statistics.median(cpu), 2),
        "per_pdf_ms": round(1000 * statistics.median(totals) / count, 1),
        "total_kilobytes": round(sizes / 1024),
        "baseline_one_line_pdf_ms": round(1000 * baseline, 1),
    }
    print(f"\nposters: {count} PDFs ({len(facts.languages)} languages x A4 and A5)")
    print(f"  all of them (median of {rounds}): {results['all_pdfs_seconds_median']} s,"
          f" {results['all_pdfs_cpu_seconds_median']} s of CPU")  # fmt: skip
    print(f"  per PDF: {results['per_pdf_ms']} ms; {results['total_kilobytes']} KB in all")
    print(f"  baseline, a one-line PDF: {results['baseline_one_line_pdf_ms']} ms")
    print(f"  results: {write_result('posters', results)}")


def _establishment(services: Services) -> str:
    now = SystemClock().now()
    with services.db.transaction() as session:
        found = Establishment(
            code="BENCH", name="HMP Benchmark",
            languages=",".join(language.code for language in LANGUAGES), created_at=now,
        )  # fmt: skip
        session.add(found)
        session.flush()
        for position, wing in enumerate(WINGS):
            place = Location(establishment_id=found.id, name=wing, position=position)
            session.add(place)
            session.flush()
            session.add(KioskDevice(establishment_id=found.id, location_id=place.id,
                                    label=f"{wing} kiosk", created_at=now))  # fmt: skip
        session.add(PhoneLine(establishment_id=found.id, number="+441632960001", created_at=now))
        return found.code


def _baseline(count: int) -> float:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        weasyprint.HTML(string="<p>116 123</p>", base_url=str(HERE)).write_pdf()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


if __name__ == "__main__":
    main()
