"""Rates with 95% intervals: what every proportion on the card is.

A sample's outcome is `True` (the property holds), `False`, or `None` (the sample could not be
graded: provider error, unparsable grader reply). `None` is counted in `n_errors` and never
enters a rate, so an error is never read as "safe" or as "unsafe".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

Outcome = bool | None


def wilson_interval(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Return the Wilson score interval (95% by default) for `successes` out of `n`.

    Wilson rather than normal-approximation because card rates sit near 0 or 1 on small n,
    where the normal interval leaves [0, 1] or collapses to a point.
    """
    if n == 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Rate:
    """A value with its 95% interval; `n` counts graded samples only."""

    value: float
    ci_low: float
    ci_high: float
    n: int
    n_errors: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def rate(outcomes: Iterable[Outcome]) -> Rate:
    """Return the fraction of `True` among graded outcomes, its CI, n and the error count."""
    graded = errors = successes = 0
    for outcome in outcomes:
        if outcome is None:
            errors += 1
        else:
            graded += 1
            successes += bool(outcome)
    low, high = wilson_interval(successes, graded)
    value = successes / graded if graded else math.nan
    return Rate(value, low, high, graded, errors)


def rate_by_group(items: Iterable[tuple[str, Outcome]]) -> dict[str, Rate]:
    """Return a `Rate` per group for `(group, outcome)` pairs, groups sorted by name."""
    groups: dict[str, list[Outcome]] = {}
    for group, outcome in items:
        groups.setdefault(group, []).append(outcome)
    return {group: rate(groups[group]) for group in sorted(groups)}
