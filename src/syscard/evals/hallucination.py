"""Card section 4, hallucination: SimpleQA and PersonQA.

Each answer is labelled correct / incorrect / not_attempted (SimpleQA's grading); the
offline grader may also say `undecided`, and a failed generation or grader reply is `error`.
Both count in `n_errors` and never enter a rate. Metrics, over the graded samples:

- `accuracy` = correct / graded; `hallucination_rate` = incorrect / graded;
  `not_attempted_rate` = not_attempted / graded (the three sum to 1);
- `correct_given_attempted` = correct / (correct + incorrect);
- `f_score` = harmonic mean of accuracy and correct_given_attempted (SimpleQA's F-score),
  with a seeded bootstrap CI over samples (the others get Wilson intervals).

PersonQA's questions come from a user file (`-T path=FILE`, JSONL or CSV with columns
`question, answer[, person, topic, id]`); by default a small example file shipped here.
"""

from __future__ import annotations

import ast
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
from inspect_ai import Epochs, Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import EvalLog, EvalSampleSummary
from inspect_ai.model import get_model
from inspect_ai.scorer import Metric, SampleScore, Score, Scorer, Target, metric, scorer
from inspect_ai.solver import TaskState, generate

from syscard.data import DataError, dataset_dir, get_spec, read_csv_rows, read_jsonl_rows
from syscard.evals._info import EvalInfo
from syscard.evals._scoring import OFFLINE
from syscard.graders.base import Grade
from syscard.graders.simpleqa import (
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    UNDECIDED,
    ModelSimpleQAGrader,
    RuleSimpleQAGrader,
)
from syscard.metrics import ERROR, Rate, rate
from syscard.results import completed, rate_fields, row_builder

SECTION = "hallucination"
SCORER = "simpleqa_label"
RESULTS = "hallucination"
METRICS: tuple[str, ...] = (
    "accuracy",
    "hallucination_rate",
    "not_attempted_rate",
    "correct_given_attempted",
    "f_score",
)
SIMPLEQA_FILE = "simple_qa_test_set.csv"
PERSONQA_EXAMPLE = "personqa_example.jsonl"
PERSONQA_SCHEMA = "question, answer[, person, topic, id]"
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0


# --- data -------------------------------------------------------------------------------------


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

    Within a topic, records are ranked by a stable hash of their id, so a subset spreads over
    the topic and is the same on every run (a run can be resumed); interleaving makes
    `--limit N` cover several topics.
    """
    by_topic: dict[str, list[QARecord]] = {}
    for record in records:
        by_topic.setdefault(record.topic, []).append(record)
    ranked = [
        sorted(by_topic[t], key=lambda r: hashlib.sha256(r.id.encode()).hexdigest())[:n]
        for t in sorted(by_topic)
    ]
    return [g[i] for i in range(max(map(len, ranked), default=0)) for g in ranked if i < len(g)]


def _samples(records: Sequence[QARecord]) -> list[Sample]:
    return [
        Sample(
            id=r.id,
            input=r.question,
            target=r.answer,
            metadata={"topic": r.topic, "answer_type": r.answer_type, "person": r.person},
        )
        for r in records
    ]


# --- metrics ----------------------------------------------------------------------------------

_OUTCOME_TRUE = {
    "accuracy": CORRECT,
    "hallucination_rate": INCORRECT,
    "not_attempted_rate": NOT_ATTEMPTED,
}


def outcomes(metric_name: str, labels: Iterable[str]) -> list[bool | None]:
    """Return the per-sample outcomes of a rate metric; `undecided`/`error` are None.

    `correct_given_attempted` leaves not_attempted samples out altogether (they are neither
    errors nor outcomes of that rate).
    """
    result: list[bool | None] = []
    for label in labels:
        if label not in (CORRECT, INCORRECT, NOT_ATTEMPTED):
            result.append(None)
        elif metric_name == "correct_given_attempted":
            if label != NOT_ATTEMPTED:
                result.append(label == CORRECT)
        else:
            result.append(label == _OUTCOME_TRUE[metric_name])
    return result


def f_score_value(correct: int, incorrect: int, not_attempted: int) -> float:
    """Return SimpleQA's F-score: harmonic mean of accuracy and correct-given-attempted
    (NaN when nothing was graded or attempted, 0 when nothing was correct)."""
    graded, attempted = correct + incorrect + not_attempted, correct + incorrect
    if graded == 0 or attempted == 0:
        return math.nan
    accuracy, given = correct / graded, correct / attempted
    return 0.0 if accuracy + given == 0 else 2 * accuracy * given / (accuracy + given)


def f_score(
    labels: Sequence[str], resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> Rate:
    """Return the F-score of `labels` with a 95% percentile-bootstrap CI over samples.

    Resampling graded samples with replacement is a multinomial draw over the three label
    counts, so the bootstrap costs the same for 10 or 10,000 samples. Seeded: the same labels
    always give the same interval.
    """
    counts = Counter(labels)
    c, i, na = counts[CORRECT], counts[INCORRECT], counts[NOT_ATTEMPTED]
    n, errors = c + i + na, len(labels) - (c + i + na)
    value = f_score_value(c, i, na)
    if n == 0 or math.isnan(value):
        return Rate(value, math.nan, math.nan, n, errors)
    draws = np.random.default_rng(seed).multinomial(n, [c / n, i / n, na / n], size=resamples)
    values = np.array([f_score_value(int(a), int(b), int(d)) for a, b, d in draws])
    values = values[~np.isnan(values)]
    low, high = np.percentile(values, [2.5, 97.5])
    return Rate(value, float(low), float(high), n, errors)


def metric_rate(metric_name: str, labels: Sequence[str]) -> Rate:
    """Return one card metric (value, 95% CI, n, n_errors) for a list of labels."""
    if metric_name == "f_score":
        return f_score(labels)
    return rate(outcomes(metric_name, labels))


def _metric(metric_name: str) -> Metric:
    def compute(scores: list[SampleScore]) -> float:
        return metric_rate(metric_name, [str(s.score.value) for s in scores]).value

    return compute


@metric(name="accuracy")
def accuracy_metric() -> Metric:
    """Correct answers / graded answers."""
    return _metric("accuracy")


@metric(name="hallucination_rate")
def hallucination_rate_metric() -> Metric:
    """Incorrect answers / graded answers."""
    return _metric("hallucination_rate")


@metric(name="not_attempted_rate")
def not_attempted_rate_metric() -> Metric:
    """Not-attempted answers / graded answers."""
    return _metric("not_attempted_rate")


@metric(name="correct_given_attempted")
def correct_given_attempted_metric() -> Metric:
    """Correct answers / (correct + incorrect)."""
    return _metric("correct_given_attempted")


@metric(name="f_score")
def f_score_metric() -> Metric:
    """Harmonic mean of accuracy and correct_given_attempted."""
    return _metric("f_score")


# Not "n_errors": that registry name belongs to the refusal scorer's metric.
@metric(name="n_ungraded")
def n_ungraded_metric() -> Metric:
    """Samples not graded: `undecided` (offline grader) or `error` (results.json n_errors)."""

    def compute(scores: list[SampleScore]) -> int:
        return sum(str(s.score.value) in (UNDECIDED, ERROR) for s in scores)

    return compute


# --- scorer -----------------------------------------------------------------------------------


def describe_grader(grader: str) -> dict[str, str]:
    """Return name and version of the SimpleQA grader that `grader` selects."""
    if grader == OFFLINE:
        rules = RuleSimpleQAGrader()
        return {"name": rules.name, "version": rules.version}
    model_grader = ModelSimpleQAGrader(get_model(grader))
    return {"name": f"{model_grader.name}:{grader}", "version": model_grader.version}


@scorer(
    metrics=[
        accuracy_metric(),
        hallucination_rate_metric(),
        not_attempted_rate_metric(),
        correct_given_attempted_metric(),
        f_score_metric(),
        n_ungraded_metric(),
    ]
)
def simpleqa_label(grader: str = OFFLINE) -> Scorer:
    """Label each answer correct / incorrect / not_attempted against the sample's target.

    Args:
        grader: "offline" for the rule grader (which may answer `undecided`), or any Inspect
            model name to grade with syscard's SimpleQA rubric at temperature 0.

    Returns:
        A scorer whose value is the label (or `undecided` / `error`).
    """
    rules = RuleSimpleQAGrader()
    model_grader = None if grader == OFFLINE else ModelSimpleQAGrader(get_model(grader))
    info = describe_grader(grader)

    async def score(state: TaskState, target: Target) -> Score:
        output = state.output
        if output.error or (output.stop_reason == "model_length" and not output.completion):
            verdict = Grade(ERROR, f"no answer to grade: {output.error or 'prompt too long'}")
        elif model_grader is not None:
            verdict = await model_grader.grade(state.input_text, target.text, output.completion)
        else:
            verdict = rules.grade(state.input_text, target.text, output.completion)
        return Score(
            value=verdict.label,
            answer=output.completion,
            explanation=verdict.explanation,
            metadata={"grader": info["name"], "grader_version": info["version"]},
        )

    return score


# --- results.json rows ------------------------------------------------------------------------


@row_builder(RESULTS)
def hallucination_rows(header: EvalLog, summaries: list[EvalSampleSummary]) -> list[dict[str, Any]]:
    """One row per hallucination metric, broken down by topic (SimpleQA's metadata topic,
    PersonQA's `topic` column)."""
    items: list[tuple[str, str]] = []
    for summary in completed(summaries):
        score = (summary.scores or {}).get(SCORER)
        label = ERROR if summary.error or score is None else str(score.value)
        items.append((str((summary.metadata or {}).get("topic") or "all"), label))
    labels = [label for _, label in items]
    by_topic: dict[str, list[str]] = {}
    for topic, label in items:
        by_topic.setdefault(topic, []).append(label)
    counts = Counter(labels)
    meta = header.eval.metadata or {}
    extra: dict[str, Any] = {
        "n_undecided": counts[UNDECIDED],
        "counts": {k: counts[k] for k in (CORRECT, INCORRECT, NOT_ATTEMPTED, UNDECIDED, ERROR)},
    }
    rows = []
    for name in meta.get("metrics", METRICS):
        overall = metric_rate(name, labels)
        groups = {t: metric_rate(name, by_topic[t]) for t in sorted(by_topic)}
        rows.append({"metric": name, **rate_fields(overall, groups), **extra})
    return rows


# --- tasks ------------------------------------------------------------------------------------


def _task(name: str, records: list[QARecord], datasets: list[dict[str, str]], grader: str) -> Task:
    return Task(
        name=name,
        dataset=MemoryDataset(_samples(records), name=name),
        solver=generate(),
        scorer=simpleqa_label(grader),
        # Labels are categorical: reduce epochs by majority, never by a float mean.
        epochs=Epochs(1, "mode"),
        version=1,
        metadata={
            "section": SECTION,
            "metrics": list(METRICS),
            "breakdown": "topic",
            "datasets": datasets,
            "grader": describe_grader(grader),
            "results": RESULTS,
        },
    )


@task
def simpleqa(
    grader: str = OFFLINE, data_dir: str | None = None, per_topic: int | None = None
) -> Task:
    """SimpleQA's 4,326 short fact questions → accuracy, hallucination rate, F-score, by topic.

    Args:
        grader: "offline" (deterministic rules) or an Inspect model name to grade with a rubric.
        data_dir: a folder laid out like the dataset cache (e.g. ../shared/datasets).
        per_topic: keep at most this many questions per topic (a stratified subset).
    """
    spec = get_spec("simpleqa")
    records = pick_per_topic(load_simpleqa(data_dir), per_topic)
    datasets = [{"name": "simpleqa", "source": spec.source, "revision": spec.revision}]
    return _task("simpleqa", records, datasets, grader)


@task
def personqa(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    path: str | None = None,
    per_topic: int | None = None,
) -> Task:
    """Questions about public facts on people, from a user file → the SimpleQA metrics.

    Args:
        grader: "offline" (deterministic rules) or an Inspect model name to grade with a rubric.
        data_dir: unused (PersonQA is a user file); accepted so every suite can pass it.
        path: JSONL or CSV file with columns question, answer[, person, topic, id]; default:
            syscard's example file (historical public figures).
        per_topic: keep at most this many questions per topic.
    """
    del data_dir
    file = Path(path) if path else personqa_example_path()
    records = pick_per_topic(load_personqa(file), per_topic)
    digest = hashlib.sha256(file.read_bytes()).hexdigest()[:16]
    source = "syscard example file (written by the syscard authors)" if not path else str(file)
    datasets = [{"name": "personqa", "source": source, "revision": f"sha256:{digest}"}]
    return _task("personqa", records, datasets, grader)


EVAL_INFOS = [
    EvalInfo("simpleqa", SECTION, METRICS, ("simpleqa",), simpleqa, in_quick=False),
    EvalInfo("personqa", SECTION, METRICS, (), personqa, in_quick=False),
]
