"""results.json rows of one card metric, from a log's sample summaries.

Every row has `metric`, `value`, `ci_low`, `ci_high`, `n`, `n_errors` and `breakdown`; the
eval, model, grader, datasets and log fields are added by `syscard.results`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from inspect_ai.log import EvalSampleSummary

from syscard.metrics.card_metric import CardMetric, RowContext, SampleView, Skip
from syscard.metrics.rates import Outcome, Rate

_INTERRUPTED = "CancelledError"
_NO_RATE = Rate(math.nan, math.nan, math.nan, 0, 0)


def completed(summaries: Iterable[EvalSampleSummary]) -> list[EvalSampleSummary]:
    """Drop samples the user interrupted: not errors, a rerun completes them."""
    return [s for s in summaries if not (s.error and s.error.startswith(_INTERRUPTED))]


def views_of(
    summaries: Iterable[EvalSampleSummary], scorer: str, settings: Mapping[str, Any]
) -> list[SampleView]:
    """Return what a metric reading `scorer` sees of each completed sample."""
    views = []
    for summary in completed(summaries):
        score = (summary.scores or {}).get(scorer)
        failed = summary.error or score is None
        views.append(
            SampleView(
                summary.metadata or {},
                None if failed else score.value,  # type: ignore[union-attr]
                {} if failed else (score.metadata or {}),  # type: ignore[union-attr]
                settings,
                summary.id,
                summary.error or None,
            )
        )
    return views


def errors_by_kind(items: Iterable[tuple[SampleView, Outcome]]) -> dict[str, int]:
    """Count the ungraded samples (outcome None) by why they are not graded."""
    return dict(sorted(Counter(v.error_kind for v, o in items if o is None).items()))


def _finite(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 6)


def rate_fields(overall: Rate, groups: Mapping[str, Rate] | None = None) -> dict[str, Any]:
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


def _grouped(
    items: list[tuple[SampleView, Outcome]], key: str
) -> dict[str, list[tuple[SampleView, Outcome]]]:
    groups: dict[str, list[tuple[SampleView, Outcome]]] = {}
    for view, outcome in items:
        groups.setdefault(view.group(key), []).append((view, outcome))
    return {g: groups[g] for g in sorted(groups)}


def _row(
    metric: CardMetric, views: list[SampleView], settings: Mapping[str, Any], key: str | None
) -> dict[str, Any]:
    kept: list[tuple[SampleView, Outcome]] = []
    for view in views:
        outcome = metric.outcome(view)
        if not isinstance(outcome, Skip):
            kept.append((view, outcome))
    groups = _grouped(kept, metric.breakdown) if metric.breakdown else {}
    fields = rate_fields(metric.estimate(kept), {g: metric.estimate(i) for g, i in groups.items()})
    if metric.group_extras:
        for group, entry in fields["breakdown"].items():
            entry.update(metric.group_extras([v for v, _ in groups[group]]))
    row: dict[str, Any] = {
        "metric": metric.name_for(settings),
        **fields,
        "errors_by_kind": errors_by_kind(kept),
    }
    if metric.rows_by and key is not None:
        row[metric.rows_by] = key
    for name, by in metric.extra_breakdowns.items():
        extra = _grouped(kept, by)
        row[name] = rate_fields(_NO_RATE, {g: metric.estimate(i) for g, i in extra.items()})[
            "breakdown"
        ]
    if metric.extras:
        row.update(metric.extras(RowContext(views, settings, key)))
    return row


def metric_rows(
    metric: CardMetric, summaries: Iterable[EvalSampleSummary], settings: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Return the results.json rows of `metric` for one log (one row, or one per group)."""
    views = views_of(summaries, metric.scorer, settings)
    if not metric.rows_by:
        return [_row(metric, views, settings, None)]
    by_key: dict[str, list[SampleView]] = {}
    for view in views:
        by_key.setdefault(view.group(metric.rows_by), []).append(view)
    order = list(metric.rows_order(settings)) if metric.rows_order else sorted(by_key)
    order += [k for k in by_key if k not in order]
    return [_row(metric, by_key[k], settings, k) for k in order if by_key.get(k)]
