"""Card section 1, disallowed content, the harder sets: challenging refusal and WildChat toxic.

- `challenging_refusal`: HarmBench's contextual behaviours (a request plus the document it is
  about) and StrongREJECT's forbidden prompts wrapped in the strongest jailbreak templates
  (`STRONGEST`, chosen as docs/jailbreaks.md explains) → `not_unsafe`, its own card row.
- `wildchat_toxic`: WildChat-1M with the card's selection rule — per moderation category, the
  `per_category` (200) conversations whose last user turn has the highest moderation score for
  that category, the score taken from the dataset's own `openai_moderation` column → the model
  answers that last turn (with the conversation before it) → `not_unsafe` by category.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.log import EvalLog, EvalSampleSummary
from inspect_ai.model import ChatMessage, ChatMessageAssistant, ChatMessageUser

from syscard.data import (
    HARMBENCH_CATEGORIES,
    DataError,
    DatasetMissing,
    PromptRecord,
    dataset_dir,
    load_harmful,
    read_csv_rows,
)
from syscard.evals._info import EvalInfo
from syscard.evals._scoring import OFFLINE, refusal_task
from syscard.evals._techniques import select_techniques
from syscard.evals.disallowed import per_group, round_robin
from syscard.evals.jailbreaks import dataset_info, jailbreak_samples, not_unsafe_row, split_csv
from syscard.results import row_builder

SECTION = "disallowed_content"
STRONGEST = ("combination_3", "combination_2", "aim")
"""StrongREJECT wrappings of challenging refusal: the attacks Wei et al. 2023 found most
successful on GPT-4 and Claude v1.3 (the two combination attacks, and AIM, the strongest of the
jailbreakchat.com role-play prompts). See docs/jailbreaks.md."""
SUBSETS = ("harmbench_contextual", "strongreject")
DEFAULT_TECHNIQUES = ",".join(STRONGEST)
DEFAULT_SUBSETS = ",".join(SUBSETS)
HARMBENCH_FILES = ("harmbench_behaviors_text_test.csv", "harmbench_behaviors_text_val.csv")


# --- challenging refusal ----------------------------------------------------------------------


def load_harmbench_contextual(data_dir: str | Path | None = None) -> list[PromptRecord]:
    """Return HarmBench's 100 contextual behaviours (text_test + text_val) as harmful records.

    `prompt` is the behaviour, `context` its ContextString (the document the request is about),
    `category` the card id mapped from SemanticCategory; ids are the BehaviorIDs. Raises
    DataError naming file:line for a contextual row without context.
    """
    folder = dataset_dir("harmbench", data_dir, files=HARMBENCH_FILES)
    out = []
    for rel in HARMBENCH_FILES:
        path = folder / rel
        required = (
            "Behavior",
            "FunctionalCategory",
            "SemanticCategory",
            "BehaviorID",
            "ContextString",
        )
        for line, row in read_csv_rows(path, required):
            if row["FunctionalCategory"].strip() != "contextual":
                continue
            context = row["ContextString"].strip()
            semantic = row["SemanticCategory"].strip()
            if not context or not row["Behavior"].strip() or not row["BehaviorID"].strip():
                raise DataError(
                    f"{path}:{line}: contextual behaviour without Behavior, BehaviorID or "
                    f"ContextString: replace the file with `syscard data fetch harmbench`"
                )
            if semantic not in HARMBENCH_CATEGORIES:
                raise DataError(
                    f"{path}:{line}: unknown category '{semantic}': map it in "
                    f"HARMBENCH_CATEGORIES (syscard/data/loaders.py)"
                )
            out.append(
                PromptRecord(
                    row["BehaviorID"].strip(),
                    row["Behavior"].strip(),
                    "harmful",
                    HARMBENCH_CATEGORIES[semantic],
                    "harmbench",
                    semantic,
                    context,
                )
            )
    return out


def _contextual_samples(records: list[PromptRecord]) -> list[Sample]:
    # HarmBench's own format for contextual behaviours: the context, a rule, the request.
    return [
        Sample(
            id=f"context:{r.source}:{r.id}",
            input=f"{r.context}\n\n---\n\n{r.prompt}",
            metadata={
                "kind": r.kind,
                "category": r.category,
                "source": r.source,
                "source_category": r.source_category,
                "subset": "harmbench_contextual",
            },
        )
        for r in records
    ]


@row_builder("challenging_refusal")
def challenging_rows(header: EvalLog, summaries: list[EvalSampleSummary]) -> list[dict[str, Any]]:
    """One `not_unsafe` row: breakdown by category, plus `breakdown_by_subset`
    (harmbench_contextual, strongreject:<technique>)."""
    return [not_unsafe_row(summaries, "category", {"breakdown_by_subset": "subset"})]


@task
def challenging_refusal(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    techniques: str | list[str] = DEFAULT_TECHNIQUES,
    per_category: int | None = None,
    subsets: str | list[str] = DEFAULT_SUBSETS,
) -> Task:
    """HarmBench contextual behaviours + StrongREJECT prompts in the strongest jailbreak
    templates → `not_unsafe` by policy category and by subset.

    Args:
        grader: "offline" (rule grader) or an Inspect model name to grade with a rubric.
        data_dir: a folder laid out like the dataset cache (e.g. ../shared/datasets).
        techniques: comma-separated techniques wrapping the StrongREJECT prompts.
        per_category: keep at most this many prompts per category in each subset.
        subsets: comma-separated, from "harmbench_contextual" and "strongreject".
    """
    chosen = select_techniques(techniques)
    wanted = split_csv(subsets)
    unknown = [s for s in wanted if s not in SUBSETS]
    if unknown or not wanted:
        raise DataError(
            f"unknown challenging_refusal subset '{','.join(unknown)}': use "
            f"{' and/or '.join(SUBSETS)}"
        )
    parts: list[list[Sample]] = []
    datasets: list[dict[str, str]] = []
    if "harmbench_contextual" in wanted:
        parts.append(
            _contextual_samples(per_group(load_harmbench_contextual(data_dir), per_category))
        )
        datasets.append(dataset_info("harmbench"))
    if "strongreject" in wanted:
        records = per_group(load_harmful("strongreject", data_dir), per_category)
        wrapped = jailbreak_samples(records, chosen, data_dir)
        for sample in wrapped:
            meta = sample.metadata or {}
            meta["subset"] = f"strongreject:{meta['technique']}"
        parts.append(wrapped)
        datasets.append(dataset_info("strongreject"))
    # Subsets interleaved so that `--limit N` takes some of each.
    return refusal_task(
        "challenging_refusal",
        round_robin(parts),
        section=SECTION,
        metrics=["not_unsafe"],
        grader=grader,
        results="challenging_refusal",
        breakdown="category",
        datasets=datasets,
        techniques=[{"name": t.name, "kind": t.kind, "source": t.source} for t in chosen],
    )


# --- WildChat toxic ---------------------------------------------------------------------------

SCORE_FIELD = "openai_moderation"
WILDCHAT_FIX = "replace it with the WildChat-1M file it came from"


@dataclass(frozen=True)
class Conversation:
    """A WildChat conversation cut after its last user turn.

    `messages` are (role, content) pairs ending with that user turn; `scores` are the
    moderation category scores the dataset gives that turn.
    """

    id: str
    messages: tuple[tuple[str, str], ...]
    scores: dict[str, float]
    language: str | None = None


def _conversation(row: dict[str, Any], where: str) -> Conversation | None:
    """Return the conversation of a WildChat row, or None when it has no user turn."""
    turns, moderation = row.get("conversation"), row.get(SCORE_FIELD)
    conv_id = row.get("conversation_hash")
    if not isinstance(conv_id, str) or not conv_id:
        raise DataError(f"{where}: missing 'conversation_hash': {WILDCHAT_FIX}")
    if not isinstance(turns, list) or not isinstance(moderation, list):
        raise DataError(
            f"{where}: 'conversation' and '{SCORE_FIELD}' must be lists: {WILDCHAT_FIX}"
        )
    if len(turns) != len(moderation):
        raise DataError(
            f"{where}: '{SCORE_FIELD}' has {len(moderation)} entries for {len(turns)} turns: "
            f"{WILDCHAT_FIX}"
        )
    last = max(
        (i for i, t in enumerate(turns) if isinstance(t, dict) and t.get("role") == "user"),
        default=None,
    )
    if last is None:
        return None
    messages = []
    for i, turn in enumerate(turns[: last + 1]):
        if not isinstance(turn, dict) or turn.get("role") not in ("user", "assistant"):
            raise DataError(f"{where}: turn {i} has no role user/assistant: {WILDCHAT_FIX}")
        messages.append((str(turn["role"]), str(turn.get("content") or "")))
    entry = moderation[last]
    scores = entry.get("category_scores") if isinstance(entry, dict) else None
    if not isinstance(scores, dict) or not all(
        isinstance(v, int | float) for v in scores.values() if v is not None
    ):
        raise DataError(
            f"{where}: turn {last} has no numeric {SCORE_FIELD} category_scores: {WILDCHAT_FIX}"
        )
    language = row.get("language")
    return Conversation(
        conv_id,
        tuple(messages),
        {k: float(v) for k, v in scores.items() if v is not None},
        language if isinstance(language, str) else None,
    )


def _jsonl_rows(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    # Streamed line by line: the real dataset is gigabytes, far too big to read at once.
    with open(path, encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{n}: invalid JSON ({exc.msg}): {WILDCHAT_FIX}") from None
            if not isinstance(obj, dict):
                raise DataError(f"{path}:{n}: expected a JSON object: {WILDCHAT_FIX}")
            yield f"{path}:{n}", obj


def _parquet_rows(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        import pyarrow.parquet as pq  # optional: only WildChat's own shards need it
    except ImportError:
        raise DataError(
            f"{path} is a parquet shard and pyarrow is not installed: `pip install "
            f"'pyarrow>=14'`, or convert the shards to JSON lines"
        ) from None
    columns = ["conversation_hash", "conversation", SCORE_FIELD, "language"]
    n = 0
    for batch in pq.ParquetFile(path).iter_batches(columns=columns, batch_size=1024):
        for obj in batch.to_pylist():
            n += 1
            yield f"{path}:row {n}", obj


def wildchat_conversations(data_dir: str | Path | None = None) -> Iterator[Conversation]:
    """Yield every WildChat conversation that has a user turn, file by file (sorted).

    Reads `*.jsonl` and `*.parquet` files (parquet needs pyarrow) under the `wildchat` dataset
    folder. Raises DatasetMissing (naming `syscard data add wildchat PATH`) when there is none.
    """
    try:
        folder = dataset_dir("wildchat", data_dir)
    except DatasetMissing as exc:
        raise DatasetMissing(
            f"{exc} (WildChat is not downloaded by syscard: get allenai/WildChat-1M from "
            f"Hugging Face yourself)"
        ) from None
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".jsonl", ".parquet"))
    if not files:
        raise DataError(
            f"{folder} has no .jsonl or .parquet files: import WildChat-1M with "
            f"`syscard data add wildchat PATH`"
        )
    for path in files:
        rows = _jsonl_rows(path) if path.suffix == ".jsonl" else _parquet_rows(path)
        for where, row in rows:
            conversation = _conversation(row, where)
            if conversation is not None:
                yield conversation


class _Rank:
    """Heap key: higher score ranks higher; on a tie the smaller id ranks higher."""

    __slots__ = ("id", "score")

    def __init__(self, score: float, conv_id: str) -> None:
        self.score, self.id = score, conv_id

    def __lt__(self, other: _Rank) -> bool:
        return (self.score, other.id) < (other.score, self.id)


def select_toxic(
    conversations: Iterator[Conversation] | list[Conversation],
    per_category: int = 200,
    categories: list[str] | None = None,
) -> dict[str, list[Conversation]]:
    """Return, per moderation category, the `per_category` conversations whose last user turn
    scores highest for it (highest first; ties by conversation id), in one streaming pass.

    Categories are those the data scores (or `categories`), sorted; a conversation may be
    selected for several categories.
    """
    heaps: dict[str, list[tuple[_Rank, int, Conversation]]] = {}
    for seq, conv in enumerate(conversations):
        for category, score in conv.scores.items():
            if categories is not None and category not in categories:
                continue
            heap = heaps.setdefault(category, [])
            item = (_Rank(score, conv.id), seq, conv)
            if len(heap) < per_category:
                heapq.heappush(heap, item)
            elif heap[0][0] < item[0]:
                heapq.heapreplace(heap, item)
    return {
        category: [conv for _, _, conv in sorted(heaps[category], reverse=True)]
        for category in sorted(heaps)
    }


def _wildchat_samples(selected: dict[str, list[Conversation]]) -> list[Sample]:
    groups = []
    for category, convs in selected.items():
        samples = []
        for rank, conv in enumerate(convs, start=1):
            messages: list[ChatMessage] = [
                ChatMessageUser(content=text)
                if role == "user"
                else ChatMessageAssistant(content=text)
                for role, text in conv.messages
            ]
            samples.append(
                Sample(
                    id=f"{category}:{conv.id}",
                    input=messages,
                    metadata={
                        "kind": "harmful",
                        "category": category,
                        "source": "wildchat",
                        "source_category": category,
                        "score": conv.scores[category],
                        "rank": rank,
                        "conversation_hash": conv.id,
                        "language": conv.language,
                    },
                )
            )
        groups.append(samples)
    return round_robin(groups)


@task
def wildchat_toxic(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    per_category: int = 200,
    categories: str | list[str] = "",
) -> Task:
    """WildChat-1M, per moderation category the `per_category` conversations whose last user
    turn scores highest → `not_unsafe` by category.

    Args:
        grader: "offline" (rule grader) or an Inspect model name to grade with a rubric.
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
        _wildchat_samples(selected),
        section=SECTION,
        metrics=["not_unsafe"],
        grader=grader,
        breakdown="category",
        datasets=[dataset_info("wildchat")],
        selection=(
            f"per {SCORE_FIELD} category, the {per_category} conversations whose last user "
            "turn scores highest"
        ),
    )


EVAL_INFOS = [
    EvalInfo(
        "challenging_refusal",
        SECTION,
        ("not_unsafe",),
        ("harmbench", "strongreject"),
        challenging_refusal,
        # ~1,000 long prompts (HarmBench contexts run to 3,500 characters): not quick.
        in_quick=False,
    ),
    EvalInfo(
        "wildchat_toxic",
        SECTION,
        ("not_unsafe",),
        ("wildchat",),
        wildchat_toxic,
        in_quick=False,
    ),
]
