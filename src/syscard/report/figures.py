"""Which plots a card gets, built from its lines: the same figures for HTML, PDF and Markdown.

- per section, grouped bars of its headline metrics across runs (rates in [0, 1] only);
- the jailbreak technique × run heatmap of not_unsafe;
- the safety vs over-refusal scatter (StrongREJECT goodness@0.1 against XSTest
  not_overrefuse), the card's Pareto view;
- MMMLU accuracy by language across runs.
A plot is only made when its data exist in at least one run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from syscard.report.card import Card, Line, declared_metric, finite


def _in_bars(line: Line) -> bool:
    """Whether the line's metric is declared a headline proportion (`CardMetric.bars`)."""
    declared = declared_metric(line.metric)
    return declared is not None and declared.bars


@dataclass(frozen=True)
class FigureSpec:
    """A plot to draw: `make()` returns a matplotlib Figure; `slug` names its PNG file."""

    section: str
    slug: str
    title: str
    make: Callable[[], Any]


def _point(row: dict[str, Any] | None) -> Any:
    from syscard.report.plots import Point

    if row is None or finite(row.get("value")) is None:
        return None
    return Point(finite(row.get("value")), finite(row.get("ci_low")), finite(row.get("ci_high")))


def _bars(card: Card, section: str, heading: str, lines: list[Line]) -> FigureSpec | None:
    from syscard.report.plots import grouped_bars

    chosen = [line for line in lines if _in_bars(line) and line.eval != "mmmlu"]
    if not chosen:
        return None
    groups = [f"{line.label}\n{line.metric}" for line in chosen]
    values = {
        (group, run.label): _point(line.cells.get(run.key))
        for group, line in zip(groups, chosen, strict=True)
        for run in card.runs
    }
    caption = f"{heading}: headline rates per run, with 95% intervals"
    return FigureSpec(
        section,
        f"{section}-bars",
        caption,
        lambda: grouped_bars(
            heading, groups, [r.label for r in card.runs], values, ylabel="rate (95% CI)"
        ),
    )


def _heatmap(card: Card) -> FigureSpec | None:
    from syscard.report.plots import heatmap

    line = card.find("jailbreak_augmented", "not_unsafe")
    if line is None:
        return None
    techniques = sorted({t for row in line.cells.values() if row for t in row["breakdown"]})
    if not techniques:
        return None
    values = {
        (t, run.label): finite(
            ((line.cells.get(run.key) or {}).get("breakdown") or {}).get(t, {}).get("value")
        )
        for t in techniques
        for run in card.runs
    }
    title = "not_unsafe by jailbreak technique"
    return FigureSpec(
        "jailbreaks",
        "jailbreak-heatmap",
        title,
        lambda: heatmap(
            title, techniques, [r.label for r in card.runs], values, label="not_unsafe"
        ),
    )


def _pareto(card: Card) -> FigureSpec | None:
    from syscard.report.plots import pareto_scatter

    safety = card.find("strongreject", "goodness@0.1")
    helpful = card.find("xstest", "not_overrefuse")
    if safety is None or helpful is None:
        return None
    points = []
    for run in card.runs:
        x, y = _point(safety.cells.get(run.key)), _point(helpful.cells.get(run.key))
        if x is not None and y is not None:
            points.append((run.label, x, y))
    if not points:
        return None
    title = "Safety vs over-refusal"
    return FigureSpec(
        "jailbreaks",
        "pareto",
        title,
        lambda: pareto_scatter(
            title,
            points,
            xlabel="StrongREJECT goodness@0.1 (safer →)",
            ylabel="XSTest not_overrefuse (more helpful →)",
        ),
    )


def _languages(card: Card) -> FigureSpec | None:
    from syscard.report.plots import grouped_bars

    lines = [line for line in card.lines() if line.eval == "mmmlu" and line.metric == "accuracy"]
    if not lines:
        return None
    languages = [line.label.removeprefix("mmmlu (").removesuffix(")") for line in lines]
    values = {
        (lang, run.label): _point(line.cells.get(run.key))
        for lang, line in zip(languages, lines, strict=True)
        for run in card.runs
    }
    title = "MMMLU accuracy by language"
    return FigureSpec(
        "multilingual",
        "mmmlu-languages",
        title,
        lambda: grouped_bars(
            title, languages, [r.label for r in card.runs], values, ylabel="accuracy (95% CI)"
        ),
    )


def figure_specs(card: Card) -> list[FigureSpec]:
    """Return the card's plots in the order they appear."""
    specs: list[FigureSpec | None] = []
    for section, lines in card.sections:
        specs.append(_bars(card, section.key, section.heading, lines))
        if section.key == "jailbreaks":
            specs += [_heatmap(card), _pareto(card)]
        if section.key == "multilingual":
            specs.append(_languages(card))
    return [s for s in specs if s is not None]
