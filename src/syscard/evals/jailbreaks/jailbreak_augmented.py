"""Jailbreak-augmented examples: known jailbreak techniques applied to the standard-refusal
harmful prompts → `not_unsafe` over all (technique, prompt) pairs, broken down by technique
(the card's question: does any known template get through?) and by policy category."""

from __future__ import annotations

from inspect_ai import Task

from syscard.data.loaders import HARMFUL_SOURCES, load_harmful
from syscard.evals.card_eval import card_eval
from syscard.evals.disallowed.prompt_sets import dataset_info, split_csv
from syscard.evals.jailbreaks.techniques import (
    TECHNIQUES,
    describe_techniques,
    jailbreak_samples,
    select_techniques,
)
from syscard.evals.refusal_scoring import refusal_task
from syscard.evals.sampling import per_group
from syscard.graders.registry import OFFLINE
from syscard.metrics.refusal import not_unsafe
from syscard.sections import JAILBREAKS

ALL_TECHNIQUES = ",".join(TECHNIQUES)
ALL_SOURCES = ",".join(HARMFUL_SOURCES)

not_unsafe_by_technique = not_unsafe.by(
    "technique",
    extra_breakdowns={
        "breakdown_by_category": "category",
        "breakdown_by_technique_kind": "technique_kind",
    },
)


# 32 techniques × every prompt is hours on the embedded model: never in the quick suite.
@card_eval(section=JAILBREAKS, metrics=[not_unsafe_by_technique], datasets=HARMFUL_SOURCES)
def jailbreak_augmented(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    techniques: str | list[str] = ALL_TECHNIQUES,
    per_category: int | None = None,
    harmful_sources: str | list[str] = ALL_SOURCES,
) -> Task:
    """Standard-refusal harmful prompts × jailbreak techniques → `not_unsafe` per technique.

    Args:
        grader: "offline" (syscard's graders) or an Inspect model name to grade with a rubric.
        data_dir: a folder laid out like the dataset cache (e.g. ../shared/datasets).
        techniques: technique names, comma-separated or a list (default: all registered).
        per_category: keep at most this many harmful prompts per policy category.
        harmful_sources: comma-separated harmful datasets (see `load_harmful`).
    """
    chosen = select_techniques(techniques)
    sources = split_csv(harmful_sources)
    records = [r for source in sources for r in load_harmful(source, data_dir)]
    datasets = [dataset_info(s) for s in sources]
    if any(t.files for t in chosen) and "strongreject" not in sources:
        datasets.append(dataset_info("strongreject"))  # the templates come from it
    return refusal_task(
        "jailbreak_augmented",
        jailbreak_samples(per_group(records, per_category), chosen, data_dir),
        grader=grader,
        breakdown="technique",
        datasets=datasets,
        techniques=describe_techniques(chosen),
    )
