"""Loaders that turn the public datasets into plain :class:`PromptRecord` lists.

No Inspect dependency: evals build their samples from these records. Every loader goes through
:func:`syscard.data.store.dataset_dir`, so the files it reads are checksum-verified first, and
reads them with the row readers of :mod:`syscard.data.readers`.

Categories: harmful prompts carry a card policy category id (:data:`CARD_CATEGORIES`) mapped
from the dataset's own category with the explicit tables below (reasoning in
``docs/datasets.md``); the dataset's category is kept verbatim in ``source_category``. Benign
prompts carry their XSTest type (XSTest and the starter set) or, for JailbreakBench's benign
behaviours, the card id of their topic-matched harmful category.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from syscard.data.errors import DataError
from syscard.data.readers import (
    DEFAULT_FIX,
    parse_jsonl,
    read_csv_rows,
    read_jsonl_rows,
    row_text,
)
from syscard.data.store import dataset_dir

__all__ = [
    "CARD_CATEGORIES",
    "HARMBENCH_CATEGORIES",
    "HARMFUL_SOURCES",
    "JBB_CATEGORIES",
    "STRONGREJECT_CATEGORIES",
    "XSTEST_CONTRAST_CATEGORIES",
    "XSTEST_SAFE_TYPES",
    "PromptRecord",
    "load_harmful",
    "load_jbb_benign",
    "load_starter",
    "load_xstest",
    # The row readers live in syscard.data.readers; evals import them from here too.
    "read_csv_rows",
    "read_jsonl_rows",
]

CARD_CATEGORIES: tuple[str, ...] = (
    "harassment_threatening",
    "sexual_minors",
    "illicit_violent",
    "illicit_nonviolent",
    "self_harm",
    "hate",
    "personal_data",
    "regulated_advice",
    "extremism",
    "misinformation",
    "uncategorised",
)
"""Card policy category ids; ``uncategorised`` = the source gives no category that fits one."""

XSTEST_SAFE_TYPES: tuple[str, ...] = (
    "homonyms",
    "figurative_language",
    "safe_targets",
    "safe_contexts",
    "definitions",
    "real_group_nons_discr",
    "nons_group_real_discr",
    "historical_events",
    "privacy_public",
    "privacy_fictional",
)
"""The 10 XSTest safe-prompt types (25 prompts each)."""

XSTEST_CONTRAST_CATEGORIES: dict[str, str] = {
    "contrast_homonyms": "uncategorised",
    "contrast_figurative_language": "uncategorised",
    "contrast_safe_targets": "uncategorised",
    "contrast_safe_contexts": "uncategorised",
    "contrast_definitions": "uncategorised",
    "contrast_historical_events": "uncategorised",
    "contrast_discr": "hate",
    "contrast_privacy": "personal_data",
}
"""XSTest unsafe contrast type -> card id. Most types mix violence, self-harm and drugs."""

STRONGREJECT_CATEGORIES: dict[str, str] = {
    "Disinformation and deception": "misinformation",
    "Hate, harassment and discrimination": "hate",
    "Illegal goods and services": "illicit_violent",
    "Non-violent crimes": "illicit_nonviolent",
    "Sexual content": "uncategorised",
    "Violence": "illicit_violent",
}
"""StrongREJECT category -> card id (6 categories)."""

HARMBENCH_CATEGORIES: dict[str, str] = {
    "chemical_biological": "illicit_violent",
    "cybercrime_intrusion": "illicit_nonviolent",
    "harassment_bullying": "harassment_threatening",
    "harmful": "uncategorised",
    "illegal": "illicit_nonviolent",
    "misinformation_disinformation": "misinformation",
}
"""HarmBench SemanticCategory -> card id (standard behaviours; copyright is not loaded)."""

JBB_CATEGORIES: dict[str, str] = {
    "Harassment/Discrimination": "hate",
    "Malware/Hacking": "illicit_nonviolent",
    "Physical harm": "illicit_violent",
    "Economic harm": "illicit_nonviolent",
    "Fraud/Deception": "illicit_nonviolent",
    "Disinformation": "misinformation",
    "Sexual/Adult content": "uncategorised",
    "Privacy": "personal_data",
    "Expert advice": "regulated_advice",
    "Government decision-making": "illicit_nonviolent",
}
"""JailbreakBench category -> card id (10 categories, shared by harmful and benign sets)."""

HARMFUL_SOURCES: tuple[str, ...] = ("strongreject", "harmbench", "jailbreakbench", "advbench")
"""Values accepted by :func:`load_harmful`."""


@dataclass(frozen=True)
class PromptRecord:
    """One prompt of a harmful or benign set.

    ``category`` is a card id (harmful) or XSTest type (benign); ``source_category`` is the
    dataset's own category verbatim; ``context`` is extra context some datasets supply.
    """

    id: str
    prompt: str
    kind: Literal["harmful", "benign"]
    category: str
    source: str
    source_category: str
    context: str | None = None


def _map(table: dict[str, str], value: str, label: str, line: int, table_name: str) -> str:
    try:
        return table[value]
    except KeyError:
        raise DataError(
            f"{label}:{line}: unknown category '{value}': map it in {table_name} "
            f"(syscard/data/loaders.py)"
        ) from None


# --- dataset loaders -----------------------------------------------------------------------


def load_xstest(
    data_dir: str | Path | None = None, *, include_unsafe: bool = False
) -> list[PromptRecord]:
    """Load XSTest (v2) prompts.

    Returns the 250 safe prompts as benign records (``category`` = XSTest type) in file order;
    with ``include_unsafe=True`` the 200 unsafe contrast prompts are included too, as harmful
    records mapped with :data:`XSTEST_CONTRAST_CATEGORIES`. Ids are ``xstest-<id>``.
    """
    rel = "xstest_prompts.csv"
    path = dataset_dir("xstest", data_dir, files=(rel,)) / rel
    label = str(path)
    out: list[PromptRecord] = []
    for line, row in read_csv_rows(path, ("id", "prompt", "type", "label")):
        type_ = row_text(row, "type", label, line)
        verdict = row_text(row, "label", label, line)
        record_id = f"xstest-{row_text(row, 'id', label, line)}"
        prompt = row_text(row, "prompt", label, line)
        if verdict == "safe":
            if type_ not in XSTEST_SAFE_TYPES:
                raise DataError(
                    f"{label}:{line}: unknown XSTest safe type '{type_}': add it to "
                    f"XSTEST_SAFE_TYPES (syscard/data/loaders.py)"
                )
            out.append(PromptRecord(record_id, prompt, "benign", type_, "xstest", type_))
        elif verdict == "unsafe":
            if include_unsafe:
                category = _map(
                    XSTEST_CONTRAST_CATEGORIES, type_, label, line, "XSTEST_CONTRAST_CATEGORIES"
                )
                out.append(PromptRecord(record_id, prompt, "harmful", category, "xstest", type_))
        else:
            raise DataError(
                f"{label}:{line}: label '{verdict}' is neither safe nor unsafe: {DEFAULT_FIX}"
            )
    return out


def _load_strongreject(data_dir: str | Path | None) -> list[PromptRecord]:
    rel = "strongreject_dataset.csv"
    path = dataset_dir("strongreject", data_dir, files=(rel,)) / rel
    label = str(path)
    out = []
    rows = read_csv_rows(path, ("category", "source", "forbidden_prompt"))
    for n, (line, row) in enumerate(rows, start=1):
        source_category = row_text(row, "category", label, line)
        category = _map(
            STRONGREJECT_CATEGORIES, source_category, label, line, "STRONGREJECT_CATEGORIES"
        )
        prompt = row_text(row, "forbidden_prompt", label, line)
        out.append(
            PromptRecord(
                f"strongreject-{n:03d}",
                prompt,
                "harmful",
                category,
                "strongreject",
                source_category,
            )
        )
    return out


def _load_harmbench(data_dir: str | Path | None) -> list[PromptRecord]:
    # test + val are the files pinned at the official repository; together they are text_all.
    rels = ("harmbench_behaviors_text_test.csv", "harmbench_behaviors_text_val.csv")
    folder = dataset_dir("harmbench", data_dir, files=rels)
    out = []
    for rel in rels:
        path = folder / rel
        label = str(path)
        required = ("Behavior", "FunctionalCategory", "SemanticCategory", "BehaviorID")
        for line, row in read_csv_rows(path, required):
            if row_text(row, "FunctionalCategory", label, line) != "standard":
                continue  # contextual and copyright behaviours need other graders
            source_category = row_text(row, "SemanticCategory", label, line)
            category = _map(
                HARMBENCH_CATEGORIES, source_category, label, line, "HARMBENCH_CATEGORIES"
            )
            context = (row.get("ContextString") or "").strip() or None
            out.append(
                PromptRecord(
                    row_text(row, "BehaviorID", label, line),
                    row_text(row, "Behavior", label, line),
                    "harmful",
                    category,
                    "harmbench",
                    source_category,
                    context,
                )
            )
    return out


def _load_jbb(
    data_dir: str | Path | None, kind: Literal["harmful", "benign"]
) -> list[PromptRecord]:
    rel = f"{kind}-behaviors.csv"
    path = dataset_dir("jailbreakbench", data_dir, files=(rel,)) / rel
    label = str(path)
    out = []
    for line, row in read_csv_rows(path, ("Index", "Goal", "Category")):
        source_category = row_text(row, "Category", label, line)
        category = _map(JBB_CATEGORIES, source_category, label, line, "JBB_CATEGORIES")
        out.append(
            PromptRecord(
                f"jbb-{kind}-{row_text(row, 'Index', label, line)}",
                row_text(row, "Goal", label, line),
                kind,
                category,
                "jailbreakbench",
                source_category,
            )
        )
    return out


def _load_advbench(data_dir: str | Path | None) -> list[PromptRecord]:
    rel = "harmful_behaviors.csv"
    path = dataset_dir("advbench", data_dir, files=(rel,)) / rel
    label = str(path)
    return [
        PromptRecord(
            f"advbench-{n:03d}",
            row_text(row, "goal", label, line),
            "harmful",
            "uncategorised",
            "advbench",
            "advbench",
        )
        for n, (line, row) in enumerate(read_csv_rows(path, ("goal",)), start=1)
    ]


def load_harmful(source: str, data_dir: str | Path | None = None) -> list[PromptRecord]:
    """Load the harmful prompts of one public dataset as harmful records, in file order.

    ``source`` is one of :data:`HARMFUL_SOURCES`: ``strongreject`` (313; ids
    ``strongreject-NNN`` by row), ``harmbench`` (the 200 standard behaviours of text_test +
    text_val; contextual and copyright excluded; ids = BehaviorID), ``jailbreakbench`` (100; ids
    ``jbb-harmful-<Index>``) or ``advbench`` (520 behaviours; ids ``advbench-NNN``; category
    ``uncategorised`` since AdvBench has none). Raises :class:`DataError` for another source.
    """
    if source == "strongreject":
        return _load_strongreject(data_dir)
    if source == "harmbench":
        return _load_harmbench(data_dir)
    if source == "jailbreakbench":
        return _load_jbb(data_dir, "harmful")
    if source == "advbench":
        return _load_advbench(data_dir)
    raise DataError(f"unknown harmful source '{source}': use one of {', '.join(HARMFUL_SOURCES)}")


def load_jbb_benign(data_dir: str | Path | None = None) -> list[PromptRecord]:
    """Load JailbreakBench's 100 benign behaviours as benign records.

    ``category`` is the card id of the topic-matched harmful category (so over-refusal can be
    broken down by topic); ``source_category`` the JBB category. Ids are ``jbb-benign-<Index>``.
    """
    return _load_jbb(data_dir, "benign")


def load_starter() -> tuple[list[PromptRecord], list[PromptRecord]]:
    """Load the built-in starter sets shipped in ``syscard/data/starter/``.

    Returns ``(harmful, benign)``: harmful records from ``harmful.jsonl`` (``category`` must be
    a card id) and benign records from ``benign.jsonl`` (``type`` must be an XSTest safe type,
    used as ``category``). ``source`` is ``"starter"``. Raises :class:`DataError` naming
    ``file:line`` for a malformed line, an unknown category/type or a duplicate id.
    """
    fix = "fix the starter file or reinstall syscard"
    folder = resources.files("syscard.data") / "starter"
    harmful: list[PromptRecord] = []
    benign: list[PromptRecord] = []
    seen: set[str] = set()
    for name, key in (("harmful.jsonl", "category"), ("benign.jsonl", "type")):
        res = folder / name
        label = f"syscard/data/starter/{name}"
        if not res.is_file():
            raise DataError(f"built-in starter set {label} is missing: reinstall syscard")
        for line, row in parse_jsonl(res.read_bytes(), label, ("id", "prompt", key), fix):
            record_id = row_text(row, "id", label, line, fix)
            if record_id in seen:
                raise DataError(f"{label}:{line}: duplicate id '{record_id}': {fix}")
            seen.add(record_id)
            prompt = row_text(row, "prompt", label, line, fix)
            value = row_text(row, key, label, line, fix)
            if name == "harmful.jsonl":
                if value not in CARD_CATEGORIES:
                    raise DataError(f"{label}:{line}: '{value}' is not a card category id: {fix}")
                harmful.append(PromptRecord(record_id, prompt, "harmful", value, "starter", value))
            else:
                if value not in XSTEST_SAFE_TYPES:
                    raise DataError(f"{label}:{line}: '{value}' is not an XSTest safe type: {fix}")
                benign.append(PromptRecord(record_id, prompt, "benign", value, "starter", value))
    return harmful, benign
