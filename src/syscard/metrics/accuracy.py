"""`accuracy`: correct answers among graded answers, a number of two card sections.

SimpleQA / PersonQA (hallucination: labels correct / incorrect / not_attempted, plus the
offline grader's `undecided`) and MMMLU (multilingual: correct / incorrect / no_answer) both
report it. It is declared once here, so Inspect's registry holds one `syscard/accuracy`; each
eval lays it out with `accuracy.by(...)` (its own scorer, breakdown and row fields).

Ungraded labels (`error`, `undecided`) count in `n_errors` and never enter the rate; every
other label is a graded answer, right only when it is `correct`. So an answer that is not
attempted (SimpleQA) or gives no option letter (MMMLU) counts as not correct.
"""

from __future__ import annotations

from syscard.metrics.card_metric import SampleView, card_metric
from syscard.metrics.labels import UNGRADED
from syscard.metrics.rates import Outcome

CORRECT = "correct"
"""The label of a right answer, in SimpleQA's grading and in MMMLU's answer check."""


def accuracy_outcome(view: SampleView) -> Outcome:
    """True for a `correct` answer; None when ungraded (failed, `error`, `undecided`)."""
    if view.label in UNGRADED:
        return None
    return view.label == CORRECT


accuracy = card_metric(
    "accuracy",
    "Correct answers / graded answers (errors and undecided answers excluded).",
    # SimpleQA's scorer; MMMLU's layout names its own (`accuracy.by(..., scorer=...)`).
    scorer="simpleqa_label",
    bars=True,
    outcome=accuracy_outcome,
)
