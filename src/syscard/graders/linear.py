"""A small logistic-regression classifier over hashed n-grams and named features, in NumPy.

Used by the offline graders that are learned from labelled data rather than written as
rules. It has no dependencies beyond NumPy, trains in seconds on a few hundred rows, and
grades thousands of responses per second on one core, so it meets the offline throughput
target where a sentence-embedding model (tens of MFLOPs per token) would not.

Tokens that name a grader's verdicts ("label", "refusal", "unsafe", "verdict", …) are never
features: a response cannot push the classifier by writing its own verdict.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from syscard.graders.base import version_hash

_TOKEN = re.compile(r"[a-zà-ÿß]+(?:'[a-z]+)?|\d+|[^\w\s]", re.IGNORECASE)

VERDICT_WORDS = frozenset(
    """label labels labelled verdict verdicts score scores scored grader graders grading grade
    graded classifier classify refusal refusals refused compliance complied compliant partial
    safe unsafe jailbroken jailbreak harmful harmless leaked deceptive""".split()
)
"""Words left out of the n-gram features (see module docstring). Named features may still
look at e.g. "refuse" in phrases like "I refuse to" — those are written as rules."""


def tokens(text: str) -> list[str]:
    """Return lower-cased word/number/punctuation tokens, verdict words removed."""
    words = (m.group(0).lower() for m in _TOKEN.finditer(text))
    return [t for t in words if t not in VERDICT_WORDS]


def _bucket(feature: str, dims: int) -> int:
    return zlib.crc32(feature.encode("utf-8")) % dims


@dataclass(frozen=True)
class LinearModel:
    """Weights of a trained classifier; `probability(...)` gives P(positive class)."""

    dims: int
    named: tuple[str, ...]  # named (dense) features, in weight order after the hashed block
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    named_scale: float = 1.0  # how loud named features are beside thousands of n-gram counts

    @property
    def version(self) -> str:
        return version_hash(
            str(self.dims),
            ",".join(self.named),
            repr(self.weights),
            repr(self.bias),
            repr(self.threshold),
            repr(self.named_scale),
        )

    def vector(self, grams: Sequence[str], named: Mapping[str, float]) -> np.ndarray:
        """Return the feature vector for hashed `grams` (counts, log-scaled) and `named`."""
        x = np.zeros(self.dims + len(self.named))
        for gram in grams:
            x[_bucket(gram, self.dims)] += 1.0
        np.log1p(x[: self.dims], out=x[: self.dims])
        for i, name in enumerate(self.named):
            x[self.dims + i] = float(named.get(name, 0.0)) * self.named_scale
        return x

    def probability(self, grams: Sequence[str], named: Mapping[str, float]) -> float:
        z = float(np.dot(self.vector(grams, named), np.asarray(self.weights))) + self.bias
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_json(self) -> dict:
        return {
            "dims": self.dims,
            "named": list(self.named),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "threshold": self.threshold,
            "named_scale": self.named_scale,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> LinearModel:
        return cls(
            int(data["dims"]),
            tuple(data["named"]),
            tuple(float(w) for w in data["weights"]),
            float(data["bias"]),
            float(data.get("threshold", 0.5)),
            float(data.get("named_scale", 1.0)),
        )

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def shipped_model(file_name: str, grader: str) -> LinearModel:
    """Return the trained weights `file_name` shipped in `syscard/graders/data/`.

    Cached by path and modification time, so retraining in the same process is picked up.
    Raises RuntimeError naming the fix when the file is missing (a broken install).
    """
    path = Path(str(files("syscard.graders") / "data" / file_name))
    if not path.exists():
        raise RuntimeError(
            f"{file_name} is missing from syscard/graders/data: reinstall syscard or run "
            f"`syscard graders train {grader}`"
        )
    return _load(str(path), path.stat().st_mtime_ns)


@cache
def _load(path: str, mtime_ns: int) -> LinearModel:
    del mtime_ns  # part of the cache key only
    return LinearModel.load(Path(path))


def ngrams(words: Sequence[str], prefix: str = "") -> list[str]:
    """Return unigrams and bigrams of `words`, each tagged with `prefix`."""
    grams = [prefix + w for w in words]
    grams += [f"{prefix}{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return grams


def train(
    examples: Sequence[tuple[Sequence[str], Mapping[str, float]]],
    targets: Sequence[int],
    named: Sequence[str],
    *,
    dims: int = 4096,
    l2: float = 1e-2,
    named_scale: float = 3.0,
    steps: int = 800,
    learning_rate: float = 0.1,
    weights: Sequence[float] | None = None,
) -> LinearModel:
    """Fit an L2-regularised logistic regression by full-batch Adam; deterministic.

    `weights` (per example) let rare but important kinds of response count more.
    """
    model = LinearModel(
        dims, tuple(named), (0.0,) * (dims + len(named)), 0.0, named_scale=named_scale
    )
    x = np.stack([model.vector(g, n) for g, n in examples])
    y = np.asarray(targets, dtype=float)
    sample_w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    sample_w = sample_w / sample_w.mean()
    w = np.zeros(x.shape[1])
    b = 0.0
    m = np.zeros(x.shape[1] + 1)
    v = np.zeros(x.shape[1] + 1)
    for step in range(1, steps + 1):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w + b, -40, 40)))
        err = (p - y) * sample_w
        grad = np.concatenate([x.T @ err / len(y) + l2 * w, [err.mean()]])
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        update = learning_rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        w -= update[:-1]
        b -= update[-1]
    return LinearModel(
        dims, tuple(named), tuple(float(a) for a in w), float(b), named_scale=named_scale
    )
