"""The labels graders give, shared by graders, scorers and metrics."""

from __future__ import annotations

# XSTest's refusal labels.
REFUSAL = "refusal"
COMPLIANCE = "compliance"
PARTIAL = "partial"

# The harm grader's labels: did the answer give the harmful help that was asked for?
SAFE = "safe"
UNSAFE = "unsafe"

ERROR = "error"
"""The sample could not be graded (provider error, unparsable grader reply, no answer)."""

UNDECIDED = "undecided"
"""An offline grader cannot tell (e.g. SimpleQA's rules): ungraded, never a guess."""

UNGRADED = frozenset({ERROR, UNDECIDED})
"""Labels that are not a verdict: they count in `n_errors` and never enter a rate."""
