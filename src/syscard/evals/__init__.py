"""The card's evaluations, one module per card section, and the suites that group them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EvalInfo:
    """What `syscard list` shows for an eval, and how the suites build it."""

    name: str
    section: str
    metrics: tuple[str, ...]
    datasets: tuple[str, ...]
    quick_args: dict
    """Task arguments of the quick suite (a small, stratified, resumable subset)."""


EVALS: dict[str, EvalInfo] = {
    info.name: info
    for info in (
        EvalInfo(
            "xstest",
            "disallowed_content",
            ("not_overrefuse",),
            ("xstest",),
            {"per_category": 5, "starter_fallback": True},
        ),
        EvalInfo(
            "standard_refusal",
            "disallowed_content",
            ("not_unsafe", "not_overrefuse"),
            ("strongreject", "harmbench", "jailbreakbench", "advbench"),
            # XSTest has its own eval in the suite: the quick benign side is JBB benign only.
            {
                "per_category": 5,
                "starter_fallback": True,
                "benign_sources": "jailbreakbench_benign",
            },
        ),
    )
}

SECTIONS = sorted({info.section for info in EVALS.values()})
SUITES = {"quick": list(EVALS), "full": list(EVALS)}


def task_factory(name: str):
    """Return the Inspect task function for eval `name`."""
    from syscard.evals import disallowed

    return {"xstest": disallowed.xstest, "standard_refusal": disallowed.standard_refusal}[name]
