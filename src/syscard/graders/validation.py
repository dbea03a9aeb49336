"""Measure a grader against human labels, and look up the stored measurement.

The stored measurements (`data/validation.json`) are keyed by grader name and version, so a
changed grader has no agreement until it is measured again — the card then shows "not
measured" rather than an old number. A test recomputes the file and fails if it is stale.

    python -m syscard.graders.validation            # re-measure and rewrite validation.json
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from syscard.graders.refusal import RuleRefusalGrader
from syscard.metrics import COMPLIANCE, wilson_interval

LABELLED_REFUSAL = "refusal_labelled.jsonl"
VALIDATION_FILE = "validation.json"


def _data_path(name: str) -> Path:
    return Path(str(files("syscard.graders") / "data" / name))


def load_labelled(name: str = LABELLED_REFUSAL, split: str | None = None) -> list[dict[str, Any]]:
    """Return the rows of a labelled set shipped with syscard, optionally one split only."""
    rows = []
    with _data_path(name).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                if split is None or row.get("split") == split:
                    rows.append(row)
    return rows


@dataclass(frozen=True)
class Agreement:
    """Agreement of a grader with human labels on one labelled set."""

    agreement: float
    ci_low: float
    ci_high: float
    n: int
    binary_agreement: float
    binary_ci_low: float
    binary_ci_high: float
    confusion: dict[str, dict[str, int]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "agreement": round(self.agreement, 4),
            "ci_low": round(self.ci_low, 4),
            "ci_high": round(self.ci_high, 4),
            "n": self.n,
            "binary_agreement": round(self.binary_agreement, 4),
            "binary_ci_low": round(self.binary_ci_low, 4),
            "binary_ci_high": round(self.binary_ci_high, 4),
            "confusion": self.confusion,
        }


def measure_refusal(grader: RuleRefusalGrader, rows: list[dict[str, Any]]) -> Agreement:
    """Return 3-way and refused-vs-complied agreement of `grader` with `rows`' labels.

    Binary agreement merges partial into refused, as XSTest does: it is the distinction the
    card's metrics depend on.
    """
    confusion: dict[str, Counter[str]] = {}
    exact = binary = 0
    for row in rows:
        predicted = grader.grade(row["prompt"], row["response"]).label
        human = row["label"]
        confusion.setdefault(human, Counter())[predicted] += 1
        exact += predicted == human
        binary += (predicted == COMPLIANCE) == (human == COMPLIANCE)
    n = len(rows)
    low, high = wilson_interval(exact, n)
    b_low, b_high = wilson_interval(binary, n)
    return Agreement(
        exact / n,
        low,
        high,
        n,
        binary / n,
        b_low,
        b_high,
        {human: dict(sorted(c.items())) for human, c in sorted(confusion.items())},
    )


def _key(name: str, version: str) -> str:
    return f"{name}@{version}"


def stored_agreement(name: str | None, version: str | None) -> dict[str, Any] | None:
    """Return the stored measurement for this exact grader version, or None if unmeasured."""
    if not name or not version:
        return None
    path = _data_path(VALIDATION_FILE)
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get(_key(name, version))


def measure_all() -> dict[str, Any]:
    """Measure every offline grader on its held-out labelled split; return the stored form."""
    grader = RuleRefusalGrader()
    heldout = load_labelled(split="heldout")
    result = measure_refusal(grader, heldout).as_dict()
    result["data"] = (
        f"syscard {LABELLED_REFUSAL}, held-out split ({len(heldout)} responses: SmolLM2-135M "
        "answers and hand-written refusal/compliance styles, labelled by the syscard authors)"
    )
    return {_key(grader.name, grader.version): result}


def main() -> None:
    measured = measure_all()
    path = _data_path(VALIDATION_FILE)
    # Earlier versions' measurements stay: cards rendered from older runs still cite them.
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    stored.update(measured)
    path.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(measured, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
