"""`@card_eval`: the one declaration of an eval of the card, over Inspect's `@task`.

    @card_eval(section=DISALLOWED_CONTENT, metrics=[not_overrefuse], datasets=["xstest"],
               quick={"per_category": 5})
    def xstest(grader: str = "offline", data_dir: str | None = None) -> Task: ...

registers the task with Inspect (`inspect eval syscard/xstest`) and is the only source of the
eval list, `syscard list`, the suites and sections, the card section of its rows, and its
results.json rows (from the declared metrics). The task receives only the arguments its
signature declares: syscard offers every task `grader` and `data_dir`, and passes them to
those that ask for them.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from inspect_ai import Task, task
from inspect_ai._eval.task.task import resolve_scorer_metrics
from inspect_ai.log import EvalSampleSummary

from syscard.metrics.card_metric import CardMetric, inspect_metrics
from syscard.metrics.rows import metric_rows
from syscard.sections import Section

RowsFn = Callable[[Mapping[str, Any], list[EvalSampleSummary]], list[dict[str, Any]]]
"""Rows of an eval whose metrics are computed together (a model fit, a combination):
(task settings, sample summaries) → rows."""


@dataclass(frozen=True)
class EvalInfo:
    """Everything syscard knows about one eval, from its `@card_eval` declaration."""

    name: str
    section: Section
    metrics: tuple[CardMetric, ...]
    datasets: tuple[str, ...]
    task: Callable[..., Task]
    params: tuple[str, ...]
    """The arguments the task function declares."""
    quick: Mapping[str, Any] | None = None
    """Task arguments in the quick suite; None: the eval is not in the quick suite."""
    full: Mapping[str, Any] = field(default_factory=dict)
    """Task arguments in every other suite."""
    rows: RowsFn | None = None
    listed: bool = True
    """False for a task syscard builds itself (e.g. the monitor's replay): not in any suite."""

    @property
    def in_quick(self) -> bool:
        return self.quick is not None

    def metric_names(self, settings: Mapping[str, Any] | None = None) -> list[str]:
        """Return the names of the card metrics this eval reports (for these task settings)."""
        return [m.name_for(settings or {}) for m in self.metrics if m.in_card]

    def build(self, offered: Mapping[str, Any], quick: bool = False) -> Task:
        """Return the task, called with the suite's arguments and those of `offered` that its
        function declares."""
        args = {k: v for k, v in offered.items() if k in self.params}
        args.update((self.quick if quick and self.quick is not None else self.full) or {})
        return self.task(**args)

    def results_rows(
        self, settings: Mapping[str, Any], summaries: list[EvalSampleSummary]
    ) -> list[dict[str, Any]]:
        """Return the results.json rows of one log of this eval (before common fields)."""
        if self.rows is not None:
            return self.rows(settings, summaries)
        names = settings.get("metrics")
        rows = []
        for m in self.metrics:
            # A task may report fewer metrics than declared (its settings say which).
            if m.in_card and (names is None or m.name_for(settings) in names):
                rows.extend(metric_rows(m, summaries, settings))
        return rows


_EVALS: dict[str, EvalInfo] = {}


def card_eval(
    *,
    section: Section,
    metrics: Sequence[CardMetric],
    datasets: Sequence[str] = (),
    quick: Mapping[str, Any] | None = None,
    full: Mapping[str, Any] | None = None,
    rows: RowsFn | None = None,
    listed: bool = True,
    name: str | None = None,
) -> Callable[[Callable[..., Task]], Callable[..., Task]]:
    """Declare an eval of the card and register it as an Inspect task.

    Args:
        section: the card section its rows belong to.
        metrics: the card metrics it reports (their Inspect metrics are set on the task).
        datasets: registry names of the datasets it reads (for `syscard list`).
        quick: task arguments in the quick suite (None: not in the quick suite).
        full: task arguments in the full suite and whenever the eval is named.
        rows: computes all rows together, where metrics are a fit or a combination.
        listed: False for a task that is not run from a suite.
        name: the task name (default: the function's name).

    Returns:
        The Inspect task function.
    """

    def declare(fn: Callable[..., Task]) -> Callable[..., Task]:
        eval_name = name or fn.__name__
        if eval_name in _EVALS:
            raise ValueError(f"eval '{eval_name}' is declared twice")

        @functools.wraps(fn)
        def build(*args: Any, **kwargs: Any) -> Task:
            built = fn(*args, **kwargs)
            settings = dict(built.metadata or {})
            settings.setdefault("section", section.key)
            settings.setdefault("metrics", [m.name_for(settings) for m in metrics if m.in_card])
            built.metadata = settings
            declared: list[Any] = inspect_metrics(metrics, settings)
            built.metrics = declared
            # Inspect reads a scorer's metrics from its registry info, which `Task(metrics=)`
            # sets when the task is constructed: set it the same way for the declared ones.
            built.scorer = resolve_scorer_metrics(built.scorer, declared)
            return built

        registered = task(name=eval_name)(build)
        _EVALS[eval_name] = EvalInfo(
            name=eval_name,
            section=section,
            metrics=tuple(metrics),
            datasets=tuple(datasets),
            task=registered,
            params=tuple(inspect.signature(fn).parameters),
            quick=quick,
            full=dict(full or {}),
            rows=rows,
            listed=listed,
        )
        return registered

    return declare


def declared_evals() -> dict[str, EvalInfo]:
    """Every eval declared so far (import `syscard.evals` to declare them all)."""
    return dict(_EVALS)
