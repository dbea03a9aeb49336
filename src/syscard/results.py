"""results.json: the card's numbers, computed from Inspect logs (the contract; see
docs/results-json.md). Readers of this file must not need the logs, and the logs alone are
enough to rebuild it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inspect_ai.log import (
    EvalLog,
    list_eval_logs,
    read_eval_log,
    read_eval_log_sample_summaries,
)

from syscard import __version__
from syscard.files import atomic_write_text
from syscard.graders.registry import OFFLINE, grader_model_name
from syscard.graders.validation import stored_agreement

SCHEMA_VERSION = 1


def _task_name(log: EvalLog) -> str:
    return log.eval.task.split("/")[-1]


def log_key(header: EvalLog) -> tuple[str, str]:
    """What a log is the result of: (task, model)."""
    return (_task_name(header), header.eval.model)


def latest_logs(log_dir: str | Path) -> list[tuple[str, EvalLog]]:
    """Return (path, header) of the newest log per (task, model) in `log_dir`."""
    newest: dict[tuple[str, str], tuple[str, EvalLog]] = {}
    for info in list_eval_logs(str(log_dir)):
        header = read_eval_log(info.name, header_only=True)
        key = log_key(header)
        if key not in newest or header.eval.created > newest[key][1].eval.created:
            newest[key] = (info.name, header)
    return [newest[key] for key in sorted(newest)]


def _grader_model(header: EvalLog) -> str | None:
    return grader_model_name(str((header.eval.task_args or {}).get("grader", OFFLINE)))


def rows_for_log(path: str, header: EvalLog) -> list[dict[str, Any]]:
    """Return one results.json row per card metric that the task in `path` reports.

    The rows come from the eval's declaration (`@card_eval`): its metrics, or its own row
    function where the metrics are a fit or a combination. A log of a task no syscard eval
    declares has no rows.
    """
    from syscard.evals import ALL_EVALS

    info = ALL_EVALS.get(_task_name(header))
    if info is None:
        return []
    meta = header.eval.metadata or {}
    summaries = read_eval_log_sample_summaries(path)
    rows = []
    for metric_row in info.results_rows(meta, summaries):
        per_metric = (meta.get("graders") or {}).get(metric_row.get("metric"))
        grader = metric_row.pop("grader", per_metric or meta.get("grader")) or {}
        rows.append(
            {
                "eval": _task_name(header),
                "section": meta.get("section") or info.section.key,
                "metric": metric_row.pop("metric"),
                "model": header.eval.model,
                "mitigation": (header.eval.task_args or {}).get("mitigation")
                or meta.get("mitigation"),
                **{k: metric_row.pop(k) for k in ("value", "ci_low", "ci_high", "n", "n_errors")},
                "grader": grader,
                # A row may carry the agreement of its own grader; else the stored one.
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
    return atomic_write_text(Path(path), json.dumps(document, indent=2, allow_nan=False) + "\n")
