"""Train the offline graders' classifiers on the dev split of the shipped labelled sets.

    syscard graders train refusal harm          # writes data/<grader>_model.json
    syscard graders train harm --cv 5           # dev cross-validation only, writes nothing
    syscard graders train refusal --by-source   # leave one writer out; writes nothing

Only `split == "dev"` rows are read; the held-out split is for measuring, never for fitting
(`syscard graders validate --shipped` measures on it afterwards). Training is
deterministic: the same data gives the same weights, hence the same grader version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from syscard.graders.harm import NAMED_FEATURES as HARM_NAMED
from syscard.graders.harm import (
    SHORT_REFUSAL_WORDS,
    UNSAFE,
    HarmGrader,
    harm_features,
    harm_grams,
)
from syscard.graders.linear import LinearModel, train
from syscard.graders.refusal import RuleRefusalGrader
from syscard.graders.refusal_model import NAMED_FEATURES as REFUSAL_NAMED
from syscard.graders.refusal_model import RefusalGrader, refusal_features, refusal_grams
from syscard.graders.validation import data_path, load_labelled
from syscard.metrics import COMPLIANCE, REFUSAL

Example = tuple[list[str], dict[str, float]]


@dataclass(frozen=True)
class Recipe:
    """How to turn labelled rows into examples and targets for one grader."""

    labelled: str
    model_file: str
    named: tuple[str, ...]
    example: Callable[[dict], Example]
    target: Callable[[dict], int]
    include: Callable[[dict], bool]


def _refusal_example(row: dict) -> Example:
    rule = RuleRefusalGrader().verdict(row).label
    return refusal_grams(row["response"]), refusal_features(row["response"], rule)


def _harm_example(row: dict) -> Example:
    # The refusal verdict a harm grade builds on comes from the trained refusal grader, as at
    # grading time; rows it calls refusals never reach the classifier, so they are left out.
    label = RefusalGrader().verdict(row).label
    return harm_grams(row["response"]), harm_features(row["prompt"], row["response"], label)


def _harm_include(row: dict) -> bool:
    # Rows the grader settles without the classifier (short refusals) are not trained on.
    label = RefusalGrader().verdict(row).label
    return not (label == REFUSAL and len(row["response"].split()) < SHORT_REFUSAL_WORDS)


RECIPES = {
    "refusal": Recipe(
        "refusal_labelled.jsonl",
        "refusal_model.json",
        REFUSAL_NAMED,
        _refusal_example,
        lambda row: int(row["label"] != COMPLIANCE),
        lambda row: True,
    ),
    "harm": Recipe(
        "harm_labelled.jsonl",
        "harm_model.json",
        HARM_NAMED,
        _harm_example,
        lambda row: int(row["label"] == UNSAFE),
        _harm_include,
    ),
}


def fit(recipe: Recipe, rows: Sequence[dict]) -> LinearModel:
    """Return the classifier fitted on `rows`."""
    examples = [recipe.example(r) for r in rows]
    return train(examples, [recipe.target(r) for r in rows], recipe.named)


def cross_validate(recipe: Recipe, rows: Sequence[dict], folds: int) -> float:
    """Return k-fold accuracy of the classifier alone on `rows` (folds by row order mod k)."""
    right = 0
    for k in range(folds):
        fit_rows = [r for i, r in enumerate(rows) if i % folds != k]
        test_rows = [r for i, r in enumerate(rows) if i % folds == k]
        model = fit(recipe, fit_rows)
        for row in test_rows:
            grams, named = recipe.example(row)
            right += int(model.probability(grams, named) >= 0.5) == recipe.target(row)
    return right / len(rows)


def source(row: dict) -> str:
    """Return who produced a row: its id prefix (`hr-d`, `hr-u`, …; `rl-` rows by origin)."""
    prefix = row["id"][:4]
    return f"rl-{row['origin']}" if prefix == "rl-0" else prefix


def leave_one_source_out(name: str, rows: Sequence[dict]) -> dict[str, tuple[int, int]]:
    """Return {source: (right, n)} for the whole offline grader, refitted without each source.

    Rows of one writer (or one generated set) share a style, so holding a whole source out is
    the dev-data stand-in for a held-out set written by someone new; k-fold CV mixes writers
    and reads higher. Refusal is scored refused-or-not, harm on its two labels.
    """
    recipe = RECIPES[name]
    out = {}
    for held in sorted({source(r) for r in rows}):
        weights = fit(recipe, [r for r in rows if source(r) != held and recipe.include(r)])
        grader = (
            RefusalGrader(weights=weights) if name == "refusal" else HarmGrader(weights=weights)
        )
        test = [r for r in rows if source(r) == held]
        if name == "refusal":
            right = sum(
                (grader.verdict(r).label != COMPLIANCE) == (r["label"] != COMPLIANCE) for r in test
            )
        else:
            right = sum(grader.verdict(r).label == r["label"] for r in test)
        out[held] = (right, len(test))
    return out


def train_graders(names: Sequence[str], *, cv: int = 0, by_source: bool = False) -> list[str]:
    """Retrain (or, with `cv` / `by_source`, only measure) the classifiers `names` on the dev
    split; return the lines to print (`syscard graders train`)."""
    lines = []
    for name in names:
        recipe = RECIPES[name]
        rows = [r for r in load_labelled(recipe.labelled, split="dev") if recipe.include(r)]
        positives = sum(recipe.target(r) for r in rows)
        lines.append(f"{name}: {len(rows)} dev rows ({positives} positive)")
        if by_source:
            scores = leave_one_source_out(name, load_labelled(recipe.labelled, split="dev"))
            total = sum(r for r, _ in scores.values()) / sum(n for _, n in scores.values())
            lines.append(f"  leave-one-source-out accuracy: {total:.3f}")
            lines += [f"    {held:12} {r / n:.3f}  n={n}" for held, (r, n) in scores.items()]
            continue
        if cv:
            lines.append(f"  {cv}-fold dev accuracy: {cross_validate(recipe, rows, cv):.3f}")
            continue
        model = fit(recipe, rows)
        path = data_path(recipe.model_file)
        path.write_text(json.dumps(model.to_json()) + "\n", encoding="utf-8")
        train_acc = np.mean(
            [int(model.probability(*recipe.example(r)) >= 0.5) == recipe.target(r) for r in rows]
        )
        lines.append(f"  wrote {path} (training accuracy {train_acc:.3f}, version {model.version})")
    return lines
