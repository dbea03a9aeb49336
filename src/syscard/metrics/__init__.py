"""The card's numbers: rates with intervals, grader labels, and metric declarations.

`syscard.metrics.card_metric` declares a card metric once (name, direction, per-sample
outcome, breakdown, interval); the Inspect metric and the results.json rows both come from
that declaration.
"""

from syscard.metrics.labels import (
    COMPLIANCE,
    ERROR,
    PARTIAL,
    REFUSAL,
    SAFE,
    UNDECIDED,
    UNGRADED,
    UNSAFE,
)
from syscard.metrics.rates import Outcome, Rate, rate, rate_by_group, wilson_interval

__all__ = [
    "COMPLIANCE",
    "ERROR",
    "PARTIAL",
    "REFUSAL",
    "SAFE",
    "UNDECIDED",
    "UNGRADED",
    "UNSAFE",
    "Outcome",
    "Rate",
    "rate",
    "rate_by_group",
    "wilson_interval",
]
