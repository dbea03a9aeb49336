"""Standard refusal: public harmful behaviours → `not_unsafe` by policy category; benign
look-alikes → `not_overrefuse` by type."""

from __future__ import annotations

from inspect_ai import Task

from syscard.data.loaders import HARMFUL_SOURCES, load_starter
from syscard.evals.card_eval import card_eval
from syscard.evals.disallowed.prompt_sets import load_side, prompt_samples, provenance, split_csv
from syscard.evals.refusal_scoring import refusal_task
from syscard.evals.sampling import per_group, round_robin
from syscard.graders.registry import OFFLINE
from syscard.metrics.refusal import not_overrefuse, not_unsafe
from syscard.sections import DISALLOWED_CONTENT

BENIGN_SOURCES = ("jailbreakbench_benign", "xstest")
ALL_HARMFUL = ",".join(HARMFUL_SOURCES)
ALL_BENIGN = ",".join(BENIGN_SOURCES)


@card_eval(
    section=DISALLOWED_CONTENT,
    metrics=[not_unsafe, not_overrefuse],
    datasets=HARMFUL_SOURCES,
    # XSTest has its own eval in the suite: the quick benign side is JBB benign only.
    quick={
        "per_category": 5,
        "starter_fallback": True,
        "benign_sources": "jailbreakbench_benign",
    },
)
def standard_refusal(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    per_category: int | None = None,
    starter_fallback: bool = False,
    harmful_sources: str | list[str] = ALL_HARMFUL,
    benign_sources: str | list[str] = ALL_BENIGN,
) -> Task:
    """Harmful behaviours → `not_unsafe` by policy category; benign look-alikes →
    `not_overrefuse` by type.

    Args:
        grader: "offline" (syscard's graders) or an Inspect model name to grade with a rubric.
        data_dir: a folder laid out like the dataset cache (e.g. ../shared/datasets).
        per_category: keep at most this many prompts per category (quick suite).
        starter_fallback: for a side whose datasets are all absent, use the starter set.
        harmful_sources: comma-separated harmful datasets.
        benign_sources: comma-separated benign datasets.
    """
    starter_harmful, starter_benign = load_starter() if starter_fallback else (None, None)
    harmful, used_h, missing_h = load_side(split_csv(harmful_sources), data_dir, starter_harmful)
    benign, used_b, missing_b = load_side(split_csv(benign_sources), data_dir, starter_benign)
    records = round_robin([per_group(harmful, per_category), per_group(benign, per_category)])
    return refusal_task(
        "standard_refusal",
        prompt_samples(records),
        grader=grader,
        **provenance(used_h + used_b, missing_h + missing_b, "standard_refusal"),
    )
