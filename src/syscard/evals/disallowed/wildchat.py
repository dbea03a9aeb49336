"""WildChat-1M conversations: streamed from JSONL or parquet, the most toxic per category.

The card's selection rule: per moderation category, the `per_category` (200) conversations
whose last user turn has the highest moderation score for that category, the score taken
from the dataset's own `openai_moderation` column.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_ai.dataset import Sample
from inspect_ai.model import ChatMessage, ChatMessageAssistant, ChatMessageUser

from syscard.data import DataError, DatasetMissing, dataset_dir
from syscard.evals.sampling import round_robin

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


def wildchat_samples(selected: dict[str, list[Conversation]]) -> list[Sample]:
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
