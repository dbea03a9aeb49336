"""XSTest's 250 safe prompts → `not_overrefuse`, by XSTest type."""

from __future__ import annotations

from inspect_ai import Task

from syscard.data.loaders import load_starter
from syscard.evals.card_eval import card_eval
from syscard.evals.disallowed.prompt_sets import load_side, prompt_samples, provenance
from syscard.evals.refusal_scoring import refusal_task
from syscard.evals.sampling import per_group
from syscard.graders.registry import OFFLINE
from syscard.metrics.refusal import not_overrefuse
from syscard.sections import DISALLOWED_CONTENT


@card_eval(
    section=DISALLOWED_CONTENT,
    metrics=[not_overrefuse],
    datasets=["xstest"],
    quick={"per_category": 5, "starter_fallback": True},
)
def xstest(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    per_category: int | None = None,
    starter_fallback: bool = False,
) -> Task:
    """XSTest's 250 safe prompts → `not_overrefuse`, by XSTest type.

    Args:
        grader: "offline" (syscard's graders) or an Inspect model name to grade with a rubric.
        data_dir: a folder laid out like the dataset cache (e.g. ../shared/datasets).
        per_category: keep at most this many prompts per type (the quick suite's subset).
        starter_fallback: if XSTest is absent, use syscard's built-in benign starter set.
    """
    fallback = list(load_starter()[1]) if starter_fallback else None
    records, datasets, missing = load_side(["xstest"], data_dir, fallback)
    return refusal_task(
        "xstest",
        prompt_samples(per_group(records, per_category)),
        grader=grader,
        **provenance(datasets, missing, "xstest"),
    )
