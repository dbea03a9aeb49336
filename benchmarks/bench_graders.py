"""Offline grading throughput: responses per second for each shipped offline grader.

    python benchmarks/bench_graders.py                 # every grader, in-process
    python benchmarks/bench_graders.py --cli --rows 5000 refusal secret-leak

In-process: each grader grades the rows of its shipped labelled set (all splits), repeated
`--repeat` times, in one process (one core), after one warm-up pass. With `--cli`, a CSV of
`--rows` rows is written and `syscard grade GRADER FILE -o OUT` is timed end to end
(interpreter start, imports, reading and writing the file included). Target (issue #4):
>= 200 responses/s for `refusal` and `secret-leak` on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from syscard.graders.registry import GRADERS
from syscard.graders.table import read_table
from syscard.graders.validation import data_path


def rows_for(name: str) -> list[dict]:
    spec = GRADERS[name]
    rows = read_table(data_path(spec.labelled)).rows if spec.labelled else []
    return [r for r in rows if all(str(r.get(c) or "").strip() for c in spec.needs)]


def bench_in_process(name: str, repeat: int) -> tuple[float, int, float]:
    """Return (responses/s median over `repeat` passes, rows per pass, mean words/row)."""
    grader = GRADERS[name].offline()
    rows = rows_for(name)
    for row in rows:  # warm-up: loads the classifier, compiles regexes
        grader.verdict(row)
    rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        for row in rows:
            grader.verdict(row)
        rates.append(len(rows) / (time.perf_counter() - started))
    words = statistics.mean(len(r["response"].split()) for r in rows)
    return statistics.median(rates), len(rows), words


def bench_cli(name: str, n_rows: int) -> float:
    """Return responses/s of `syscard grade` on a CSV of `n_rows` rows, end to end."""
    source_rows = rows_for(name)
    columns = list(GRADERS[name].columns)
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for i in range(n_rows):
                writer.writerow(source_rows[i % len(source_rows)])
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "syscard.cli", "grade", name, str(source), "-o", str(out)],
            check=True,
            capture_output=True,
        )
        return n_rows / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("graders", nargs="*", default=list(GRADERS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cli", action="store_true", help="also time `syscard grade` end to end")
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    print(
        f"{'grader':14} {'rows':>5} {'words/row':>9} {'in-process resp/s':>18}"
        + (f" {'syscard grade resp/s':>21}" if args.cli else "")
    )
    for name in args.graders:
        rate, n, words = bench_in_process(name, args.repeat)
        line = f"{name:14} {n:5d} {words:9.0f} {rate:18,.0f}"
        if args.cli:
            line += f" {bench_cli(name, args.rows):21,.0f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
