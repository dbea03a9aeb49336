"""The questions of the hallucination evals: SimpleQA's CSV and PersonQA files, as samples.

PersonQA's questions come from a user file (`-T path=FILE`, JSONL or CSV with columns
`question, answer[, person, topic, id]`); by default a small example file shipped with
syscard (`syscard/evals/data/personqa_example.jsonl`).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from inspect_ai.dataset import Sample

from syscard.data import DataError, dataset_dir, read_csv_rows, read_jsonl_rows
from syscard.evals.sampling import per_group

SIMPLEQA_FILE = "simple_qa_test_set.csv"
PERSONQA_EXAMPLE = "personqa_example.jsonl"
PERSONQA_SCHEMA = "question, answer[, person, topic, id]"


@dataclass(frozen=True)
class QARecord:
    """One short-answer fact question with its single gold answer."""

    id: str
    question: str
    answer: str
    topic: str
    answer_type: str = ""
    person: str = ""


def load_simpleqa(data_dir: str | None = None) -> list[QARecord]:
    """Return SimpleQA's questions (checksum-verified) with their topic and answer type.

    Accepts the official header (`metadata, problem, answer`) and the mirror's
    (`metadata, question, true_answer`).
    """
    path = dataset_dir("simpleqa", data_dir, files=[SIMPLEQA_FILE]) / SIMPLEQA_FILE
    fix = "fetch a clean copy with `syscard data fetch simpleqa`"
    rows = read_csv_rows(path, ["metadata"], fix=fix)
    header = set(rows[0][1]) if rows else set()
    q_col, a_col = ("problem", "answer") if "problem" in header else ("question", "true_answer")
    if rows and not {q_col, a_col} <= header:
        raise DataError(
            f"{path}:1: expected columns metadata, problem, answer (or question, true_answer): "
            f"{fix}"
        )
    records = []
    for index, (line, row) in enumerate(rows):
        try:
            meta = ast.literal_eval(row["metadata"])
        except (ValueError, SyntaxError):
            raise DataError(
                f"{path}:{line}: metadata is not a Python dict literal: {fix}"
            ) from None
        question, answer = row[q_col].strip(), row[a_col].strip()
        if not isinstance(meta, dict) or not question or not answer:
            raise DataError(f"{path}:{line}: empty question/answer or bad metadata: {fix}")
        records.append(
            QARecord(
                id=f"simpleqa-{index:04d}",
                question=question,
                answer=answer,
                topic=str(meta.get("topic") or "unknown"),
                answer_type=str(meta.get("answer_type") or ""),
            )
        )
    return records


def personqa_example_path() -> Path:
    """Return the path of the example PersonQA file shipped with syscard."""
    return Path(str(files("syscard.evals") / "data" / PERSONQA_EXAMPLE))


def load_personqa(path: str | Path | None = None) -> list[QARecord]:
    """Return the questions of a PersonQA file (JSONL or CSV, columns `question, answer`,
    optional `person, topic, id`); the shipped example when `path` is None."""
    p = Path(path) if path else personqa_example_path()
    fix = f"a PersonQA file is JSONL or CSV with columns {PERSONQA_SCHEMA} (docs/hallucination.md)"
    if not p.is_file():
        raise DataError(f"personqa: no file at {p}: pass -T path=FILE; {fix}")
    suffix = p.suffix.lower()
    if suffix == ".jsonl":
        rows: Sequence[tuple[int, dict[str, Any]]] = read_jsonl_rows(
            p, ["question", "answer"], fix=fix
        )
    elif suffix == ".csv":
        rows = read_csv_rows(p, ["question", "answer"], fix=fix)
    else:
        raise DataError(f"personqa: {p} is neither .jsonl nor .csv: {fix}")
    records: list[QARecord] = []
    seen: set[str] = set()
    for line, row in rows:
        values = {k: row.get(k) for k in ("question", "answer", "person", "topic", "id")}
        if any(v is not None and not isinstance(v, str | int) for v in values.values()):
            raise DataError(f"{p}:{line}: every field must be text: {fix}")
        question = str(values["question"] or "").strip()
        answer = str(values["answer"] or "").strip()
        if not question or not answer:
            raise DataError(f"{p}:{line}: empty 'question' or 'answer': {fix}")
        record_id = str(values["id"] or f"personqa-{line}").strip()
        if record_id in seen:
            raise DataError(f"{p}:{line}: duplicate id '{record_id}': ids must be unique")
        seen.add(record_id)
        records.append(
            QARecord(
                id=record_id,
                question=question,
                answer=answer,
                topic=str(values["topic"] or "all").strip(),
                person=str(values["person"] or "").strip(),
            )
        )
    if not records:
        raise DataError(f"{p}: no questions in the file: {fix}")
    return records


def pick_per_topic(records: Sequence[QARecord], n: int | None) -> list[QARecord]:
    """Return at most `n` records per topic (all if None), topics interleaved.

    Stable (ranked by a hash of the id within a topic), so a run can be resumed; interleaved,
    so `--limit N` covers several topics (`syscard.evals.sampling.per_group`).
    """
    return per_group(records, n, group=lambda record: record.topic)


def qa_samples(records: Sequence[QARecord]) -> list[Sample]:
    """Return one sample per record: the bare question (as in simple-evals), the gold answer
    as target, and topic / answer type / person as metadata."""
    return [
        Sample(
            id=r.id,
            input=r.question,
            target=r.answer,
            metadata={"topic": r.topic, "answer_type": r.answer_type, "person": r.person},
        )
        for r in records
    ]
