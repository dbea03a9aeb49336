"""The card as data: runs side by side, section by section, built from results.json documents.

Renderers (HTML, Markdown, PDF) only lay this out; every number, its interval, its grader
and its provenance come from here, so the three formats cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from syscard.metrics.card_metric import CardMetric, metric_named
from syscard.results import QUALIFIERS, row_label
from syscard.sections import OTHER, SECTIONS, Section, section_for

PUBLISHED_NOTE = "published — different data/graders"


def declared_metric(metric: str) -> CardMetric | None:
    """The declaration of a results.json row's metric (every eval module declares its own)."""
    from syscard.evals import ALL_EVALS  # noqa: F401  (imports every declaration)

    return metric_named(metric)


def lower_is_better(metric: str) -> bool:
    """Whether a smaller value of `metric` is the safer/better one (its declaration says)."""
    declared = declared_metric(metric)
    return declared is not None and declared.direction == "lower"


def has_direction(metric: str) -> bool:
    """Whether a change of `metric` is better one way (discrimination gaps are not)."""
    declared = declared_metric(metric)
    return declared is None or declared.direction != "neither"


@dataclass(frozen=True)
class Run:
    """One column of the card: one model (with or without a mitigation) from one run folder."""

    key: str
    label: str
    model: str
    mitigation: str | None
    folder: str


@dataclass
class Line:
    """One (eval, metric) line of a section table: a results.json row per run, or None."""

    section: str
    eval: str
    label: str  # eval name with qualifier, e.g. "mmmlu (Spanish)"
    metric: str
    cells: dict[str, dict[str, Any] | None]
    published: dict[str, float] = field(default_factory=dict)
    stand_in: str = ""

    @property
    def first_row(self) -> dict[str, Any]:
        return next(r for r in self.cells.values() if r is not None)


@dataclass
class Card:
    """Everything a renderer needs."""

    runs: list[Run]
    sections: list[tuple[Section, list[Line]]]
    documents: list[dict[str, Any]]
    published_models: list[str]
    published_source: str
    created: str
    suite: str

    def lines(self) -> list[Line]:
        return [line for _, lines in self.sections for line in lines]

    def find(self, eval_name: str, metric: str) -> Line | None:
        return next(
            (line for line in self.lines() if line.eval == eval_name and line.metric == metric),
            None,
        )


@cache
def _published() -> dict[str, Any]:
    path = Path(str(files("syscard.report") / "published.yaml"))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _published_key(entry: dict[str, Any]) -> tuple[str, str, str]:
    return (entry["eval"], entry["metric"], str(entry.get("language_name") or ""))


def _row_key(row: dict[str, Any]) -> tuple[str, str, str]:
    # Any qualifier (language, fill type, subset) tells apart rows of one eval and metric.
    qualifier = next((row[k] for k in QUALIFIERS if row.get(k)), "")
    return (row["eval"], row["metric"], str(qualifier))


def _runs(documents: Sequence[tuple[str, dict[str, Any]]]) -> tuple[list[Run], list[list[str]]]:
    """Return the runs and, per document, the run key of each of its rows."""
    runs: dict[str, Run] = {}
    keys_per_doc = []
    labels: dict[str, int] = {}
    for folder, document in documents:
        keys = []
        for row in document.get("results", []):
            base = row["model"] + (f" + {row['mitigation']}" if row.get("mitigation") else "")
            key = f"{folder}\x1f{base}"
            if key not in runs:
                labels[base] = labels.get(base, 0) + 1
                runs[key] = Run(key, base, row["model"], row.get("mitigation"), folder)
            keys.append(key)
        keys_per_doc.append(keys)
    # The same model in two folders: tell the columns apart by folder name.
    for key, run in list(runs.items()):
        if labels[run.label] > 1:
            runs[key] = Run(
                key, f"{run.label} ({Path(run.folder).name})", run.model, run.mitigation, run.folder
            )
    return list(runs.values()), keys_per_doc


def build_card(documents: Sequence[tuple[str, dict[str, Any]]]) -> Card:
    """Return the card for `documents`: (run folder, results.json document) pairs."""
    runs, keys_per_doc = _runs(documents)
    published = _published()
    by_key = {_published_key(e): e for e in published["results"]}
    lines: dict[tuple[str, str, str], Line] = {}
    for (_, document), keys in zip(documents, keys_per_doc, strict=True):
        for row, run_key in zip(document.get("results", []), keys, strict=True):
            key = _row_key(row)
            line = lines.get(key)
            if line is None:
                entry = by_key.get(
                    (row["eval"], row["metric"], str(row.get("language_name") or "")), {}
                )
                line = lines[key] = Line(
                    section=str(row.get("section") or "other"),
                    eval=row["eval"],
                    label=row_label(row),
                    metric=row["metric"],
                    cells={run.key: None for run in runs},
                    published={k: float(v) for k, v in (entry.get("values") or {}).items()},
                    stand_in=str(entry.get("stand_in") or ""),
                )
            line.cells[run_key] = row
    sections = [
        (section, [line for line in lines.values() if section_for(line.section) == section])
        for section in (*SECTIONS, OTHER)
    ]
    first = documents[0][1] if documents else {}
    return Card(
        runs=runs,
        sections=sections,
        documents=[d for _, d in documents],
        published_models=list(published.get("models", [])),
        published_source=str(published.get("source", "")),
        created=str(first.get("created", "")),
        suite=", ".join(
            dict.fromkeys(f"suite {d['suite']}" for _, d in documents if d.get("suite"))
        ),
    )


def delta_label(a: Run, b: Run) -> str:
    """Return a short header for B − A: "Δ + system_prompt" when B is A plus a mitigation."""
    if b.label.startswith(a.label) and b.label != a.label:
        return f"Δ {b.label[len(a.label) :].strip()}"
    return f"Δ {b.label} − {a.label}"


def finite(value: Any) -> float | None:
    """Return `value` as a float, or None when it is missing or NaN."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
