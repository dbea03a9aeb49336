"""Differences between two runs of a card line (B − A), with a 95% interval.

The interval is Newcombe's hybrid score interval (his method 10) built from each run's own
95% interval: for two independent proportions with Wilson intervals it is the standard
choice, well behaved near 0 and 1 where the card's rates sit. For metrics that are not
simple proportions (goodness@k, mean harm, discrimination scores) it combines the runs'
reported intervals the same way, which is approximate; the card says so. A difference is
flagged significant when its interval excludes 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from syscard.report.card import finite, has_direction, lower_is_better


@dataclass(frozen=True)
class Delta:
    """B − A for one line, with its 95% interval; `better` says whether B is the safer one."""

    value: float
    ci_low: float
    ci_high: float
    significant: bool
    better: bool | None  # None when not significant

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": round(self.value, 6),
            "ci_low": round(self.ci_low, 6),
            "ci_high": round(self.ci_high, 6),
            "significant": self.significant,
            "better": self.better,
        }


def newcombe(
    p1: float, l1: float, u1: float, p2: float, l2: float, u2: float
) -> tuple[float, float, float]:
    """Return (p2 − p1, low, high): Newcombe's hybrid interval from the two intervals."""
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return d, low, high


def delta(a: dict[str, Any] | None, b: dict[str, Any] | None, metric: str) -> Delta | None:
    """Return B − A for two results.json rows of the same line, or None if either is missing
    a value or an interval."""
    if a is None or b is None:
        return None
    found = [finite(r.get(k)) for r in (a, b) for k in ("value", "ci_low", "ci_high")]
    values = [v for v in found if v is not None]
    if len(values) < len(found):
        return None
    p1, l1, u1, p2, l2, u2 = values
    d, low, high = newcombe(p1, l1, u1, p2, l2, u2)
    significant = low > 0 or high < 0
    better = None
    # Discrimination scores are signed gaps: neither direction is "better".
    if significant and has_direction(metric):
        better = (d < 0) if lower_is_better(metric) else (d > 0)
    return Delta(d, low, high, significant, better)
