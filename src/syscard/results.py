"""results.json: the card's numbers, computed from Inspect logs (the contract; see
docs/results-json.md). Readers of this file must not need the logs, and the logs alone are
enough to rebuild it."""

from __future__ import annotations

import json
import math
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
from syscard.graders.validation import stored_agreement
from syscard.metrics import ERROR, METRIC_KIND, METRIC_OUTCOMES, rate, rate_by_group

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


def rows_for_log(path: str, header: EvalLog) -> list[dict[str, Any]]:
    """Return one results.json row per card metric that the task in `path` declares."""
    meta = header.eval.metadata or {}
    metrics: list[str] = meta.get("metrics", [])
    graded: dict[str, list[tuple[str, str]]] = {kind: [] for kind in METRIC_KIND.values()}
    for summary in read_eval_log_sample_summaries(path):
        if summary.error and summary.error.startswith(_INTERRUPTED):
            continue  # stopped by the user, not an error: a rerun completes it
        sample_meta = summary.metadata or {}
        score = (summary.scores or {}).get(SCORER)
        label = ERROR if summary.error or score is None else str(score.value)
        graded.setdefault(sample_meta.get("kind", ""), []).append(
            (str(sample_meta.get("category", "all")), label)
        )
    grader = meta.get("grader", {})
    rows = []
    for metric in metrics:
        outcome_of = METRIC_OUTCOMES[metric]
        items = [(group, outcome_of(label)) for group, label in graded[METRIC_KIND[metric]]]
        overall = rate(outcome for _, outcome in items)
        rows.append(
            {
                "eval": _task_name(header),
                "section": meta.get("section"),
                "metric": metric,
                "model": header.eval.model,
                "mitigation": (header.eval.task_args or {}).get("mitigation"),
                "value": _finite(overall.value),
                "ci_low": _finite(overall.ci_low),
                "ci_high": _finite(overall.ci_high),
                "n": overall.n,
                "n_errors": overall.n_errors,
                "grader": grader,
                "grader_agreement": stored_agreement(grader.get("name"), grader.get("version")),
                "breakdown": {
                    group: {
                        "value": _finite(r.value),
                        "n": r.n,
                        "ci_low": _finite(r.ci_low),
                        "ci_high": _finite(r.ci_high),
                        "n_errors": r.n_errors,
                    }
                    for group, r in rate_by_group(items).items()
                },
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
            target = (header.eval.model, "target")
            models.setdefault(
                target,
                {
                    "name": header.eval.model,
                    "role": "target",
                    "mitigation": (header.eval.task_args or {}).get("mitigation"),
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


def write_results(document: dict[str, Any], path: str | Path) -> Path:
    """Write `document` as indented JSON (NaN never appears: missing rates are null)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    return target
