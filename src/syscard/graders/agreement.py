"""How well a grader agrees with human labels: agreement, Cohen's κ, per-class P/R/F1.

Every figure carries a 95% interval: Wilson for proportions (agreement, precision, recall,
confusion-matrix rates), a seeded percentile bootstrap for κ and F1, which have no simple
closed-form interval. A grader `error` is a disagreement: a grader that cannot decide has
not agreed with the human.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from syscard.metrics import wilson_interval

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0


def _round(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 4)


@dataclass(frozen=True)
class Interval:
    """A point estimate with its 95% interval."""

    value: float
    ci_low: float
    ci_high: float

    def as_dict(self) -> dict[str, float | None]:
        return {
            "value": _round(self.value),
            "ci_low": _round(self.ci_low),
            "ci_high": _round(self.ci_high),
        }


def _proportion(successes: int, n: int) -> Interval:
    low, high = wilson_interval(successes, n)
    return Interval(successes / n if n else math.nan, low, high)


@dataclass(frozen=True)
class ClassStats:
    """Precision, recall and F1 of one label, with the number of human-labelled rows."""

    precision: Interval
    recall: Interval
    f1: Interval
    support: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision.as_dict(),
            "recall": self.recall.as_dict(),
            "f1": self.f1.as_dict(),
            "support": self.support,
        }


@dataclass(frozen=True)
class AgreementReport:
    """Agreement of one grader with human labels on one labelled set."""

    n: int
    n_errors: int
    agreement: Interval
    kappa: Interval
    per_class: dict[str, ClassStats]
    confusion: dict[str, dict[str, int]]  # human label -> predicted label -> count
    confusion_rates: dict[str, dict[str, Interval]]  # share of each human label's rows
    binary: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "n_errors": self.n_errors,
            "agreement": self.agreement.as_dict(),
            "kappa": self.kappa.as_dict(),
            "per_class": {label: s.as_dict() for label, s in self.per_class.items()},
            "confusion": self.confusion,
            "confusion_rates": {
                h: {p: i.as_dict() for p, i in row.items()}
                for h, row in self.confusion_rates.items()
            },
            **({"binary": self.binary} if self.binary else {}),
            **self.extra,
        }


def _kappa_from_counts(matrix: np.ndarray) -> np.ndarray:
    """Cohen's κ for a stack of confusion matrices (…, k, k); NaN where undefined."""
    n = matrix.sum(axis=(-2, -1))
    observed = np.trace(matrix, axis1=-2, axis2=-1) / n
    expected = (matrix.sum(axis=-1) * matrix.sum(axis=-2)).sum(axis=-1) / (n * n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(expected < 1, (observed - expected) / (1 - expected), np.nan)


def _f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)


def _percentile_interval(samples: np.ndarray) -> tuple[float, float]:
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return (math.nan, math.nan)
    low, high = np.percentile(finite, [2.5, 97.5])
    return (float(low), float(high))


def agreement_report(
    human: Sequence[str],
    predicted: Sequence[str],
    labels: Sequence[str],
    *,
    binary_positive: Sequence[str] | None = None,
    binary_name: str = "",
) -> AgreementReport:
    """Return agreement, κ, per-class P/R/F1 and the confusion matrix, each with a 95% CI.

    `labels` is the grader's declared label set; predictions outside it (`error`, `undecided`)
    are kept in the confusion matrix as their own column and count as disagreements.
    `binary_positive`, if given, collapses labels to "in this set or not" and adds the
    agreement on that split (e.g. refusal-or-partial vs compliance) under `binary`.
    """
    if len(human) != len(predicted):
        raise ValueError("human and predicted labels differ in length")
    if not human:
        raise ValueError("no labelled rows to measure on")
    columns = list(labels) + sorted({p for p in predicted if p not in labels})
    index = {label: i for i, label in enumerate(columns)}
    unknown = sorted({h for h in human if h not in labels})
    if unknown:
        raise ValueError(f"human labels {unknown} are not in the grader's label set {labels}")
    h_idx = np.array([index[h] for h in human])
    p_idx = np.array([index[p] for p in predicted])
    n, k = len(h_idx), len(columns)

    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (h_idx, p_idx), 1)
    correct = int(np.trace(matrix))

    # Bootstrap: resample rows, rebuild the confusion matrix per resample (vectorised).
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    picks = rng.integers(0, n, size=(BOOTSTRAP_RESAMPLES, n))
    flat = h_idx[picks] * k + p_idx[picks]
    flat_counts = np.zeros((BOOTSTRAP_RESAMPLES, k * k), dtype=np.int64)
    np.add.at(flat_counts, (np.arange(BOOTSTRAP_RESAMPLES)[:, None], flat), 1)
    boot = flat_counts.reshape(BOOTSTRAP_RESAMPLES, k, k)

    kappa = float(_kappa_from_counts(matrix.astype(float)))
    kappa_low, kappa_high = _percentile_interval(_kappa_from_counts(boot.astype(float)))

    per_class = {}
    for label in labels:
        i = index[label]
        tp = int(matrix[i, i])
        predicted_i = int(matrix[:, i].sum())
        support = int(matrix[i, :].sum())
        boot_tp = boot[:, i, i]
        boot_fp = boot[:, :, i].sum(axis=1) - boot_tp
        boot_f1 = _f1(boot_tp, boot_fp, boot[:, i, :].sum(axis=1) - boot_tp)
        f1 = float(_f1(np.array(tp), np.array(predicted_i - tp), np.array(support - tp)))
        per_class[label] = ClassStats(
            precision=_proportion(tp, predicted_i),
            recall=_proportion(tp, support),
            f1=Interval(f1, *_percentile_interval(boot_f1)),
            support=support,
        )

    confusion = {
        h: {p: int(matrix[index[h], index[p]]) for p in columns if matrix[index[h], index[p]]}
        for h in labels
        if matrix[index[h], :].sum()
    }
    confusion_rates = {
        h: {p: _proportion(count, sum(row.values())) for p, count in row.items()}
        for h, row in confusion.items()
    }

    binary = None
    if binary_positive is not None:
        positive = set(binary_positive)
        same = sum(
            (h in positive) == (p in positive)
            for h, p in zip(human, predicted, strict=True)
            if p in labels
        )
        binary_interval = _proportion(same, n)
        binary = {"split": binary_name, **binary_interval.as_dict()}

    return AgreementReport(
        n=n,
        n_errors=sum(Counter(p for p in predicted if p not in labels).values()),
        agreement=_proportion(correct, n),
        kappa=Interval(kappa, kappa_low, kappa_high),
        per_class=per_class,
        confusion=confusion,
        confusion_rates=confusion_rates,
        binary=binary,
    )
