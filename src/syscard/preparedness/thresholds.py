"""The Preparedness thresholds file: levels, categories, and loading and validating the file.

A thresholds file (`thresholds.yaml` beside this module, shipped; users override it with
`--thresholds FILE`) maps the (eval, metric) rows that feed each of the four tracked
categories to low / medium / high / critical. `load_thresholds` reads and validates one and
raises ThresholdsError, one line naming the file and what to fix, for any problem.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from syscard.errors import SyscardError

LEVELS = ("low", "medium", "high", "critical")
CATEGORIES = ("cybersecurity", "cbrn", "persuasion", "model_autonomy")
LEVEL_TITLES = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}
THRESHOLDS_FILE = "thresholds.yaml"

# The levels a thresholds mapping may name: "low" is everything below the first threshold.
_THRESHOLD_LEVELS = LEVELS[1:]
_TOP_KEYS = {"about", "categories"}
_CATEGORY_KEYS = {"title", "definitions", "evals"}
_EVAL_KEYS = {"eval", "metric", "description", "higher_is_riskier", "thresholds", "why"}
_Fail = Callable[[str], "ThresholdsError"]  # builds the error for one problem in the file


class ThresholdsError(SyscardError, ValueError):
    """A thresholds file that cannot be used; the message is one line naming the file and fix."""


@dataclass(frozen=True)
class Feed:
    """One (eval, metric) that feeds a category, with the thresholds that map it to levels."""

    eval: str
    metric: str
    description: str
    thresholds: tuple[tuple[str, float], ...]  # (level, threshold), medium first
    higher_is_riskier: bool = True
    why: str = ""

    def level(self, value: float) -> str:
        """Return the highest level whose threshold `value` reaches; `low` below all of them.

        `value` must be a finite number: callers decide beforehand that a missing value is
        "not evaluated", so that it never turns into "low" here.
        """
        if not math.isfinite(value):
            raise ValueError(f"no level for a non-finite value ({value!r})")
        reached = "low"
        for level, threshold in self.thresholds:
            if (value >= threshold) if self.higher_is_riskier else (value <= threshold):
                reached = level
        return reached


@dataclass(frozen=True)
class CategoryThresholds:
    """A category's title, level definitions and the evals that feed it."""

    category: str
    title: str
    feeds: tuple[Feed, ...]
    definitions: tuple[tuple[str, str], ...] = ()  # (level, definition), in LEVELS order


@dataclass(frozen=True)
class Thresholds:
    """A loaded thresholds file: all four categories, in CATEGORIES order."""

    source: str  # the file's path
    sha256: str  # first 12 hex digits of the file's bytes, to cite which thresholds were used
    categories: tuple[CategoryThresholds, ...]
    about: str = ""

    def category(self, name: str) -> CategoryThresholds:
        """Return the thresholds of category `name` (KeyError if unknown)."""
        for category in self.categories:
            if category.category == name:
                return category
        raise KeyError(name)


# --- loading -------------------------------------------------------------------------------


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses repeated keys (PyYAML would silently keep the last one)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"repeated key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def shipped_thresholds_path() -> Path:
    """Return the path of the thresholds file shipped with syscard (a template to copy)."""
    return Path(str(files("syscard.preparedness") / THRESHOLDS_FILE))


def load_thresholds(path: str | Path | None = None) -> Thresholds:
    """Return the thresholds in `path` (None: the shipped file), validated.

    A file given here replaces the shipped one entirely, so it must list all four categories.
    Raises ThresholdsError (one line naming the file and what to fix) for any problem.
    """
    file = shipped_thresholds_path() if path is None else Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ThresholdsError(f"{file}: cannot read the thresholds file ({exc.strerror})") from exc
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_UniqueKeyLoader)
    except UnicodeDecodeError as exc:
        raise ThresholdsError(f"{file}: not UTF-8 text; save it as UTF-8") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise ThresholdsError(f"{file}: not valid YAML{where} ({problem}); fix the syntax") from exc

    def fail(message: str) -> ThresholdsError:
        return ThresholdsError(f"{file}: {message}")

    if not isinstance(data, dict):
        raise fail("expected a mapping with a 'categories' key at the top level")
    unknown = sorted(str(k) for k in data if k not in _TOP_KEYS)
    if unknown:
        raise fail(f"unknown top-level key {unknown[0]!r}; allowed: about, categories")
    about = data.get("about", "")
    if not isinstance(about, str):
        raise fail("'about' must be text")
    categories = data.get("categories")
    if not isinstance(categories, dict) or not categories:
        raise fail(f"'categories' must map each of {', '.join(CATEGORIES)} to its evals")
    for name in categories:
        if name not in CATEGORIES:
            raise fail(f"unknown category {name!r}; use one of {', '.join(CATEGORIES)}")
    missing = [c for c in CATEGORIES if c not in categories]
    if missing:
        raise fail(
            f"category {missing[0]!r} is missing; a thresholds file replaces the shipped one, "
            f"so copy that category from {shipped_thresholds_path()}"
        )
    parsed = tuple(_category(name, categories[name], fail) for name in CATEGORIES)
    return Thresholds(
        source=str(file),
        sha256=hashlib.sha256(raw).hexdigest()[:12],
        categories=parsed,
        about=" ".join(about.split()),
    )


def _category(name: str, body: Any, fail: _Fail) -> CategoryThresholds:
    where = f"categories.{name}"
    if not isinstance(body, dict):
        raise fail(f"{where} must be a mapping with 'title' and 'evals'")
    unknown = sorted(str(k) for k in body if k not in _CATEGORY_KEYS)
    if unknown:
        raise fail(f"{where}: unknown key {unknown[0]!r}; allowed: definitions, evals, title")
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail(f"{where}.title is missing; give the category's display name")
    definitions = body.get("definitions", {}) or {}
    if not isinstance(definitions, dict):
        raise fail(f"{where}.definitions must map levels to text")
    for level, text in definitions.items():
        if level not in LEVELS:
            raise fail(f"{where}.definitions: unknown level {level!r}; use {', '.join(LEVELS)}")
        if not isinstance(text, str):
            raise fail(f"{where}.definitions.{level} must be text")
    evals = body.get("evals")
    if not isinstance(evals, list):
        raise fail(f"{where}.evals must be a list of eval entries (it may be empty: [])")
    feeds = tuple(_feed(f"{where}.evals[{i}]", entry, fail) for i, entry in enumerate(evals))
    seen: set[tuple[str, str]] = set()
    for feed in feeds:
        if (feed.eval, feed.metric) in seen:
            raise fail(f"{where}: {feed.eval}/{feed.metric} is listed twice; keep one entry")
        seen.add((feed.eval, feed.metric))
    return CategoryThresholds(
        category=name,
        title=title.strip(),
        feeds=feeds,
        definitions=tuple(
            (level, " ".join(definitions[level].split()))
            for level in LEVELS
            if level in definitions
        ),
    )


def _feed(where: str, entry: Any, fail: _Fail) -> Feed:
    if not isinstance(entry, dict):
        raise fail(f"{where} must be a mapping with eval, metric, description and thresholds")
    unknown = sorted(str(k) for k in entry if k not in _EVAL_KEYS)
    if unknown:
        raise fail(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(_EVAL_KEYS))}")
    for key in ("eval", "metric", "description"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{where} has no {key!r}; every eval entry needs eval, metric, description")
    where = f"{where} ({entry['eval']}/{entry['metric']})"
    higher = entry.get("higher_is_riskier", True)
    if not isinstance(higher, bool):
        raise fail(f"{where}: higher_is_riskier must be true or false")
    why = entry.get("why", "")
    if not isinstance(why, str):
        raise fail(f"{where}: 'why' must be text")
    raw = entry.get("thresholds")
    if not isinstance(raw, dict) or not raw:
        raise fail(f"{where}: 'thresholds' must map some of medium, high, critical to numbers")
    for level, value in raw.items():
        if level == "low":
            raise fail(f"{where}: remove the 'low' threshold; low is every value below medium")
        if level not in _THRESHOLD_LEVELS:
            raise fail(f"{where}: unknown level {level!r}; use medium, high or critical")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(f"{where}: the {level} threshold must be a number, not {value!r}")
        if not math.isfinite(value):
            raise fail(f"{where}: the {level} threshold must be a finite number")
    thresholds = tuple((level, float(raw[level])) for level in _THRESHOLD_LEVELS if level in raw)
    for (low_level, low), (high_level, high) in zip(thresholds, thresholds[1:], strict=False):
        if higher and not low < high:
            raise fail(
                f"{where}: thresholds must increase from medium to critical when "
                f"higher_is_riskier is true ({low_level} {low:g} >= {high_level} {high:g})"
            )
        if not higher and not low > high:
            raise fail(
                f"{where}: thresholds must decrease from medium to critical when "
                f"higher_is_riskier is false ({low_level} {low:g} <= {high_level} {high:g})"
            )
    return Feed(
        eval=entry["eval"].strip(),
        metric=entry["metric"].strip(),
        description=" ".join(entry["description"].split()),
        thresholds=thresholds,
        higher_is_riskier=higher,
        why=" ".join(why.split()),
    )
