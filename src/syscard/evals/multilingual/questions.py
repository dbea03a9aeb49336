"""MMMLU's questions: openai/MMMLU's per-language CSV files, through the data layer.

Each file (`test/mmlu_<LANG>.csv`, columns Question, A, B, C, D, Answer, Subject, plus an
unnamed row index) holds the same questions in the same order. English is MMLU's test set as
simple-evals uses it (`mmlu.csv`, same columns) from the dataset `mmlu` when the registry
declares it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from inspect_ai.dataset import Sample

from syscard.data import DATASETS, DataError, DatasetMissing, dataset_dir, read_csv_rows
from syscard.evals.multilingual.languages import ENGLISH, LANGUAGES
from syscard.evals.sampling import round_robin

ENGLISH_DATASET = "mmlu"
ENGLISH_FILE = "mmlu.csv"
COLUMNS = ("Question", "A", "B", "C", "D", "Answer", "Subject")
LETTERS = "ABCD"

# openai/simple-evals, common.py QUERY_TEMPLATE_MULTICHOICE (used for every language there).
QUERY_TEMPLATE = """
Answer the following multiple choice question. The last line of your response should be of \
the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of ABCD. Think \
step by step before answering.

{Question}

A) {A}
B) {B}
C) {C}
D) {D}
""".strip()


@dataclass(frozen=True)
class Question:
    """One MMLU question in one language; `index` is its row in the file (0-based), which is the
    same question in every language's file."""

    language: str
    index: int
    subject: str
    question: str
    options: tuple[str, str, str, str]
    answer: str


def language_file(language: str) -> tuple[str, str]:
    """Return (dataset name, relative file path) holding `language` (a key of `LANGUAGES`)."""
    if language == ENGLISH:
        return ENGLISH_DATASET, ENGLISH_FILE
    return "mmmlu", f"test/mmlu_{language}.csv"


def read_mmlu_csv(path: str | Path, language: str) -> list[Question]:
    """Return the questions of one MMMLU-format CSV file, in file order.

    Raises DataError (`file:line`) for a missing column, an empty question or option, or an
    answer that is not one of A–D.
    """
    fix = f"replace {Path(path).name} with the file from openai/MMMLU"
    questions = []
    for index, (line, row) in enumerate(read_csv_rows(path, COLUMNS, fix=fix)):
        answer = row["Answer"].strip().upper()
        if answer not in LETTERS or len(answer) != 1:
            raise DataError(f"{path}:{line}: answer {row['Answer']!r} is not one of A-D: {fix}")
        fields = [row[c].strip() for c in ("Question", "A", "B", "C", "D")]
        if not fields[0]:
            raise DataError(f"{path}:{line}: empty question: {fix}")
        questions.append(
            Question(
                language=language,
                index=index,
                subject=row["Subject"].strip() or "unknown",
                question=fields[0],
                options=(fields[1], fields[2], fields[3], fields[4]),
                answer=answer,
            )
        )
    if not questions:
        raise DataError(f"{path}: no questions in the file (a header and no rows?): {fix}")
    return questions


def load_language(language: str, data_dir: str | None) -> list[Question]:
    """Return the questions of `language`, read from its verified dataset file.

    Raises DatasetMissing (with the `syscard data fetch` hint) when the file is absent, and
    DataError for a language code that is not one of `LANGUAGES`.
    """
    if language not in LANGUAGES:
        raise DataError(f"unknown MMMLU language '{language}': choose from {', '.join(LANGUAGES)}")
    dataset, rel = language_file(language)
    if dataset not in DATASETS:
        raise DatasetMissing(
            f"English MMLU needs the dataset '{dataset}' ({rel}), which this syscard version "
            f"does not declare: leave out {ENGLISH} or add the dataset to the registry"
        )
    folder = dataset_dir(dataset, data_dir, files=[rel])
    return read_mmlu_csv(folder / rel, language)


def select(questions: Sequence[Question], n: int | None) -> list[Question]:
    """Return `n` questions (all if None) chosen by a stable hash of their row index.

    Ranking by row index, not by text, picks the same questions in every language, so languages
    are compared on the same questions; and the same ones on every run (resumable).
    """
    ranked = sorted(questions, key=lambda q: hashlib.sha256(str(q.index).encode()).hexdigest())
    return ranked if n is None else ranked[:n]


def mmmlu_samples(by_language: dict[str, list[Question]]) -> list[Sample]:
    """Return one sample per question, languages interleaved (so `--limit` spans them)."""
    return [
        Sample(
            id=f"{q.language}:{q.index}",
            input=QUERY_TEMPLATE.format(
                Question=q.question, A=q.options[0], B=q.options[1], C=q.options[2], D=q.options[3]
            ),
            target=q.answer,
            metadata={"language": q.language, "subject": q.subject},
        )
        for q in round_robin([by_language[language] for language in sorted(by_language)])
    ]


def parse_languages(csv: str) -> tuple[list[str], bool]:
    """Return (language codes, whether the user named them) for the `languages` argument."""
    if csv.strip().lower() == "all":
        return list(LANGUAGES), False
    chosen = [c.strip().upper().replace("-", "_") for c in csv.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in LANGUAGES]
    if unknown or not chosen:
        raise DataError(
            f"unknown MMMLU language {', '.join(map(repr, unknown)) or '(none)'}: "
            f"choose from all, {', '.join(LANGUAGES)}"
        )
    return list(dict.fromkeys(chosen)), True
