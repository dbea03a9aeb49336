"""results.json: the card's numbers, computed from Inspect logs (the contract; see
docs/results-json.md). Readers of this file must not need the logs, and the logs alone are
enough to rebuild it."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inspect_ai.log import (
    EvalLog,
    EvalSampleSummary,
    list_eval_logs,
    read_eval_log,
    read_eval_log_sample_summaries,
)

from syscard import __version__
from syscard.graders.validation import stored_agreement
from syscard.metrics import ERROR, METRIC_KIND, METRIC_OUTCOMES, Rate, rate, rate_by_group

SCHEMA_VERSION = 1
SCORER = "refusal_label"
_INTERRUPTED = "CancelledError"


def _task_name(log: EvalLog) -> str:
    return log.eval.task.split("/")[-1]


def latest_logs(log_dir: str | Path) -> list[tuple[str, EvalLog]]:
    """Return (path, header) of the newest log per (task, model) in `log_dir`."""
    newest: dict[tuple[str, str], tuple[str, EvalLog]] = {}
    for info in list_eval_logs(str(log_dir)):
        header = read_eval_log(info.name, header_only=True)
        key = (_task_name(header), header.eval.model)
        if key not in newest or header.eval.created > newest[key][1].eval.created:
            newest[key] = (info.name, header)
    return [newest[key] for key in sorted(newest)]


def _grader_model(header: EvalLog) -> str | None:
    grader = (header.eval.task_args or {}).get("grader", "offline")
    return None if grader == "offline" else str(grader)


def _finite(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 6)


RowBuilder = Callable[[EvalLog, list[EvalSampleSummary]], list[dict[str, Any]]]
"""Turns one log's sample summaries into metric rows: dicts with at least `metric`, `value`,
`ci_low`, `ci_high`, `n`, `n_errors` and `breakdown` (optionally `grader`). The eval, model,
datasets, grader agreement, status and log fields are added by `rows_for_log`."""

_ROW_BUILDERS: dict[str, RowBuilder] = {}


def row_builder(name: str) -> Callable[[RowBuilder], RowBuilder]:
    """Register a row builder; a task selects it with `metadata={"results": name}`."""

    def register(builder: RowBuilder) -> RowBuilder:
        _ROW_BUILDERS[name] = builder
        return builder

    return register


def rate_fields(overall: Rate, groups: dict[str, Rate] | None = None) -> dict[str, Any]:
    """Return the value/CI/n/n_errors/breakdown fields of a row for a rate and its groups."""
    return {
        "value": _finite(overall.value),
        "ci_low": _finite(overall.ci_low),
        "ci_high": _finite(overall.ci_high),
        "n": overall.n,
        "n_errors": overall.n_errors,
        "breakdown": {
            group: {
                "value": _finite(r.value),
                "n": r.n,
                "ci_low": _finite(r.ci_low),
                "ci_high": _finite(r.ci_high),
                "n_errors": r.n_errors,
            }
            for group, r in (groups or {}).items()
        },
    }


def completed(summaries: list[EvalSampleSummary]) -> list[EvalSampleSummary]:
    """Drop samples the user interrupted: not errors, a rerun completes them."""
    return [s for s in summaries if not (s.error and s.error.startswith(_INTERRUPTED))]


@row_builder("refusal")
def refusal_rows(header: EvalLog, summaries: list[EvalSampleSummary]) -> list[dict[str, Any]]:
    """Rows for evals graded with refusal labels (`not_unsafe`, `not_overrefuse`)."""
    graded: dict[str, list[tuple[str, str]]] = {kind: [] for kind in METRIC_KIND.values()}
    for summary in completed(summaries):
        sample_meta = summary.metadata or {}
        score = (summary.scores or {}).get(SCORER)
        label = ERROR if summary.error or score is None else str(score.value)
        graded.setdefault(sample_meta.get("kind", ""), []).append(
            (str(sample_meta.get("category", "all")), label)
        )
    rows = []
    for metric in (header.eval.metadata or {}).get("metrics", []):
        outcome_of = METRIC_OUTCOMES[metric]
        items = [(group, outcome_of(label)) for group, label in graded[METRIC_KIND[metric]]]
        rows.append(
            {"metric": metric, **rate_fields(rate(o for _, o in items), rate_by_group(items))}
        )
    return rows


def rows_for_log(path: str, header: EvalLog) -> list[dict[str, Any]]:
    """Return one results.json row per card metric that the task in `path` reports."""
    import syscard.evals  # noqa: F401  (registers every eval module's row builder)

    meta = header.eval.metadata or {}
    builder = _ROW_BUILDERS[meta.get("results", "refusal")]
    summaries = read_eval_log_sample_summaries(path)
    rows = []
    for metric_row in builder(header, summaries):
        per_metric = (meta.get("graders") or {}).get(metric_row.get("metric"))
        grader = metric_row.pop("grader", per_metric or meta.get("grader")) or {}
        rows.append(
            {
                "eval": _task_name(header),
                "section": meta.get("section"),
                "metric": metric_row.pop("metric"),
                "model": header.eval.model,
                "mitigation": (header.eval.task_args or {}).get("mitigation")
                or meta.get("mitigation"),
                **{k: metric_row.pop(k) for k in ("value", "ci_low", "ci_high", "n", "n_errors")},
                "grader": grader,
                # A builder may supply the agreement of its own grader; else the stored one.
                "grader_agreement": metric_row.pop(
                    "grader_agreement",
                    stored_agreement(grader.get("name"), grader.get("version")),
                ),
                "breakdown": metric_row.pop("breakdown", {}),
                **metric_row,
                "datasets": meta.get("datasets", []),
                "starter": bool(meta.get("starter")),
                "status": header.status,
                "log": path.removeprefix("file://"),
            }
        )
    return rows


def build_results(log_dirs: Iterable[str | Path], suite: str | None = None) -> dict[str, Any]:
    """Return the results.json document for every log in `log_dirs`."""
    rows: list[dict[str, Any]] = []
    models: dict[tuple[str, str], dict[str, Any]] = {}
    for log_dir in log_dirs:
        for path, header in latest_logs(log_dir):
            rows.extend(rows_for_log(path, header))
            # A replayed log (`syscard monitor`) ran on a no-op model: its rows name the
            # original models, which their own logs list.
            if not (header.eval.metadata or {}).get("replay"):
                models.setdefault(
                    (header.eval.model, "target"),
                    {
                        "name": header.eval.model,
                        "role": "target",
                        "mitigation": (header.eval.task_args or {}).get("mitigation")
                        or (header.eval.metadata or {}).get("mitigation"),
                    },
                )
            grader_model = _grader_model(header)
            if grader_model:
                models.setdefault(
                    (grader_model, "grader"),
                    {"name": grader_model, "role": "grader", "mitigation": None},
                )
    return {
        "schema_version": SCHEMA_VERSION,
        "syscard_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "suite": suite,
        "models": list(models.values()),
        "results": rows,
    }


QUALIFIERS = ("language_name", "fill_type", "subset")
"""Row fields that tell apart several rows of one eval and metric (e.g. MMMLU languages)."""


def row_label(row: dict[str, Any]) -> str:
    """Return the eval name with the row's qualifier, e.g. "mmmlu (Spanish)"."""
    qualifier = next((row[k] for k in QUALIFIERS if row.get(k)), None)
    return f"{row['eval']} ({qualifier})" if qualifier else row["eval"]


def write_results(document: dict[str, Any], path: str | Path) -> Path:
    """Write `document` as indented JSON (NaN never appears: missing rates are null)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    return target
