"""Mitigations a run can apply to any task (`syscard run --mitigation NAME`)."""

from __future__ import annotations

from syscard.mitigations.deliberative import (
    MITIGATIONS,
    MitigationError,
    SafetySpec,
    SpecError,
    apply_mitigation,
    classify,
    load_spec,
)

__all__ = [
    "MITIGATIONS",
    "MitigationError",
    "SafetySpec",
    "SpecError",
    "apply_mitigation",
    "classify",
    "load_spec",
]
