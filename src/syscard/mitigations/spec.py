"""The safety spec: its model, its loader, and the text of one category for a prompt.

`load_spec` reads the YAML spec (`safety_spec.yaml` beside this module by default, replaceable
with `--spec FILE`) and validates it; `spec_section` renders the part of it that applies to a
prompt's category, the text both the inference-time mitigation and the distillation judge show.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from syscard.errors import SyscardError

GENERAL = "general"
DECISIONS = ("comply", "refuse", "safe_complete")


class SpecError(SyscardError, ValueError):
    """A safety spec file that cannot be used (the message says what to fix, in one line)."""


@dataclass(frozen=True)
class Category:
    """One spec category: what is allowed, disallowed, and needs a safe completion."""

    id: str
    title: str
    decision: str  # what a request this category disallows gets: refuse | safe_complete | comply
    allowed: tuple[str, ...]
    disallowed: tuple[str, ...]
    safe_completion: tuple[str, ...]
    patterns: tuple[str, ...] | None = None  # the spec's own classifier rules, if any


@dataclass(frozen=True)
class SafetySpec:
    """A loaded safety spec; `sha` is the file's sha256[:12] (labels runs and SFT data)."""

    path: str
    sha: str
    categories: dict[str, Category]
    refusal_style: tuple[str, ...]
    safe_completion_style: tuple[str, ...]
    compliance_style: tuple[str, ...] = field(default_factory=tuple)


DEFAULT_SPEC = files("syscard.mitigations") / "safety_spec.yaml"


def _strings(value: Any, where: str, path: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    if value is None and allow_empty:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SpecError(f"{path}: {where} must be a list of non-empty strings")
    if not value and not allow_empty:
        raise SpecError(f"{path}: {where} must not be empty")
    return tuple(" ".join(v.split()) for v in value)


def load_spec(path: str | Path | None = None) -> SafetySpec:
    """Return the safety spec in YAML file `path` (syscard's default spec when None).

    Raises SpecError with one line naming the file and what is wrong: missing file, invalid
    YAML, missing `style`/`categories`/`general`, a category without its rule lists, an
    unknown decision, or a classifier pattern that is not a valid regular expression.
    """
    where = str(path) if path else "syscard default spec"
    try:
        raw = Path(path).read_bytes() if path else DEFAULT_SPEC.read_bytes()
    except OSError as ex:
        raise SpecError(f"{where}: cannot read the safety spec: {ex.strerror}") from None
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SpecError(f"{where}: the safety spec must be UTF-8 text") from None
    except yaml.YAMLError as ex:
        mark = getattr(ex, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(ex, "problem", None) or "invalid YAML"
        raise SpecError(f"{where}: not valid YAML{line}: {problem}") from None
    if not isinstance(data, dict):
        raise SpecError(
            f"{where}: the safety spec must be a YAML mapping with style and categories"
        )
    style = data.get("style")
    if not isinstance(style, dict):
        raise SpecError(f"{where}: missing 'style' (with 'refusal' and 'safe_completion' lists)")
    cats = data.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise SpecError(f"{where}: missing 'categories' (a mapping of category id to rules)")
    if GENERAL not in cats:
        raise SpecError(f"{where}: categories must include '{GENERAL}' (the fallback)")
    categories: dict[str, Category] = {}
    for cid, body in cats.items():
        if not isinstance(cid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", cid):
            raise SpecError(f"{where}: category id {cid!r} must be lower-case letters, digits, _")
        if not isinstance(body, dict):
            raise SpecError(f"{where}: category '{cid}' must be a mapping")
        decision = body.get("decision")
        if decision not in DECISIONS:
            raise SpecError(
                f"{where}: category '{cid}': decision must be one of {', '.join(DECISIONS)}, "
                f"not {decision!r}"
            )
        patterns = None
        if "patterns" in body:
            patterns = _strings(body["patterns"], f"category '{cid}': patterns", where)
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as ex:
                    raise SpecError(
                        f"{where}: category '{cid}': bad pattern {pattern!r}: {ex}"
                    ) from None
        title = body.get("title")
        if not isinstance(title, str) or not title.strip():
            raise SpecError(f"{where}: category '{cid}' needs a title")
        categories[cid] = Category(
            id=cid,
            title=title.strip(),
            decision=decision,
            allowed=_strings(body.get("allowed"), f"category '{cid}': allowed", where),
            disallowed=_strings(body.get("disallowed"), f"category '{cid}': disallowed", where),
            safe_completion=_strings(
                body.get("safe_completion"),
                f"category '{cid}': safe_completion",
                where,
                allow_empty=True,
            ),
            patterns=patterns,
        )
    return SafetySpec(
        path=where,
        sha=hashlib.sha256(raw).hexdigest()[:12],
        categories=categories,
        refusal_style=_strings(style.get("refusal"), "style: refusal", where),
        safe_completion_style=_strings(
            style.get("safe_completion"), "style: safe_completion", where
        ),
        compliance_style=_strings(
            style.get("compliance"), "style: compliance", where, allow_empty=True
        ),
    )


# --- the spec text shown for a prompt ------------------------------------------------------


def _bullets(rules: tuple[str, ...]) -> str:
    return "\n".join(f"- {rule}" for rule in rules) if rules else "- (none)"


def spec_section(spec: SafetySpec, category: str) -> str:
    """Return the spec text for `category` (its rules and the style rules), for a prompt."""
    cat = spec.categories.get(category) or spec.categories[GENERAL]
    decision = cat.decision.replace("_", "-")
    parts = [
        f"Category: {cat.title} [{cat.id}]",
        f"Allowed:\n{_bullets(cat.allowed)}",
        f"Disallowed (a disallowed request gets: {decision}):\n{_bullets(cat.disallowed)}",
        f"Needs a safe completion:\n{_bullets(cat.safe_completion)}",
        f"Style for refusals:\n{_bullets(spec.refusal_style)}",
        f"Style for safe completions:\n{_bullets(spec.safe_completion_style)}",
    ]
    if spec.compliance_style:
        parts.append(f"Style for answers:\n{_bullets(spec.compliance_style)}")
    return "\n\n".join(parts)
