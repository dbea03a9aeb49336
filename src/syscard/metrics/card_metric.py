"""One declaration per card metric: name, direction, per-sample outcome, breakdown, interval.

A `CardMetric` is the only place a number of the card is defined. From it come

- the Inspect metric shown by `inspect view` (`inspect_metric`), registered once under
  `syscard/<name>` — declaring a second metric of the same name is an error; and
- the results.json rows (`syscard.metrics.rows.metric_rows`), from the same per-sample
  outcome, so Inspect's figure and the card's cannot disagree.

An outcome function sees a `SampleView` and returns True / False, None (could not be graded:
counted in `n_errors`, never in the rate) or `SKIP` (the metric is not about this sample,
e.g. `not_unsafe` on a benign prompt).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from inspect_ai.scorer import Metric, SampleScore, metric

from syscard.metrics.labels import ERROR, UNDECIDED, UNGRADED
from syscard.metrics.rates import Outcome, Rate, rate

Direction = Literal["higher", "lower", "neither"]

SAMPLE_ERROR = "sample_error"
NOT_SCORED = "not_scored"
UNGRADED_KIND = "ungraded"


class Skip:
    """The metric does not apply to this sample."""

    def __repr__(self) -> str:
        return "SKIP"


SKIP = Skip()


@dataclass(frozen=True)
class SampleView:
    """What a metric sees of one sample, the same in Inspect's metric and in results.json."""

    metadata: Mapping[str, Any]
    value: Any
    """The score's value; None when the sample failed or was not scored."""
    score_metadata: Mapping[str, Any] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    """The task's metadata (its settings: a threshold, the techniques, ...)."""
    id: str | int | None = None
    error: str | None = None
    """The sample's own error (it failed: the provider kept failing, a timeout), if any."""

    @property
    def label(self) -> str:
        """The score value as a label: `error` when the sample failed or was not scored."""
        return ERROR if self.value is None else str(self.value)

    @property
    def error_kind(self) -> str:
        """Why this sample is not graded (`content_filter`, `provider_error`, ...): its score's
        `error_kind`, `sample_error` when the sample itself failed, else from its label."""
        if self.error is not None:
            return SAMPLE_ERROR
        kind = self.score_metadata.get("error_kind")
        if kind:
            return str(kind)
        if self.value is None:
            return NOT_SCORED
        return UNDECIDED if self.value == UNDECIDED else UNGRADED_KIND

    def group(self, key: str) -> str:
        """Return this sample's group under metadata `key` ("all" when it has none)."""
        return str(self.metadata.get(key, "all"))


OutcomeFn = Callable[[SampleView], "Outcome | Skip"]
Estimate = Callable[[list[tuple[SampleView, Outcome]]], Rate]
"""How a metric's value and 95% interval are computed from (sample, outcome) pairs."""


def wilson(items: list[tuple[SampleView, Outcome]]) -> Rate:
    """The share of True outcomes with its Wilson interval (the default estimate)."""
    return rate(outcome for _, outcome in items)


@dataclass(frozen=True)
class RowContext:
    """What a metric's `extras` see when one results.json row is built."""

    views: list[SampleView]
    """Every completed sample of the row, whether the metric applies to it or not."""
    settings: Mapping[str, Any]
    key: str | None = None
    """The row's value of `rows_by`, when the metric has one row per group."""


@dataclass(frozen=True)
class CardMetric:
    """A number of the card. Create with `card_metric(...)`, which registers it."""

    name: str
    description: str
    scorer: str
    """The scorer (by name) whose score value `outcome` reads."""
    outcome: OutcomeFn
    direction: Direction = "higher"
    breakdown: str | None = "category"
    """Sample-metadata key of the row's per-group breakdown (None: no breakdown)."""
    estimate: Estimate = wilson
    interval: str = "Wilson 95% interval over samples"
    rows_by: str | None = None
    """One row per value of this sample-metadata key (written into the row under the key)."""
    rows_order: Callable[[Mapping[str, Any]], Sequence[str]] | None = None
    """The order of `rows_by` rows from the task's settings (default: sorted)."""
    extra_breakdowns: Mapping[str, str] = field(default_factory=dict)
    """Further breakdowns: row field → sample-metadata key."""
    group_extras: Callable[[list[SampleView]], dict[str, Any]] | None = None
    """Fields added to each breakdown group, from that group's samples."""
    extras: Callable[[RowContext], dict[str, Any]] | None = None
    """Fields added to the row."""
    settings: tuple[str, ...] = ()
    """Task-metadata keys the outcome reads (passed to, and recorded with, the Inspect metric)."""
    title: Callable[[Mapping[str, Any]], str] | None = None
    """The metric's name for given task settings (e.g. `goodness@0.2`); default: `name`."""
    in_card: bool = True
    """False for a diagnostic shown by Inspect only (no results.json row)."""
    bars: bool = False
    """A headline proportion in [0, 1]: drawn in its section's bar chart on the card."""
    inspect: Callable[[Mapping[str, Any]], Metric] | None = None
    """A metric whose Inspect value is not a rate of outcomes builds its own."""

    @property
    def lower_is_better(self) -> bool:
        return self.direction == "lower"

    def name_for(self, settings: Mapping[str, Any]) -> str:
        """Return this metric's name in a task with these settings."""
        return self.title(settings) if self.title else self.name

    def matches(self, name: str) -> bool:
        """True when `name` (a results.json row's metric) is this metric."""
        if self.title is None:
            return name == self.name
        return name.split("@", 1)[0] == self.name.split("@", 1)[0]

    def by(self, breakdown: str | None = None, **layout: Any) -> CardMetric:
        """Return this metric laid out differently in one eval's rows (same number, same
        Inspect metric): another breakdown key, one row per group, extras."""
        return dataclasses.replace(self, breakdown=breakdown, **layout)

    def inspect_metric(self, task_settings: Mapping[str, Any]) -> Metric:
        """Return the Inspect metric for a task with these settings."""
        factory = _INSPECT_FACTORIES[self.name]
        return factory({k: task_settings[k] for k in self.settings if k in task_settings})


_DECLARED: dict[str, CardMetric] = {}
_INSPECT_FACTORIES: dict[str, Callable[..., Metric]] = {}
_INSPECT_NAMES: dict[str, str] = {}


def card_metric(
    name: str,
    description: str,
    *,
    scorer: str,
    outcome: OutcomeFn,
    inspect_name: str | None = None,
    **declaration: Any,
) -> CardMetric:
    """Declare a card metric and register its Inspect metric as `syscard/<inspect_name>`.

    Returns the declaration. A name may be declared once: a second declaration is an error
    (it would silently replace the first in Inspect's registry).
    """
    if name in _DECLARED:
        raise ValueError(f"card metric '{name}' is declared twice")
    declared = CardMetric(name, description, scorer, outcome, **declaration)
    registry_name = inspect_name or name.split("@", 1)[0]
    if registry_name in _INSPECT_NAMES.values():
        raise ValueError(f"Inspect metric 'syscard/{registry_name}' is registered twice")

    def factory(settings: dict[str, Any] | None = None) -> Metric:
        if declared.inspect is not None:
            return declared.inspect(settings or {})

        def compute(scores: list[SampleScore]) -> float:
            views = [_view(s, settings or {}) for s in scores]
            return rate(o for o in map(declared.outcome, views) if not isinstance(o, Skip)).value

        return compute

    factory.__doc__ = description
    _INSPECT_FACTORIES[name] = metric(name=registry_name)(factory)
    _INSPECT_NAMES[name] = registry_name
    _DECLARED[name] = declared
    return declared


def declared_metrics() -> dict[str, CardMetric]:
    """Every card metric declared so far (import `syscard.evals` to declare them all)."""
    return dict(_DECLARED)


def metric_named(name: str) -> CardMetric | None:
    """Return the declaration of a results.json row's metric (e.g. `goodness@0.2`), if any."""
    return next((m for m in _DECLARED.values() if m.matches(name)), None)


def _view(score: SampleScore, settings: Mapping[str, Any]) -> SampleView:
    return SampleView(
        score.sample_metadata or {},
        score.score.value,
        score.score.metadata or {},
        settings,
        score.sample_id,
    )


def is_ungraded(value: Any) -> bool:
    """True for a score value that is not a verdict: missing, `error`/`undecided`, or a dict
    of values that are all missing (e.g. StrongREJECT's scores when grading failed)."""
    if value is None:
        return True
    if isinstance(value, str):
        return value in UNGRADED
    if isinstance(value, Mapping):
        return all(v is None or (isinstance(v, float) and math.isnan(v)) for v in value.values())
    return False


@metric
def n_errors() -> Metric:
    """Number of samples that could not be graded (provider errors, unparsable verdicts)."""

    def compute(scores: list[SampleScore]) -> int:
        return sum(is_ungraded(s.score.value) for s in scores)

    return compute


def inspect_metrics(metrics: Sequence[CardMetric], settings: Mapping[str, Any]) -> list[Metric]:
    """Return the Inspect metrics of a task that reports `metrics`, plus `n_errors`."""
    return [m.inspect_metric(settings) for m in metrics] + [n_errors()]
