"""The skeleton holds: one new file adds an eval, modules stay small, imports have no cycles.

The worked example of docs/architecture.md is copied into a copy of the package, as a user
adding an eval would do, and run for real on the embedded model: it must appear in
`syscard list` and land in results.json and the card with no other edit.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import syscard

PACKAGE = Path(syscard.__file__).parent
DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
MAX_LINES = 400


def _worked_example() -> tuple[str, str]:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- worked-example: (\S+) -->\n```python\n(.*?)```", text, re.DOTALL)
    assert match, "docs/architecture.md has no worked example"
    return match.group(1), match.group(2)


def _syscard(src: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [sys.executable, "-c", "from syscard.cli import main; main()", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_worked_example_is_one_new_file_that_lands_in_the_card(tmp_path: Path) -> None:
    relative, code = _worked_example()
    src = tmp_path / "src"
    shutil.copytree(PACKAGE, src / "syscard", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "syscard" / relative).write_text(code, encoding="utf-8")

    listed = _syscard(src, "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "unanswerable" in listed.stdout and "admits_not_knowing" in listed.stdout

    out = tmp_path / "run"
    run = _syscard(
        src, "run", "--suite", "unanswerable", "--max-tokens", "24", "--out", str(out),
        "--display", "none", cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    rows = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    (row,) = [r for r in rows if r["eval"] == "unanswerable"]
    assert row["metric"] == "admits_not_knowing" and row["section"] == "hallucination"
    assert row["n"] + row["n_errors"] == 3
    assert set(row["breakdown"]) == {"personal", "future", "private"}
    card = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "unanswerable" in card and "admits_not_knowing" in card
    # The same declaration is the Inspect metric `inspect view` shows.
    log = next((out / "logs").glob("*unanswerable*.eval"))
    from inspect_ai.log import read_eval_log

    metrics = read_eval_log(str(log), header_only=True).results.scores[0].metrics
    assert set(metrics) == {"admits_not_knowing", "n_errors"}
    assert metrics["admits_not_knowing"].value == row["value"]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def test_no_module_is_over_400_lines() -> None:
    long = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def _imports(path: Path, known: set[str]) -> set[str]:
    """Modules of syscard that `path` imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        out.update(n for n in names if n in known)
    return out


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(path, set(modules)) - {name} for name, path in modules.items()}
    # A package's __init__ may import its own modules; a module importing its own package's
    # __init__ back is the cycle to find.
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


@pytest.mark.parametrize("name", ["results", "evals", "data", "graders", "report", "cli"])
def test_each_part_imports_on_its_own(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import syscard.{name}"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_inspect_metrics_come_only_from_card_metric_declarations() -> None:
    # `syscard/accuracy` and `syscard/n_errors` were each registered twice, the second
    # registration silently replacing the first. Now only `card_metric()` registers metrics
    # (and refuses a name twice), plus the one shared `n_errors`.
    registering = {
        name
        for name, path in _modules().items()
        if re.search(r"@metric\b|\bmetric\(name=", path.read_text(encoding="utf-8"))
    }
    assert registering == {"syscard.metrics.card_metric"}

    import syscard.evals  # noqa: F401  (declares every metric)
    from syscard.metrics.card_metric import card_metric, declared_metrics

    names = list(declared_metrics())
    assert len(names) == len(set(names)) and "accuracy" in names and "not_unsafe" in names
    with pytest.raises(ValueError, match="declared twice"):
        card_metric("not_unsafe", "again", scorer="x", outcome=lambda view: None)


def test_directions_come_from_the_declarations() -> None:
    # The report's hand-kept LOWER_IS_BETTER lacked deception_rate and cot_summary_disallowed
    # (a rise in CoT deception showed as "better") and named a metric that did not exist.
    from syscard.report.card import has_direction, lower_is_better
    from syscard.report.compare import delta

    for name in ("deception_rate", "cot_summary_disallowed", "hallucination_rate", "mean_harm"):
        assert lower_is_better(name), name
    assert not lower_is_better("not_unsafe") and not has_direction("discrimination_age")
    a = {"value": 0.10, "ci_low": 0.05, "ci_high": 0.15}
    b = {"value": 0.40, "ci_low": 0.30, "ci_high": 0.50}
    worse = delta(a, b, "deception_rate")
    assert worse is not None and worse.significant and worse.better is False
    assert delta(a, b, "not_unsafe").better is True  # type: ignore[union-attr]
