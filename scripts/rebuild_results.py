"""Rebuild results.json from Inspect logs, and compare two rebuilt documents row by row.

The behaviour contract of a refactor: the same logs must give the same results.json before and
after it. Run this with the old code and with the new code over the same log folders, then
compare (grader version strings may differ: a grader's version is a fingerprint of its code).

    python scripts/rebuild_results.py RUN_DIR... -o before.json
    python scripts/rebuild_results.py RUN_DIR... -o after.json
    python scripts/rebuild_results.py --compare before.json after.json

A RUN_DIR is a `syscard run --out` folder (its `logs/` is read) or a folder of logs. The
document's `created` time is dropped so that two rebuilds of the same logs are byte-identical.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# What may differ between two rebuilds of the same logs: the version of each grader (a
# fingerprint of its code and data) and of syscard itself.
_VERSION_KEYS = frozenset({"version", "grader_version", "syscard_version"})


def rebuild(run_dirs: list[Path]) -> dict[str, Any]:
    from syscard.results import build_results

    log_dirs = [d / "logs" if (d / "logs").is_dir() else d for d in run_dirs]
    document = build_results(log_dirs)
    document.pop("created", None)
    return document


def _without_versions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_versions(v) for k, v in value.items() if k not in _VERSION_KEYS}
    if isinstance(value, list):
        return [_without_versions(v) for v in value]
    return value


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Return one line per differing row (and per row only one side has)."""
    rows_a, rows_b = before["results"], after["results"]
    problems = []
    for i in range(max(len(rows_a), len(rows_b))):
        a = _without_versions(rows_a[i]) if i < len(rows_a) else None
        b = _without_versions(rows_b[i]) if i < len(rows_b) else None
        if a != b:
            label = (a or b or {}).get("eval"), (a or b or {}).get("metric")
            keys = sorted(
                k for k in set(a or {}) | set(b or {}) if (a or {}).get(k) != (b or {}).get(k)
            )
            problems.append(f"row {i} {label}: differs in {', '.join(keys) or 'presence'}")
    for key in ("schema_version", "suite", "models"):
        if _without_versions(before.get(key)) != _without_versions(after.get(key)):
            problems.append(f"document field {key!r} differs")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("-o", "--out", type=Path, help="write the rebuilt document here")
    parser.add_argument("--compare", action="store_true", help="compare two rebuilt documents")
    args = parser.parse_args(argv)
    if args.compare:
        if len(args.paths) != 2:
            parser.error("--compare takes two documents")
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in args.paths)
        problems = compare(before, after)
        for line in problems:
            print(line)
        print(
            f"{len(before['results'])} rows before, {len(after['results'])} after; "
            f"{len(problems)} differing (grader version strings ignored)"
        )
        return 1 if problems else 0
    document = rebuild(args.paths)
    text = json.dumps(document, indent=2, allow_nan=False, sort_keys=True) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"{args.out}: {len(document['results'])} rows")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
