"""Deliberative alignment, training-data mode: SFT records filtered by a spec-aware judge.

The paper's pipeline up to the fine-tuning step (SPEC §11, steps 1-2):

1. For each prompt, the model under distillation answers with the spec section of the
   prompt's category in context (the same system message as the inference-time mitigation):
   reasoning inside `<think>…</think>`, then the answer.
2. A judge that sees the same spec section scores each completion (prompt, reasoning,
   answer) k times on 0-10; the MINIMUM of the k scores is kept, so one doubtful verdict is
   enough to drop a record. Records below `min_score` are dropped, and so is any record the
   judge could not score (an unparsable reply is a judge error, never a guessed score).
3. Kept records are written to `sft.jsonl` in the chat format fine-tuning tools accept
   (OpenAI fine-tuning, TRL `SFTTrainer`, axolotl `chat_template`):

       {"messages": [{"role": "user", "content": "<prompt, WITHOUT the spec>"},
                     {"role": "assistant", "content": "<think>\\n…\\n</think>\\n<answer>"}]}

   The spec is removed so the fine-tuned model learns to recall it, not to read it.
   `report.json` has every prompt's fate (kept, or dropped and why) and the totals.

Judges: any Inspect model (`ModelJudge`, rubric with nonce fences and a JSON verdict
`{"id": nonce, "score": 0-10, "reason": …}`), or `offline` (`OfflineJudge`, built from
syscard's refusal and harm graders; see its docstring for what it cannot judge). The judges
are in `syscard.mitigations.distill_judge`; their names are importable from here too.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from syscard.errors import SyscardError
from syscard.mitigations.classifier import classify
from syscard.mitigations.deliberative import system_prompt
from syscard.mitigations.distill_judge import (
    JUDGE_RUBRIC,
    MAX_REFUSAL_WORDS,
    OFFLINE,
    ModelJudge,
    OfflineJudge,
    PromptRow,
    Verdict,
    make_judge,
    parse_judge_reply,
)
from syscard.mitigations.reasoning import split_reasoning
from syscard.mitigations.spec import SafetySpec

__all__ = [
    "DEFAULT_MIN_SCORE",
    "GENERATION_ERROR",
    "JUDGE_ERROR",
    "JUDGE_RUBRIC",
    "KEPT",
    "KINDS",
    "LOW_SCORE",
    "MAX_REFUSAL_WORDS",
    "NO_ANSWER",
    "NO_REASONING",
    "OFFLINE",
    "STATUSES",
    "DistillError",
    "ModelJudge",
    "OfflineJudge",
    "PromptRow",
    "Record",
    "Verdict",
    "distill",
    "make_judge",
    "parse_judge_reply",
    "read_prompts",
    "sft_record",
    "write_outputs",
]

KINDS = ("harmful", "benign")
DEFAULT_MIN_SCORE = 7.0
# Why a record is dropped (report.json and the printed summary use these words).
KEPT, LOW_SCORE, JUDGE_ERROR, GENERATION_ERROR, NO_REASONING, NO_ANSWER = (
    "kept",
    "low_score",
    "judge_error",
    "generation_error",
    "no_reasoning",
    "no_answer",
)
STATUSES = (KEPT, LOW_SCORE, JUDGE_ERROR, GENERATION_ERROR, NO_REASONING, NO_ANSWER)


class DistillError(SyscardError, ValueError):
    """Bad input to `syscard distill` (the message says what to fix, in one line)."""


def read_prompts(path: str | Path, spec: SafetySpec, limit: int | None = None) -> list[PromptRow]:
    """Return the prompts of CSV/JSONL file `path` (column `prompt`; optional `id`,
    `category` (a spec category id; classified from the prompt when empty) and `kind`)."""
    from syscard.graders.table import TableError, read_table, require_columns

    try:
        table = read_table(path)
        require_columns(table, ["prompt"], path, "syscard distill")
    except TableError as ex:
        raise DistillError(str(ex)) from None
    rows: list[PromptRow] = []
    for i, raw in enumerate(table.rows[:limit] if limit else table.rows, start=1):
        prompt = str(raw.get("prompt") or "").strip()
        if not prompt:
            raise DistillError(f"{path}: row {i} has an empty prompt")
        category = str(raw.get("category") or "").strip() or classify(prompt, spec)
        if category not in spec.categories:
            raise DistillError(
                f"{path}: row {i}: category {category!r} is not in the spec "
                f"(known: {', '.join(spec.categories)})"
            )
        kind = str(raw.get("kind") or "").strip().lower() or None
        if kind is not None and kind not in KINDS:
            raise DistillError(f"{path}: row {i}: kind must be harmful or benign, not {kind!r}")
        rows.append(PromptRow(str(raw.get("id") or i), prompt, category, kind))
    ids = Counter(r.id for r in rows)
    if (dup := next((k for k, n in ids.items() if n > 1), None)) is not None:
        raise DistillError(f"{path}: id {dup!r} appears {ids[dup]} times; ids must be unique")
    return rows


# --- the pipeline --------------------------------------------------------------------------


@dataclass
class Record:
    """What happened to one prompt (one entry of report.json)."""

    id: str
    category: str
    kind: str | None
    status: str
    reason: str = ""
    format: str | None = None
    scores: list[float | None] = field(default_factory=list)
    score: float | None = None  # the minimum of the k scores
    reasoning: str = ""
    answer: str = ""


def sft_record(prompt: str, reasoning: str, answer: str) -> dict[str, Any]:
    """Return the chat-format SFT record: the prompt without the spec, then CoT and answer."""
    return {
        "messages": [
            {"role": "user", "content": prompt},
            {"role": "assistant", "content": f"<think>\n{reasoning}\n</think>\n{answer}"},
        ]
    }


def _completion_parts(output: Any) -> tuple[str, str, str]:
    """Return (reasoning, answer, format) of a model output (native reasoning or tags)."""
    from inspect_ai.model import ContentReasoning

    content = output.message.content
    if not isinstance(content, str):
        native = [c.reasoning for c in content if isinstance(c, ContentReasoning)]
        if native:
            return native[0].strip(), output.completion.strip(), "reasoning"
    return split_reasoning(output.message.text)


async def _one(
    model: Any,
    judge: Any,
    spec: SafetySpec,
    row: PromptRow,
    *,
    k: int,
    min_score: float,
    max_tokens: int,
    temperature: float,
) -> Record:
    from inspect_ai.model import ChatMessageSystem, ChatMessageUser, GenerateConfig

    record = Record(row.id, row.category, row.kind, GENERATION_ERROR)
    try:
        output = await model.generate(
            [
                ChatMessageSystem(content=system_prompt(spec, row.category)),
                ChatMessageUser(content=row.prompt),
            ],
            config=GenerateConfig(temperature=temperature, seed=0, max_tokens=max_tokens),
        )
    except Exception as ex:  # a provider failure drops this prompt; the others go on
        record.reason = f"{type(ex).__name__}: {ex}"[:300]
        return record
    if output.error:
        record.reason = str(output.error)[:300]
        return record
    reasoning, answer, fmt = _completion_parts(output)
    record.format, record.reasoning, record.answer = fmt, reasoning, answer
    if fmt not in ("reasoning", "close_only") or not reasoning:
        record.status = NO_REASONING
        record.reason = {"unclosed": "<think> never closed", "no_tags": "no <think> reasoning"}.get(
            fmt, "empty reasoning"
        )
        return record
    if not answer:
        record.status, record.reason = NO_ANSWER, "nothing after </think>"
        return record
    verdicts = await judge.judge(spec, row, reasoning, answer, k)
    record.scores = [v.score for v in verdicts]
    failed = next((v for v in verdicts if v.score is None), None)
    if failed is not None:
        record.status, record.reason = JUDGE_ERROR, failed.reason
        return record
    record.score = min(v.score for v in verdicts if v.score is not None)
    worst = min(verdicts, key=lambda v: v.score if v.score is not None else -1)
    record.status = KEPT if record.score >= min_score else LOW_SCORE
    record.reason = worst.reason
    return record


def distill(
    model: str | Any,
    judge: str | Any,
    prompts: list[PromptRow],
    spec: SafetySpec,
    *,
    k: int = 3,
    min_score: float = DEFAULT_MIN_SCORE,
    max_tokens: int = 512,
    temperature: float = 0.0,
    concurrency: int = 4,
) -> list[Record]:
    """Generate, judge k times, keep the minimum and filter; return one Record per prompt."""
    from inspect_ai.model import get_model

    if k < 1:
        raise DistillError("--k must be at least 1")
    generator = get_model(model)
    judged_by = make_judge(judge)

    async def run() -> list[Record]:
        gate = asyncio.Semaphore(max(1, concurrency))

        async def one(row: PromptRow) -> Record:
            async with gate:
                return await _one(
                    generator,
                    judged_by,
                    spec,
                    row,
                    k=k,
                    min_score=min_score,
                    max_tokens=max_tokens,
                    temperature=temperature,
                )

        return list(await asyncio.gather(*(one(r) for r in prompts)))

    return asyncio.run(run())


def write_outputs(
    out: str | Path, prompts: list[PromptRow], records: list[Record], info: dict[str, Any]
) -> dict[str, Any]:
    """Write `out/sft.jsonl` (kept records) and `out/report.json`; return the report."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    by_id = {p.id: p for p in prompts}
    with (folder / "sft.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            if record.status == KEPT:
                row = sft_record(by_id[record.id].prompt, record.reasoning, record.answer)
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = Counter(r.status for r in records)
    report = {
        **info,
        "counts": {
            "prompts": len(records),
            "kept": counts.get(KEPT, 0),
            "dropped": sum(n for s, n in counts.items() if s != KEPT),
            "dropped_by_reason": {s: counts[s] for s in STATUSES if s != KEPT and counts.get(s)},
        },
        "records": [asdict(r) for r in records],
    }
    (folder / "report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return report
