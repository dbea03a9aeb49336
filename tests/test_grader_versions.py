"""Grader versions are fingerprints of everything that decides verdicts, computed, not listed.

Hand-listed version hashes drifted: the refusal grader's omitted `_LIST`, which its verdict
uses, and the harm grader's omitted `_STOP`, `_WORD` and `_SENTENCE`, so a changed grader
kept citing an agreement measured on older rules. These tests change exactly those patterns
in a copy of the package and check that the version moves — and that a reworded comment or
docstring does not.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import syscard
from syscard.graders.fingerprint import code_closure, fingerprint
from syscard.graders.registry import GRADERS, resolve_grader

PACKAGE = Path(syscard.__file__).parent

_VERSIONS = """
import json
from syscard.graders.registry import GRADERS
print(json.dumps({name: spec.offline().version for name, spec in GRADERS.items()}))
"""


def _versions(src: Path) -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-c", _VERSIONS],
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(PACKAGE, src / "syscard", ignore=shutil.ignore_patterns("__pycache__"))
    return src


def _edit(src: Path, module: str, pattern: str, replacement: str) -> str:
    path = src / "syscard" / module
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert count == 1, f"{pattern!r} not found in {module}"
    path.write_text(changed, encoding="utf-8")
    return text


@pytest.mark.parametrize(
    ("grader", "module", "pattern", "replacement"),
    [
        # The patterns the hand-written hashes left out.
        (
            "refusal",
            "graders/refusal.py",
            r"^_LIST = re\.compile\(r\"",
            '_LIST = re.compile(r"(?:x)?',
        ),
        (
            "harm",
            "graders/harm.py",
            r"^_STOP = frozenset\(",
            "_STOP = frozenset({'zz'}) | frozenset(",
        ),
        (
            "harm",
            "graders/harm.py",
            r"^_WORD = re\.compile\(r\"\[a-z\]\{3,\}\"\)",
            '_WORD = re.compile(r"[a-z]{4,}")',
        ),
        (
            "harm",
            "graders/harm.py",
            r"^_SENTENCE = re\.compile\(r\"",
            '_SENTENCE = re.compile(r"(?:x)?',
        ),
        # A change in a module the grader imports (the refusal rules under the harm grader).
        ("harm", "graders/refusal.py", r"^_LIST = re\.compile\(r\"", '_LIST = re.compile(r"(?:x)?'),
    ],
)
def test_a_change_to_any_pattern_a_grader_uses_changes_its_version(
    package_copy: Path, grader: str, module: str, pattern: str, replacement: str
) -> None:
    before = _versions(package_copy)[grader]
    original = _edit(package_copy, module, pattern, replacement)
    try:
        assert _versions(package_copy)[grader] != before
    finally:
        (package_copy / "syscard" / module).write_text(original, encoding="utf-8")


def test_comments_and_docstrings_do_not_change_a_version(package_copy: Path) -> None:
    before = _versions(package_copy)
    path = package_copy / "syscard" / "graders" / "refusal.py"
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original.replace('"""', '"""Reworded. ', 1) + "\n# a new comment\n", encoding="utf-8"
    )
    try:
        assert _versions(package_copy) == before
    finally:
        path.write_text(original, encoding="utf-8")


def test_shipped_weights_and_options_are_part_of_the_version() -> None:
    from syscard.graders.refusal import RuleRefusalGrader
    from syscard.graders.refusal_model import RefusalGrader

    shipped = RefusalGrader()
    retrained = RefusalGrader(
        weights=shipped.model.__class__(**{**shipped.model.__dict__, "bias": 1.0})
    )
    assert retrained.version != shipped.version
    assert RuleRefusalGrader(opening_chars=10).version != RuleRefusalGrader().version


def test_a_model_graders_version_covers_its_model_and_rubric() -> None:
    from inspect_ai.model import get_model

    a = resolve_grader("refusal", "mockllm/model")
    b = GRADERS["refusal"].model(get_model("mockllm/other"), 1)
    c = GRADERS["refusal"].model(get_model("mockllm/model"), 3)
    assert len({a.version, b.version, c.version}) == 3
    assert a.version == resolve_grader("refusal", "mockllm/model").version


def test_every_grader_module_is_in_its_own_closure() -> None:
    for spec in GRADERS.values():
        grader = spec.offline()
        assert type(grader).__module__ in code_closure(type(grader).__module__)
        assert grader.version == fingerprint(grader)
