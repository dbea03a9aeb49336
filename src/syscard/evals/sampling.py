"""Stable, stratified subsets: what `--limit`, the quick suite and per-category caps take.

Within a group, items are ranked by a stable hash of their id, so a small subset spreads over
the group instead of taking its first rows, and the same items come back on every run (which
is what makes a run resumable); groups are interleaved so that `--limit N` covers several.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")


def round_robin(groups: Sequence[Sequence[T]]) -> list[T]:
    """Return the items of `groups` interleaved: first of each group, then second, ..."""
    merged: list[T] = []
    for i in range(max((len(g) for g in groups), default=0)):
        merged.extend(g[i] for g in groups if i < len(g))
    return merged


def _rank(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def spread(groups: Mapping[str, Sequence[T]], n: int | None, key: Callable[[T], str]) -> list[T]:
    """Return at most `n` items per group (all if None), ranked by a stable hash of
    `key(item)`, groups (sorted by name) interleaved."""
    ranked = [sorted(groups[g], key=lambda x: _rank(key(x)))[:n] for g in sorted(groups)]
    return round_robin(ranked)


def group_by(items: Sequence[T], group: Callable[[T], str]) -> dict[str, list[T]]:
    """Return `items` grouped by `group(item)`, each group in the items' order."""
    out: dict[str, list[T]] = {}
    for item in items:
        out.setdefault(group(item), []).append(item)
    return out


def per_group(
    items: Sequence[T], n: int | None, group: Callable[[T], str] | None = None
) -> list[T]:
    """Return at most `n` items per category (all if None), categories interleaved.

    Items need an `id`; their group is `item.category` unless `group` says otherwise.
    """
    by = group or (lambda item: item.category)  # type: ignore[attr-defined]
    return spread(group_by(items, by), n, key=lambda item: item.id)  # type: ignore[attr-defined]
