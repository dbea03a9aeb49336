"""Measure a grader against human labels and keep the measurement by grader version.

Two stores, both keyed `name@version` so a changed grader has no agreement until it is
measured again (the card then says "not measured for this grader version" rather than
citing an old number):

- the project's measurements, `syscard/graders/data/validation.json`, made on each shipped
  labelled set's held-out split; regenerate with `syscard graders validate --shipped`
  (a test fails when it is stale);
- the user's, written by `syscard graders validate` to `$SYSCARD_VALIDATION_FILE` (default
  `~/.cache/syscard/validation.json`); where both have the same version, the card cites the
  user's, which was measured on the user's own data.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from syscard.graders.agreement import AgreementReport, agreement_report
from syscard.graders.base import Grader, OfflineGrader
from syscard.graders.grading import grade_offline, grade_with_model
from syscard.graders.registry import GRADERS, GraderSpec
from syscard.graders.table import Table, TableError, read_table, require_columns
from syscard.metrics import wilson_interval

VALIDATION_FILE = "validation.json"
HELDOUT = "heldout"


def data_path(name: str) -> Path:
    """Return the path of a file shipped in `syscard/graders/data/`."""
    return Path(str(files("syscard.graders") / "data" / name))


def load_labelled(name: str = "refusal_labelled.jsonl", split: str | None = None) -> list[dict]:
    """Return the rows of a labelled set shipped with syscard, optionally one split only."""
    rows = read_table(data_path(name)).rows
    return [r for r in rows if split is None or r.get("split") == split]


def user_store() -> Path:
    """Return where `syscard graders validate` keeps the user's measurements."""
    configured = os.environ.get("SYSCARD_VALIDATION_FILE")
    if configured:
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "syscard" / VALIDATION_FILE


def _key(name: str, version: str) -> str:
    return f"{name}@{version}"


def _read_store(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def stored_agreement(name: str | None, version: str | None) -> dict[str, Any] | None:
    """Return the stored measurement for this exact grader version, or None if unmeasured."""
    if not name or not version:
        return None
    key = _key(name, version)
    return _read_store(user_store()).get(key) or _read_store(data_path(VALIDATION_FILE)).get(key)


def store_measurement(path: Path, name: str, version: str, measurement: dict[str, Any]) -> None:
    """Add `measurement` for `name@version` to the store at `path`, keeping all others."""
    stored = _read_store(path)
    stored[_key(name, version)] = measurement
    _write_store(path, stored)


def _write_store(path: Path, stored: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def measure(
    spec: GraderSpec,
    grader: Grader,
    table: Table,
    *,
    source: str,
    label_column: str = "label",
    split: str | None = None,
    concurrency: int = 8,
) -> tuple[AgreementReport, dict[str, Any]]:
    """Grade `table`'s rows with `grader` and compare with their human labels.

    Returns the report and its stored form (the report plus grader, data description, the
    labelled file's sha256, split and date).
    """
    require_columns(table, (*spec.columns, label_column), source, f"validating {spec.name}")
    rows = [r for r in table.rows if split is None or r.get("split") == split]
    if not rows:
        raise TableError(f"{source}: no rows with split={split!r}: choose another --split")
    human = [str(r[label_column]).strip().lower() for r in rows]
    unknown = sorted(set(human) - set(spec.labels))
    if unknown:
        raise TableError(
            f"{source}: column {label_column!r} has labels {unknown} that {spec.name} does not "
            f"give; allowed: {', '.join(spec.labels)}"
        )
    if isinstance(grader, OfflineGrader):
        grades = grade_offline(spec, grader, rows)
    else:
        grades = grade_with_model(spec, grader, rows, concurrency=concurrency)
    positive = spec.binary[1] if spec.binary else None
    report = agreement_report(
        human,
        [g.label for g in grades],
        spec.labels,
        binary_positive=positive,
        binary_name=spec.binary[0] if spec.binary else "",
    )
    stored = {
        **report.as_dict(),
        **({"by_origin": _by_origin(rows, human, grades)} if "origin" in table.columns else {}),
        **(
            {"by_model": _by_model(spec, rows, human, grades)}
            if "source_model" in table.columns
            else {}
        ),
        **_annotators(spec, rows, grades),
        "grader": grader.name,
        "grader_version": grader.version,
        "labels": list(spec.labels),  # declared order: the first is the one cards count
        "data": source,
        "split": split or "all",
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d"),
    }
    return report, stored


def _by_origin(rows: list[dict], human: list[str], grades: list) -> dict[str, Any]:
    """Agreement within each `origin` (e.g. the embedded model's own answers vs written ones):
    a grader can be good on one population and poor on another."""
    groups: dict[str, list[bool]] = {}
    for row, h, g in zip(rows, human, grades, strict=True):
        groups.setdefault(str(row.get("origin") or "unknown"), []).append(h == g.label)
    out = {}
    for origin, hits in sorted(groups.items()):
        low, high = wilson_interval(sum(hits), len(hits))
        out[origin] = {
            "value": round(sum(hits) / len(hits), 4),
            "ci_low": round(low, 4),
            "ci_high": round(high, 4),
            "n": len(hits),
        }
    return out


def _by_model(spec: GraderSpec, rows: list[dict], human: list[str], grades: list) -> dict:
    """The full agreement report within each `source_model` (the model that wrote the answer),
    without the confusion matrix: a grader can hold on one model's style and fail on another's."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for row, h, g in zip(rows, human, grades, strict=True):
        groups.setdefault(str(row.get("source_model") or "unknown"), []).append((h, g.label))
    out = {}
    for model, pairs in sorted(groups.items()):
        report = agreement_report(
            [h for h, _ in pairs],
            [p for _, p in pairs],
            spec.labels,
            binary_positive=spec.binary[1] if spec.binary else None,
            binary_name=spec.binary[0] if spec.binary else "",
        ).as_dict()
        out[model] = {k: v for k, v in report.items() if k not in ("confusion_rates",)}
    return out


def public_key(name: str, version: str) -> str:
    """The store key of a grader version's measurements on public sets (beside `name@version`,
    which stays the figure the card cites)."""
    return f"public:{_key(name, version)}"


def store_public(path: Path, name: str, version: str, by_set: dict[str, Any]) -> None:
    """Add the per-set measurements `by_set` of `name@version` to the store at `path`, keeping
    the sets measured before for this version."""
    stored = _read_store(path)
    sets = {**stored.get(public_key(name, version), {}), **by_set}
    stored[public_key(name, version)] = dict(sorted(sets.items()))
    _write_store(path, stored)


def stored_public(name: str, version: str) -> dict[str, Any]:
    """Return set name → the stored measurement of `name@version` on that public set."""
    return _read_store(user_store()).get(public_key(name, version)) or {}


def _annotators(spec: GraderSpec, rows: list[dict], grades: list) -> dict[str, Any]:
    """Human-vs-human beside grader-vs-human, where rows carry every annotator's label.

    A row's `annotator_labels` lists each annotator's label (its `label` is their majority).
    Returns {} when no row has them; otherwise `annotators` with the mean pairwise agreement
    between annotators and the mean agreement of the grader with a single annotator, on the
    same rows, each also on the binary split when the grader has one: the grader's figure
    read against what one careful annotator achieves against another.
    """
    voted = [
        (r["annotator_labels"], g.label)
        for r, g in zip(rows, grades, strict=True)
        if isinstance(r.get("annotator_labels"), list) and len(r["annotator_labels"]) >= 2
    ]
    if not voted:
        return {}
    positive = set(spec.binary[1]) if spec.binary else set()

    def mean_agreement(pairs: list[tuple[str, str]], binary: bool) -> float:
        same = [(a in positive) == (b in positive) if binary else a == b for a, b in pairs]
        return round(sum(same) / len(same), 4)

    human_pairs = [
        (a, b) for labels, _ in voted for i, a in enumerate(labels) for b in labels[i + 1 :]
    ]
    grader_pairs = [(a, g) for labels, g in voted for a in labels]
    out: dict[str, Any] = {
        "n": len(voted),
        "annotators_per_row": max(len(labels) for labels, _ in voted),
        "human_vs_human": mean_agreement(human_pairs, False),
        "grader_vs_one_human": mean_agreement(grader_pairs, False),
    }
    if spec.binary:
        out["human_vs_human_binary"] = mean_agreement(human_pairs, True)
        out["grader_vs_one_human_binary"] = mean_agreement(grader_pairs, True)
    return {"annotators": out}


def file_sha256(path: str | Path) -> str:
    """Return the sha256 of a file, to say exactly which labelled data a figure rests on."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def measure_shipped(name: str) -> dict[str, Any] | None:
    """Measure the offline grader `name` on its shipped labelled set's held-out split."""
    spec = GRADERS[name]
    if spec.labelled is None or not data_path(spec.labelled).exists():
        return None
    path = data_path(spec.labelled)
    grader = spec.offline()
    table = read_table(path)
    # A set without splits (simpleqa's) was partly used to write its rules: say so.
    split = HELDOUT if "split" in table.columns else None
    which = "held-out split" if split else "all rows, no held-out split"
    source = f"syscard {spec.labelled} ({which}; see syscard/graders/data/README.md)"
    _, stored = measure(spec, grader, table, source=source, split=split)
    stored["labelled_sha256"] = file_sha256(path)
    del stored["measured_at"]  # keeps the shipped file stable when nothing changed
    return stored


def update_shipped() -> list[str]:
    """Re-measure every offline grader on its held-out split, add the measurements to the
    shipped validation.json, and return the lines to print (`syscard graders validate
    --shipped`)."""
    path = data_path(VALIDATION_FILE)
    lines = []
    for name in GRADERS:
        measured = measure_shipped(name)
        if measured is None:
            lines.append(f"{name}: no shipped labelled set")
            continue
        # Earlier versions' measurements stay: cards rendered from older runs still cite them.
        store_measurement(path, measured["grader"], measured["grader_version"], measured)
        agreement = measured["agreement"]
        lines.append(
            f"{name:14} {measured['grader']}@{measured['grader_version']}: agreement "
            f"{agreement['value']} [{agreement['ci_low']}, {agreement['ci_high']}] "
            f"kappa {measured['kappa']['value']} n={measured['n']}"
            + (f" binary {measured['binary']['value']}" if "binary" in measured else "")
        )
    return lines
