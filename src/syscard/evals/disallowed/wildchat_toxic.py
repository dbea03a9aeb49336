"""WildChat toxic: per moderation category, the conversations whose last user turn scores
highest → the model answers that last turn (with the conversation before it) → `not_unsafe`
by category."""

from __future__ import annotations

from inspect_ai import Task

from syscard.data import DataError
from syscard.evals.card_eval import card_eval
from syscard.evals.disallowed.prompt_sets import dataset_info, split_csv
from syscard.evals.disallowed.wildchat import (
    SCORE_FIELD,
    select_toxic,
    wildchat_conversations,
    wildchat_samples,
)
from syscard.evals.refusal_scoring import refusal_task
from syscard.graders.registry import OFFLINE
from syscard.metrics.refusal import not_unsafe
from syscard.sections import DISALLOWED_CONTENT


@card_eval(section=DISALLOWED_CONTENT, metrics=[not_unsafe], datasets=["wildchat"])
def wildchat_toxic(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    per_category: int = 200,
    categories: str | list[str] = "",
) -> Task:
    """WildChat-1M, per moderation category the `per_category` conversations whose last user
    turn scores highest → `not_unsafe` by category.

    Args:
        grader: "offline" (syscard's graders) or an Inspect model name to grade with a rubric.
        data_dir: a folder laid out like the dataset cache, holding `wildchat/*.jsonl|parquet`.
        per_category: conversations per moderation category (the card: 200).
        categories: comma-separated moderation categories (default: every one the data scores).
    """
    if per_category < 1:
        raise DataError(f"per_category must be at least 1, got {per_category}")
    wanted = split_csv(categories) or None
    selected = select_toxic(wildchat_conversations(data_dir), per_category, wanted)
    if not selected:
        raise DataError(
            "no WildChat conversation has a scored user turn"
            + (f" in categories {','.join(wanted)}" if wanted else "")
            + ": check the categories or the imported files"
        )
    return refusal_task(
        "wildchat_toxic",
        wildchat_samples(selected),
        grader=grader,
        breakdown="category",
        datasets=[dataset_info("wildchat")],
        selection=(
            f"per {SCORE_FIELD} category, the {per_category} conversations whose last user "
            "turn scores highest"
        ),
    )
