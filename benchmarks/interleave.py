"""Before and after, in alternating rounds: each round runs benchmarks.bench_speed once in
each tree (alternating which goes first), so load from other work on a shared machine
falls on both alike. Reports, per case, the median over rounds of (case / its bare floor)
measured in the same process, for each tree.

    .venv/bin/python -m benchmarks.interleave --before /tmp/main-src --after . \
        --kind sqlite --rounds 9 --batch 200
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import write_result

FLOORS = {"kiosk GET": "kiosk GET bare", "kiosk Send": "kiosk Send bare"}


def ratios(result: dict[str, float]) -> dict[str, float]:
    out = {}
    for case, value in result.items():
        if "bare" in case:
            continue
        cpu = case.endswith(" cpu")
        floor = FLOORS.get(case.removesuffix(" cpu"), "IVR bare") + (" cpu" if cpu else "")
        out[case] = value / result[floor]
    return out


def one_round(tree: Path, args: argparse.Namespace) -> dict[str, float]:
    command = [sys.executable, "-m", "benchmarks.bench_speed", "--kind", args.kind]
    command += ["--batch", str(args.batch), "--audio", str(args.audio)]
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--kind", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument(
        "--audio", type=Path, default=Path(tempfile.gettempdir()) / "safereport-bench-audio"
    )
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    rounds: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for index in range(args.rounds):
        order = ["before", "after"] if index % 2 == 0 else ["after", "before"]
        for name in order:
            rounds[name].append(one_round(trees[name], args))
        print(f"round {index + 1}/{args.rounds} done", file=sys.stderr)
    summary = {
        name: {
            case: {
                "median_ratio": round(statistics.median(ratios(r)[case] for r in results), 2),
                "median_ms": round(statistics.median(r[case] for r in results), 3),
            }
            for case in ratios(results[0])
        }
        for name, results in rounds.items()
    }
    print(f"\n{args.kind}: median over {args.rounds} interleaved rounds (ratio to the floor)")
    for case in summary["after"]:
        before, after = summary["before"][case], summary["after"][case]
        print(
            f"  {case:<30} before {before['median_ratio']:>6}x ({before['median_ms']} ms)"
            f"   after {after['median_ratio']:>6}x ({after['median_ms']} ms)"
        )
    data = {"kind": args.kind, "rounds": args.rounds, "batch": args.batch, "summary": summary}
    print(f"written {write_result(f'interleave-{args.kind}', {**data, 'raw': rounds})}")


if __name__ == "__main__":
    main()
