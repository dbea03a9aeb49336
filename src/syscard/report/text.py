"""Plain-text pieces every card format shares: numbers, intervals, provenance sentences.

These return unescaped text; each renderer escapes for its own format.
"""

from __future__ import annotations

from typing import Any

from syscard.report.card import Card, Line, finite
from syscard.report.compare import delta

HEADLINE = (
    ("standard_refusal", "not_unsafe"),
    ("standard_refusal", "not_overrefuse"),
    ("xstest", "not_overrefuse"),
    ("challenging_refusal", "not_unsafe"),
    ("jailbreak_augmented", "not_unsafe"),
    ("strongreject", "goodness@0.1"),
    ("simpleqa", "accuracy"),
    ("simpleqa", "hallucination_rate"),
    ("bbq", "ambiguous_accuracy"),
)
"""The (eval, metric) lines the summary leads with, when they were run."""


def fmt(value: Any, digits: int = 3) -> str:
    """Return `value` rounded, or an em dash when it is missing."""
    number = finite(value)
    return "—" if number is None else f"{number:.{digits}f}"


def interval(row: dict[str, Any] | None) -> str:
    """Return "[low, high]" for a row or breakdown entry, or an em dash."""
    if not row:
        return "—"
    low, high = finite(row.get("ci_low")), finite(row.get("ci_high"))
    return "—" if low is None or high is None else f"[{low:.3f}, {high:.3f}]"


def agreement_text(agreement: dict[str, Any] | None) -> str:
    """Return "agreement 0.87 [0.83, 0.91]; kappa 0.67; finds 68% of human-labelled unsafe on
    n=300 human-labelled responses", or says it was not measured."""
    if not agreement:
        return "agreement with human labels not measured for this grader version"
    a = agreement["agreement"]
    text = f"agreement {a['value']:.3f} [{a['ci_low']:.3f}, {a['ci_high']:.3f}]"
    if agreement.get("binary"):
        b = agreement["binary"]
        text += f"; {b['split']}: {b['value']:.3f} [{b['ci_low']:.3f}, {b['ci_high']:.3f}]"
    kappa = (agreement.get("kappa") or {}).get("value")
    if kappa is not None:
        text += f"; kappa {kappa:.2f}"
    # The first declared label is the one the card counts (unsafe, refusal, leaked, ...): how
    # many of the human-labelled ones the grader finds says which way a rate is biased.
    first = (agreement.get("labels") or [None])[0]
    per_class = agreement.get("per_class") or {}
    if first in per_class and per_class[first]["recall"]["value"] is not None:
        text += f"; finds {per_class[first]['recall']['value']:.0%} of human-labelled {first}"
    text += f" on n={agreement['n']} human-labelled responses"
    annotators = agreement.get("annotators") or {}
    if "human_vs_human" in annotators:
        # What one careful annotator achieves against another: the ceiling to read it against.
        key = "human_vs_human_binary" if "human_vs_human_binary" in annotators else "human_vs_human"
        text += f" (two annotators agree {annotators[key]:.3f})"
    return text


def grader_text(row: dict[str, Any]) -> str:
    """Return "grader NAME vVERSION (agreement …)" for a results.json row."""
    grader = row.get("grader") or {}
    return (
        f"grader {grader.get('name', '?')} v{grader.get('version', '?')} "
        f"({agreement_text(row.get('grader_agreement'))})"
    )


def datasets_text(row: dict[str, Any]) -> str:
    """Return "name @ revision[:12] (source), …", or says the built-in starter set was used."""
    parts = [
        f"{d.get('name')} @ {str(d.get('revision', ''))[:12]} ({d.get('source', '')})"
        for d in row.get("datasets") or []
    ]
    text = "; ".join(parts) or "built-in data"
    if row.get("starter"):
        text += "; includes syscard's built-in starter set (not a public benchmark)"
    return text


def kinds_text(kinds: dict[str, int]) -> str:
    """Return "content filter 3, provider error 2" for error counts by kind."""
    return ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in kinds.items())


def errors_text(row: dict[str, Any]) -> str:
    """Return "err 5 (content filter 3, provider error 2)", or "" when nothing failed."""
    if not row.get("n_errors"):
        return ""
    detail = kinds_text(row.get("errors_by_kind") or {})
    return f"err {row['n_errors']}" + (f" ({detail})" if detail else "")


def provenance(row: dict[str, Any]) -> str:
    """One sentence tracing a number: grader, agreement, data, sample and error counts."""
    return (
        f"{grader_text(row)}. Data: {datasets_text(row)}. n={row.get('n')} graded, "
        f"{row.get('n_errors')} errors (excluded from the rate"
        + (f": {errors_text(row)[4:]}" if row.get("errors_by_kind") else "")
        + f"); log status {row.get('status')}."
    )


def published_text(line: Line, model: str) -> str:
    """Return the published value of `model` for `line`, or an em dash."""
    return fmt(line.published.get(model), 3) if model in line.published else "—"


def summary(card: Card, scorecards: list[Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """Return the summary: (headline, values per run) pairs, then one sentence per
    significant difference between a later run and the first."""
    items = []
    for eval_name, metric in HEADLINE:
        line = card.find(eval_name, metric)
        if line is None:
            continue
        values = ", ".join(
            f"{run.label}: {fmt((line.cells.get(run.key) or {}).get('value'))} "
            f"{interval(line.cells.get(run.key))}"
            for run in card.runs
        )
        items.append((f"{line.label} {line.metric}", values))
    items += [(f"Preparedness, {s.model}", s.verdict) for s in scorecards]
    differences = []
    for run in card.runs[1:]:
        first = card.runs[0]
        for line in card.lines():
            d = delta(line.cells.get(first.key), line.cells.get(run.key), line.metric)
            if d is not None and d.significant:
                word = "better" if d.better else ("worse" if d.better is False else "different")
                differences.append(
                    f"{line.label} {line.metric}: {run.label} is {word} than {first.label} by "
                    f"{d.value:+.3f} [{d.ci_low:+.3f}, {d.ci_high:+.3f}]"
                )
    return items, differences


def graders_used(card: Card) -> list[tuple[str, str]]:
    """Return ("name vVERSION", measured agreement) for every grader behind the card's rows."""
    graders: dict[str, str] = {}
    for document in card.documents:
        for row in document.get("results", []):
            g = row.get("grader") or {}
            graders[f"{g.get('name')} v{g.get('version')}"] = agreement_text(
                row.get("grader_agreement")
            )
    return sorted(graders.items())
