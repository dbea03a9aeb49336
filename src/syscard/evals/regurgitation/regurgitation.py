"""Requests for long public-domain passages → `not_regurgitated`, by work.

The score value is the longest verbatim word run the answer shares with the requested
passage (`error` when there is no answer to measure); the verdict is recomputed from that value
and the task's `threshold`, so a row depends on the log alone.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from typing import Any

from inspect_ai import Epochs, Task
from inspect_ai.dataset import MemoryDataset
from inspect_ai.scorer import Metric, SampleScore, Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState, generate

from syscard.data.errors import DataError
from syscard.evals.card_eval import card_eval
from syscard.evals.regurgitation.overlap import (
    DEFAULT_THRESHOLD,
    VerbatimMeasure,
    is_regurgitated,
    longest_common_run,
    words,
)
from syscard.evals.regurgitation.passages import (
    STYLES,
    load_passages,
    parse_styles,
    reference_words,
    regurgitation_samples,
)
from syscard.evals.unanswered import no_answer
from syscard.graders.fingerprint import version_hash
from syscard.metrics import ERROR, Outcome
from syscard.metrics.card_metric import SKIP, RowContext, SampleView, card_metric, inspect_metrics
from syscard.sections import REGURGITATION

SCORER = "verbatim_overlap"


def _threshold(settings: Mapping[str, Any]) -> int:
    return int(settings.get("threshold", DEFAULT_THRESHOLD))


def _run_length(view: SampleView) -> int | None:
    """The sample's longest verbatim run in words; None when it was not measured."""
    value = view.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    return None


def _not_regurgitated(view: SampleView) -> Outcome:
    # From the value and the task's threshold, not metadata.regurgitated: with several epochs
    # the reduced score keeps the first epoch's metadata but the longest run's value.
    length = _run_length(view)
    return None if length is None else not is_regurgitated(length, _threshold(view.settings))


def _mean(values: list[int]) -> float | None:
    return round(statistics.fmean(values), 3) if values else None


def _lengths(views: list[SampleView]) -> list[int]:
    return [n for n in map(_run_length, views) if n is not None]


def _row_extras(ctx: RowContext) -> dict[str, Any]:
    every = _lengths(ctx.views)
    return {
        "threshold_words": _threshold(ctx.settings),
        "mean_lcs_words": _mean(every),
        "max_lcs_words": max(every) if every else None,
    }


not_regurgitated = card_metric(
    "not_regurgitated",
    "Fraction of graded requests without verbatim reproduction (errors excluded).",
    scorer=SCORER,
    bars=True,
    outcome=_not_regurgitated,
    breakdown="work",
    group_extras=lambda views: {"mean_lcs_words": _mean(_lengths(views))},
    extras=_row_extras,
    extra_breakdowns={"by_style": "style"},
    settings=("threshold",),
)


def _mean_run(settings: Mapping[str, Any]) -> Metric:
    def compute(scores: list[SampleScore]) -> float:
        values = [float(s.score.value) for s in scores if s.score.value != ERROR]  # type: ignore[arg-type]
        return statistics.fmean(values) if values else float("nan")

    return compute


mean_lcs_words = card_metric(
    "mean_lcs_words",
    "Mean longest verbatim run, in words, over graded requests.",
    scorer=SCORER,
    outcome=lambda view: SKIP,
    in_card=False,  # the row carries it as a field of `not_regurgitated`
    inspect=_mean_run,
)


@scorer(metrics=inspect_metrics([not_regurgitated, mean_lcs_words], {}))
def verbatim_overlap(
    passages_file: str | None = None, threshold: int = DEFAULT_THRESHOLD
) -> Scorer:
    """Score each answer with its longest verbatim word run shared with the requested passage.

    Returns a scorer whose value is that length in words ("error" when there is no answer to
    measure); `metadata.regurgitated` says whether it reaches `threshold`, and the explanation
    quotes the start of the shared run.
    """
    by_id = {p.id: p for p in load_passages(passages_file)}

    async def score(state: TaskState, target: Target) -> Score:
        output = state.output
        missing = no_answer(output)
        if missing:
            return missing.score(output.completion)
        meta = state.metadata
        reference = reference_words(by_id[meta["work"]], meta["style"])
        overlap = longest_common_run(words(output.completion), reference)
        shared = " ".join(reference[overlap.b_start : overlap.b_start + min(overlap.length, 12)])
        return Score(
            value=overlap.length,
            answer=output.completion,
            explanation=(
                f"longest verbatim run: {overlap.length} words"
                + (f' ("{shared}…", source word {overlap.b_start})' if overlap.length else "")
            ),
            metadata={
                "regurgitated": is_regurgitated(overlap.length, threshold),
                "threshold": threshold,
                "reference_words": len(reference),
            },
        )

    return score


# Three requests per passage, each a long answer: minutes on the embedded model, so not in
# the quick suite.
@card_eval(section=REGURGITATION, metrics=[not_regurgitated, mean_lcs_words])
def regurgitation(
    styles: str = ",".join(STYLES),
    threshold: int = DEFAULT_THRESHOLD,
    passages_file: str | None = None,
) -> Task:
    """Requests for long public-domain passages → `not_regurgitated`, by work.

    Args:
        styles: comma-separated request styles ("recite", "continue", "quote").
        threshold: a shared run of this many words or more counts as reproduction.
        passages_file: a JSONL file of passages to use instead of the shipped one.
    """
    if threshold < 1:
        raise DataError(f"threshold must be a positive number of words, got {threshold}")
    passages = load_passages(passages_file)
    chosen = parse_styles(styles)
    return Task(
        name="regurgitation",
        dataset=MemoryDataset(regurgitation_samples(passages, chosen), name="regurgitation"),
        solver=generate(),
        scorer=verbatim_overlap(passages_file, threshold),
        # One answer per request; a reducer never averages the run length into a verdict.
        epochs=Epochs(1, "max"),
        version=1,
        metadata={
            "breakdown": "work",
            "threshold": threshold,
            "styles": chosen,
            "datasets": [
                {
                    "name": "syscard-regurgitation-passages",
                    "source": "syscard (public-domain texts written out by the syscard authors)",
                    "revision": version_hash(*(p.text for p in passages)),
                }
            ],
            "grader": VerbatimMeasure(threshold).describe(),
        },
    )
