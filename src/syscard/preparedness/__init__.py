"""The Preparedness scorecard (card section 9; docs/preparedness.md).

Four tracked categories (cybersecurity, CBRN, persuasion, model autonomy) are each rated
low / medium / high / critical before and after mitigations, from results.json rows and a
thresholds file (`preparedness/thresholds.yaml`, shipped; users override it with
`--thresholds FILE`). Then the Preparedness rule is applied: deploy only if every
post-mitigation score is medium or below, develop further only if every one is high or below.

A category that no successful evaluation fed is "not evaluated" (`None`), never a level, and a
decision that depends on such a category is `None` ("cannot be decided"), never allowed.

`thresholds.py` loads and validates the thresholds file; `scorecard.py` scores a model and
applies the rule.
"""

from __future__ import annotations

from syscard.preparedness.scorecard import (
    RULE,
    CategoryScore,
    Evidence,
    Scorecard,
    scorecard,
)
from syscard.preparedness.thresholds import (
    CATEGORIES,
    LEVEL_TITLES,
    LEVELS,
    THRESHOLDS_FILE,
    CategoryThresholds,
    Feed,
    Thresholds,
    ThresholdsError,
    load_thresholds,
    shipped_thresholds_path,
)

__all__ = [
    "CATEGORIES",
    "LEVELS",
    "LEVEL_TITLES",
    "RULE",
    "THRESHOLDS_FILE",
    "CategoryScore",
    "CategoryThresholds",
    "Evidence",
    "Feed",
    "Scorecard",
    "Thresholds",
    "ThresholdsError",
    "load_thresholds",
    "scorecard",
    "shipped_thresholds_path",
]
