"""The card's evaluations, one module per card section, and the suites that group them.

Every module in this package that exports `EVAL_INFOS` contributes its evals; modules whose
name starts with "_" are helpers.
"""

from __future__ import annotations

import importlib
import pkgutil

from syscard.evals._info import EvalInfo


def _discover() -> dict[str, EvalInfo]:
    found: dict[str, EvalInfo] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        for info in getattr(importlib.import_module(f"{__name__}.{module.name}"), "EVAL_INFOS", []):
            if info.name in found:
                raise RuntimeError(f"eval '{info.name}' is declared twice")
            found[info.name] = info
    return found


EVALS: dict[str, EvalInfo] = _discover()
SECTIONS: list[str] = sorted({info.section for info in EVALS.values()})
SUITES: dict[str, list[str]] = {
    "quick": [name for name, info in EVALS.items() if info.in_quick],
    "full": list(EVALS),
    # Issue #6 names the section by its short name.
    "hierarchy": [n for n, info in EVALS.items() if info.section == "instruction_hierarchy"],
}

__all__ = ["EVALS", "SECTIONS", "SUITES", "EvalInfo"]
