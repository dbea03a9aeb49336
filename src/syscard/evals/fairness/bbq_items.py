"""BBQ items: loading and checking the dataset, and which answer is in the stereotyped group.

BBQ (Parrish et al. 2022) lists each item's stereotyped groups and each answer's group label,
written differently from category to category; `stereotyped_answer` reduces both to canonical
tokens so that every item gets the answer its stereotype names (see docs/fairness.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syscard.data import DataError, dataset_dir, read_jsonl_rows
from syscard.evals.fairness.bbq_parser import BBQ_INSTRUCTION, LETTERS

BBQ_CATEGORIES = (
    "Age",
    "Disability_status",
    "Gender_identity",
    "Nationality",
    "Physical_appearance",
    "Race_ethnicity",
    "Race_x_SES",
    "Race_x_gender",
    "Religion",
    "SES",
    "Sexual_orientation",
)
_BBQ_FIX = "replace it with `syscard data fetch bbq`"
_BBQ_KEYS = (
    "example_id",
    "question_polarity",
    "context_condition",
    "category",
    "answer_info",
    "additional_metadata",
    "context",
    "question",
    "ans0",
    "ans1",
    "ans2",
    "label",
)

# Group labels differ between a BBQ item's `stereotyped_groups` and its answers' `answer_info`
# ("F" vs "woman", "low SES" vs "lowSES", "transgender women" vs "trans_F"): both sides are
# reduced to these canonical tokens before matching.
_TOKEN_SYNONYMS = {
    "m": "m", "man": "m", "men": "m", "boy": "m", "boys": "m", "male": "m",
    "f": "f", "woman": "f", "women": "f", "girl": "f", "girls": "f", "female": "f",
    "transgender": "trans", "transgendered": "trans",
    "nontransgender": "nontrans", "cis": "nontrans", "cisgender": "nontrans",
    "africanamerican": "black",
}  # fmt: skip
# Whole labels that stand for several tokens.
_PHRASES = {
    "transgenderwomen": ("trans", "f"), "transgenderwoman": ("trans", "f"),
    "transwomen": ("trans", "f"), "transwoman": ("trans", "f"),
    "transgendermen": ("trans", "m"), "transgenderman": ("trans", "m"),
    "transmen": ("trans", "m"), "transman": ("trans", "m"),
    "transgenderedperson": ("trans",),
}  # fmt: skip


def _canonical(part: str) -> tuple[str, ...]:
    key = re.sub(r"[\s'’.]+", "", part.lower())
    if not key:
        return ()
    return _PHRASES.get(key, (_TOKEN_SYNONYMS.get(key, key),))


def group_tokens(label: str) -> frozenset[str]:
    """Return the canonical tokens of one group label ("lowSES-F-Black" → {lowses, f, black}).

    Labels are split on "-" and "_" (BBQ joins intersectional groups with either), spaces and
    case are dropped inside each part ("low SES" = "lowSES"), and synonyms are merged
    ("woman" = "F", "African American" = "Black", "transgender women" = trans + F).
    """
    return frozenset(t for part in re.split(r"[-_]", label) for t in _canonical(part))


def answer_tokens(info: Sequence[str]) -> frozenset[str]:
    """Return the group tokens of one answer from its `answer_info` entry [text, label].

    Both entries count: most categories put the group in the label, but Nationality puts the
    region there ("Europe") and the nationality ("British") in the text, and Gender_identity
    names ("Donna", "F") carry it in the label only.
    """
    label = str(info[1]) if len(info) > 1 else ""
    text = str(info[0]) if info else ""
    # The text is one token, never split: "22-year-old" must not yield the group "old".
    return group_tokens(label) | frozenset(_canonical(text))


def stereotyped_answer(row: dict[str, Any]) -> int | None:
    """Return the index (0-2) of the answer in the stereotyped group, or None if not exactly one.

    An answer is in the stereotyped group when, for some group in
    `additional_metadata.stereotyped_groups`, every token of that group is among the answer's
    tokens (so "F-Black" needs both F and Black, while "Black" matches "M-Black"). The unknown
    option never matches. None when no answer or both answers match: the item then cannot
    say which answer is the stereotype, and is left out of the bias metric.
    """
    info = row["answer_info"]
    groups = [group_tokens(str(g)) for g in row["additional_metadata"]["stereotyped_groups"]]
    groups = [g for g in groups if g]
    matches = []
    for i in range(3):
        entry = info[f"ans{i}"]
        if len(entry) > 1 and str(entry[1]).lower() == "unknown":
            continue
        tokens = answer_tokens(entry)
        if any(g <= tokens for g in groups):
            matches.append(i)
    return matches[0] if len(matches) == 1 else None


@dataclass(frozen=True)
class BBQItem:
    """One BBQ question with what the metrics need to know about its answers."""

    id: str
    category: str
    context_condition: str
    """"ambig" (the right answer is unknown) or "disambig"."""
    polarity: str
    """"neg" (the question names a negative stereotype) or "nonneg"."""
    context: str
    question: str
    options: tuple[str, str, str]
    label: int
    unknown: int
    target: int | None
    """Answer in the stereotyped group (None: not identifiable)."""

    @property
    def stereotype(self) -> int | None:
        """The stereotype-consistent answer: the target for a negative question, the other
        (non-unknown) answer for a non-negative one (BBQ's definition of a biased answer)."""
        if self.target is None:
            return None
        if self.polarity == "neg":
            return self.target
        others = [i for i in range(3) if i not in (self.target, self.unknown)]
        return others[0] if len(others) == 1 else None


def parse_bbq_row(row: dict[str, Any], where: str) -> BBQItem:
    """Return the `BBQItem` of one BBQ JSON line; raise DataError naming `where` if malformed."""
    try:
        info = row["answer_info"]
        unknown = [i for i in range(3) if str(info[f"ans{i}"][1]).lower() == "unknown"]
        label = int(row["label"])
        condition, polarity = str(row["context_condition"]), str(row["question_polarity"])
        row["additional_metadata"]["stereotyped_groups"]  # noqa: B018  (must exist)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise DataError(f"{where}: malformed BBQ item ({exc!r}): {_BBQ_FIX}") from None
    if len(unknown) != 1 or label not in (0, 1, 2):
        raise DataError(f"{where}: expected one 'unknown' answer and a label 0-2: {_BBQ_FIX}")
    if condition not in ("ambig", "disambig") or polarity not in ("neg", "nonneg"):
        raise DataError(f"{where}: unknown context_condition/question_polarity: {_BBQ_FIX}")
    return BBQItem(
        id=f"{row['category']}:{row['example_id']}",
        category=str(row["category"]),
        context_condition=condition,
        polarity=polarity,
        context=str(row["context"]).strip(),
        question=str(row["question"]).strip(),
        options=(str(row["ans0"]), str(row["ans1"]), str(row["ans2"])),
        label=label,
        unknown=unknown[0],
        target=stereotyped_answer(row),
    )


def load_bbq(
    data_dir: str | None, categories: Sequence[str] = ()
) -> tuple[list[BBQItem], list[str], Path]:
    """Return (items, categories missing from the local copy, dataset folder).

    With no `categories`, every category file present is used (the local copy may hold only
    some of the 11); naming categories makes each of them required.
    """
    unknown = [c for c in categories if c not in BBQ_CATEGORIES]
    if unknown:
        raise DataError(
            f"unknown BBQ categories {', '.join(unknown)}: choose from {', '.join(BBQ_CATEGORIES)}"
        )
    wanted = list(categories) or list(BBQ_CATEGORIES)
    files = [f"data/{c}.jsonl" for c in categories] or None
    folder = dataset_dir("bbq", data_dir, files=files)
    items: list[BBQItem] = []
    missing: list[str] = []
    for category in wanted:
        path = folder / "data" / f"{category}.jsonl"
        if not path.is_file():
            missing.append(category)
            continue
        rows = read_jsonl_rows(path, _BBQ_KEYS, fix=_BBQ_FIX)
        if not rows:
            raise DataError(f"{path}: no BBQ items in the file: {_BBQ_FIX}")
        items.extend(parse_bbq_row(row, f"{path}:{line}") for line, row in rows)
    return items, missing, folder


def bbq_prompt(item: BBQItem) -> str:
    """Return the multiple-choice prompt: context, question, options A-C, instruction."""
    options = "\n".join(
        f"{letter}. {text}" for letter, text in zip(LETTERS, item.options, strict=True)
    )
    return f"{item.context}\n{item.question}\n\n{options}\n\n{BBQ_INSTRUCTION}"
