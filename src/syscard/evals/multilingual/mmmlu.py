"""MMMLU: MMLU in 14 professionally translated languages, and English → `accuracy` per
language, by MMLU subject.

0-shot, as in the o1 card and openai/simple-evals (`mmlu_eval.py`): the same English
instruction for every language, the question and its four options in the language under
test. Answers are read by program (`answers`). Missing language files are skipped and listed
in the log's metadata (`missing_datasets`); a run with none of them stops with the
`syscard data fetch` hint.
"""

from __future__ import annotations

import logging
from typing import Any

from inspect_ai import Epochs, Task
from inspect_ai.dataset import MemoryDataset
from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState, generate

from syscard.data import DatasetMissing, get_spec
from syscard.evals.card_eval import card_eval
from syscard.evals.multilingual.answers import (
    NO_ANSWER,
    AnswerExtractor,
    describe_extractor,
)
from syscard.evals.multilingual.languages import LANGUAGES, PUBLISHED
from syscard.evals.multilingual.questions import (
    Question,
    language_file,
    load_language,
    mmmlu_samples,
    parse_languages,
    select,
)
from syscard.evals.unanswered import no_answer
from syscard.metrics import ERROR, Outcome
from syscard.metrics.accuracy import accuracy
from syscard.metrics.card_metric import RowContext, SampleView, card_metric, inspect_metrics
from syscard.sections import MULTILINGUAL

logger = logging.getLogger(__name__)

SCORER = "mmmlu_choice"


def _language_extras(row: RowContext) -> dict[str, Any]:
    language = row.key or ""
    return {
        "language_name": LANGUAGES.get(language, language),
        "n_no_answer": sum(view.value == NO_ANSWER for view in row.views),
        "published": PUBLISHED.get(language, {}),
    }


accuracy_by_language = accuracy.by(
    "subject", scorer=SCORER, rows_by="language", extras=_language_extras
)
"""One `accuracy` row per language (sorted by code), broken down by subject, with the
language's name, its non-answer count and the o1 card's published accuracy."""


def _no_answer(view: SampleView) -> Outcome:
    return None if view.value is None or view.value == ERROR else view.value == NO_ANSWER


no_answer_rate = card_metric(
    "no_answer_rate",
    "Share of graded questions whose response gave no answer letter (Inspect only; "
    "results.json rows carry the count as n_no_answer).",
    scorer=SCORER,
    outcome=_no_answer,
    direction="lower",
    in_card=False,
)

MMMLU_METRICS = (accuracy_by_language, no_answer_rate)


@scorer(metrics=inspect_metrics(MMMLU_METRICS, {}))
def mmmlu_choice() -> Scorer:
    """Label each response correct / incorrect / no_answer (or error) against the key.

    Returns a scorer whose value is the label and whose `answer` is the extracted letter.
    """
    extractor = AnswerExtractor()

    async def score(state: TaskState, target: Target) -> Score:
        missing = no_answer(state.output)
        if missing:
            return missing.score(state.output.completion)
        verdict = extractor.verdict({"response": state.output.completion, "answer": target.text})
        return Score(
            value=verdict.label,
            answer=(verdict.details or {}).get("letter"),
            explanation=verdict.explanation,
        )

    return score


# 14,042 questions × 15 languages in the full suite: days on a CPU model, so not in the quick
# suite; pass `-T per_language=N` for a subset with the same questions in each language.
@card_eval(section=MULTILINGUAL, metrics=MMMLU_METRICS, datasets=["mmmlu"])
def mmmlu(
    data_dir: str | None = None, languages: str = "all", per_language: int | None = None
) -> Task:
    """MMMLU (and English MMLU) 0-shot → `accuracy` per language, by subject.

    Args:
        data_dir: a folder laid out like the dataset cache (`<dir>/mmmlu/test/mmlu_XX.csv`,
            `<dir>/mmlu/mmlu.csv`).
        languages: "all" (every language whose file is present) or comma-separated codes
            such as "AR_XY,ZH_CN,EN_US"; a named language that is absent is an error.
        per_language: keep this many questions per language (the same questions in each).
    """
    wanted, named = parse_languages(languages)
    by_language: dict[str, list[Question]] = {}
    missing: list[str] = []
    for language in wanted:
        try:
            by_language[language] = select(load_language(language, data_dir), per_language)
        except DatasetMissing as exc:
            if named:
                raise
            missing.append(language)
            logger.debug("mmmlu: %s skipped: %s", language, exc)
    if not by_language:
        raise DatasetMissing(
            "no MMMLU language file found: run `syscard data fetch mmmlu` (or "
            "`syscard data add mmmlu PATH`), or pass --data-dir with mmmlu/test/mmlu_XX.csv"
        )
    if missing:
        logger.warning("mmmlu: language files not present, skipped: %s", ", ".join(missing))
    used = sorted({language_file(lang)[0] for lang in by_language})
    return Task(
        name="mmmlu",
        dataset=MemoryDataset(mmmlu_samples(by_language), name="mmmlu"),
        solver=generate(),
        scorer=mmmlu_choice(),
        # Labels are categorical: reduce epochs by majority, never by a float mean.
        epochs=Epochs(1, "mode"),
        version=1,
        metadata={
            "breakdown": "subject",
            "languages": sorted(by_language),
            "missing_datasets": missing,
            "datasets": [
                {"name": d, "source": get_spec(d).source, "revision": get_spec(d).revision}
                for d in used
            ],
            "grader": describe_extractor(),
        },
    )
