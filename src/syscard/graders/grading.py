"""Grade many rows with one grader: offline in a loop, model graders concurrently.

Model grading keeps every finished verdict in a checkpoint file as it goes, so an interrupted
`syscard grade` run loses nothing: the same command resumes, re-asking only rows whose
verdict is missing (a checkpointed verdict is reused only for the identical row and grader
version).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from syscard import request_limits
from syscard.graders.base import Grade, Grader, Row, grade_now
from syscard.graders.registry import OFFLINE, GraderSpec, resolve_grader
from syscard.metrics import ERROR


def make_grader(spec: GraderSpec, grader_model: str | None = None, samples: int = 1) -> Grader:
    """Return the offline grader of `spec`, or its model grader backed by `grader_model`."""
    # Outside a run nothing bounds the grader model's retries but this.
    return resolve_grader(
        spec.name, grader_model or OFFLINE, samples=samples, config=request_limits.bounded()
    )


def _missing(spec: GraderSpec, row: Row) -> str | None:
    empty = [c for c in spec.needs if not str(row.get(c) or "").strip()]
    return f"row has no {', '.join(empty)}: fill it in to grade this row" if empty else None


def declared(spec: GraderSpec, grade: Grade) -> Grade:
    """Return `grade`, or an `error` grade when its label is not one the spec declares (e.g.
    SimpleQA's rules answering `undecided`: a file of grades holds verdicts, never a guess)."""
    if grade.label in spec.labels or grade.error:
        return grade
    return Grade(ERROR, f"{grade.label}: {grade.explanation}", grade.score, grade.details)


def grade_offline(spec: GraderSpec, grader: Grader, rows: Sequence[Row]) -> list[Grade]:
    """Return one grade per row; a row lacking a needed value is an `error` grade."""
    grades = []
    for row in rows:
        problem = _missing(spec, row)
        if problem:
            grades.append(Grade(ERROR, problem))
            continue
        try:
            grades.append(declared(spec, grade_now(grader, row)))
        except ValueError as ex:  # the grader rejects this row's input; other rows go on
            grades.append(Grade(ERROR, f"cannot grade this row: {ex}"))
    return grades


def _row_key(row: Row, version: str) -> str:
    blob = json.dumps({k: str(v) for k, v in sorted(row.items())}, ensure_ascii=False)
    return hashlib.sha256(f"{version}\x1f{blob}".encode()).hexdigest()


def _load_checkpoint(path: Path | None) -> dict[str, Grade]:
    if path is None or not path.exists():
        return {}
    done = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
            done[item["key"]] = Grade(item["label"], item["explanation"], item.get("score"))
        except (json.JSONDecodeError, KeyError, TypeError):
            continue  # a line cut off by the interruption: that row is simply asked again
    return done


def grade_with_model(
    spec: GraderSpec,
    grader: Grader,
    rows: Sequence[Row],
    *,
    concurrency: int = 8,
    checkpoint: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Grade]:
    """Return one grade per row from a model grader, `concurrency` requests at a time.

    Finished verdicts are appended to `checkpoint` (JSON lines) as they arrive; those already
    there for the same row and grader version are reused. Errors are not checkpointed, so a
    rerun asks those rows again.
    """
    done = _load_checkpoint(checkpoint)
    keys = [_row_key(row, grader.version) for row in rows]
    grades: list[Grade | None] = [done.get(k) for k in keys]
    handle = checkpoint.open("a", encoding="utf-8") if checkpoint else None

    async def run() -> None:
        gate = asyncio.Semaphore(max(1, concurrency))

        async def one(i: int) -> None:
            problem = _missing(spec, rows[i])
            if problem:
                grades[i] = Grade(ERROR, problem)
                return
            async with gate:
                grade = declared(spec, await grader.grade(rows[i]))
            grades[i] = grade
            if handle and grade.label != ERROR:
                record = {"key": keys[i], "label": grade.label, "explanation": grade.explanation}
                handle.write(json.dumps({**record, "score": grade.score}) + "\n")
                handle.flush()
            if progress:
                progress(1)

        await asyncio.gather(*(one(i) for i, g in enumerate(grades) if g is None))

    try:
        asyncio.run(run())
    finally:
        if handle:
            handle.close()
    return [g if g is not None else Grade(ERROR, "not graded (interrupted)") for g in grades]
