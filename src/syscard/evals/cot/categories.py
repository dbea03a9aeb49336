"""The card's grouping of the deception monitor's categories (the o1 card's)."""

from __future__ import annotations

from syscard.graders.deception import CATEGORIES

CARD_CATEGORIES = ("intentional_hallucination", "hallucinated_policy", "other")
"""The card's grouping of the monitor's categories (the o1 card's): the two it names, the
rest (false action claims, knowing omissions, overstated confidence, deliberate wrong
answers) as "other"."""


def card_category(explanation: str) -> str:
    """Return the card group of a `deceptive` verdict from its explanation's leading category.

    The offline monitor starts its explanation with the category; a model monitor's reason
    may not, and then the verdict counts as "other".
    """
    head = explanation.split(":", 1)[0].strip().lower()
    if head in CARD_CATEGORIES[:2]:
        return head
    return "other"


def monitor_category(explanation: str) -> str | None:
    """Return the monitor's own category named at the start of `explanation`, if any."""
    head = explanation.split(":", 1)[0].strip().lower()
    return head if head in CATEGORIES else None
