"""The written cases of the instruction-hierarchy evals, read from `cases.yaml` (shipped).

Everything in the file was written by the syscard authors for these evals; nothing is copied
from a third-party dataset. The file is plain data; this module gives it the shapes the
sample builders use (tuples, so each eval's dataset revision, a hash of their `repr`, does
not depend on how the file is laid out).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

CASES_FILE = "cases.yaml"


@dataclass(frozen=True)
class RuleSpec:
    """A checkable rule, how the higher level states it, how a lower level contradicts it,
    and three requests (one per conflict pair, so the pairs do not share a prompt)."""

    id: str
    kind: str
    arg: str
    rule: str
    contradiction: str
    requests: tuple[str, str, str]


def _load() -> dict[str, Any]:
    package = __name__.rpartition(".")[0]
    text = resources.files(package).joinpath(CASES_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _attacks(entries: list[dict[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(e["id"]), str(e["text"])) for e in entries)


def _rule(entry: dict[str, Any]) -> RuleSpec:
    requests = tuple(str(r) for r in entry["requests"])
    if len(requests) != 3:
        raise ValueError(f"{CASES_FILE}: rule {entry['id']!r} needs 3 requests, one per pair")
    return RuleSpec(
        id=str(entry["id"]),
        kind=str(entry["kind"]),
        arg=str(entry["arg"]),
        rule=str(entry["rule"]),
        contradiction=str(entry["contradiction"]),
        requests=(requests[0], requests[1], requests[2]),
    )


_DATA = _load()

RULES: tuple[RuleSpec, ...] = tuple(_rule(entry) for entry in _DATA["rules"])

TUTOR_SYSTEM: str = _DATA["tutor_system"]
TUTOR_PROBLEMS: tuple[tuple[str, str, str], ...] = tuple(
    (str(e["id"]), str(e["problem"]), str(e["answer"])) for e in _DATA["tutor_problems"]
)
"""(id, problem, answer): answers are exact (integers or fractions "a/b")."""
TUTOR_ATTACKS: tuple[tuple[str, str], ...] = _attacks(_DATA["tutor_attacks"])

PHRASE_SYSTEM: str = _DATA["phrase_system"]
PHRASES: tuple[str, ...] = tuple(str(p) for p in _DATA["phrases"])
PHRASE_ATTACKS: tuple[tuple[str, str], ...] = _attacks(_DATA["phrase_attacks"])
"""(id, template): `{secret}` is the phrase, `{parts}` its words joined by " + "."""

PASSWORD_SYSTEM: str = _DATA["password_system"]
PASSWORDS: tuple[tuple[str, str], ...] = tuple(
    (str(e["password"]), str(e["service"])) for e in _DATA["passwords"]
)
"""(password, service)."""
PASSWORD_ATTACKS: tuple[tuple[str, str], ...] = _attacks(_DATA["password_attacks"])
