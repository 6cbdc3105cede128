"""Run every benchmark in turn: .venv/bin/python -m benchmarks"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    names = sorted(
        module.name
        for module in pkgutil.iter_modules([str(Path(__file__).parent)])
        if module.name.startswith("bench_")
    )
    for name in names:
        print(f"\n=== {name}")
        module = importlib.import_module(f"benchmarks.{name}")
        sys.argv = [name]
        module.main()


if __name__ == "__main__":
    main()
