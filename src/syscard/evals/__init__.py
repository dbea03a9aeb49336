"""The card's evaluations, one package per card section, and the suites that group them.

Every module under this package is imported once, so each `@card_eval` in it registers its
eval: adding an eval is adding its file.
"""

from __future__ import annotations

import importlib
import pkgutil

from syscard.evals.card_eval import EvalInfo, card_eval, declared_evals
from syscard.sections import SECTIONS as CARD_SECTIONS


def _discover() -> dict[str, EvalInfo]:
    for module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        importlib.import_module(module.name)
    order = {section.key: i for i, section in enumerate(CARD_SECTIONS)}
    found = declared_evals()
    # In the card's section order; within a section, in the order the modules declare them.
    return dict(sorted(found.items(), key=lambda kv: order.get(kv[1].section.key, len(order))))


ALL_EVALS: dict[str, EvalInfo] = _discover()
"""Every declared eval, including tasks syscard builds itself (the monitor's replay)."""

EVALS: dict[str, EvalInfo] = {name: info for name, info in ALL_EVALS.items() if info.listed}
"""The evals of the card, by name."""

SECTIONS: list[str] = list(dict.fromkeys(info.section.key for info in EVALS.values()))
"""The sections that have evals (`--suite SECTION` runs them)."""

SUITES: dict[str, list[str]] = {
    "quick": [name for name, info in EVALS.items() if info.in_quick],
    "full": list(EVALS),
    # Issue #6 names the section by its short name.
    "hierarchy": [n for n, info in EVALS.items() if info.section.key == "instruction_hierarchy"],
}

__all__ = ["ALL_EVALS", "EVALS", "SECTIONS", "SUITES", "EvalInfo", "card_eval"]
