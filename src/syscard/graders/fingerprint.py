"""A grader's version: a fingerprint of everything that decides its verdicts.

Nothing is listed by hand. The fingerprint covers

- the code: the grader's module and every syscard module it imports, transitively, read as
  syntax trees without docstrings (a changed pattern, threshold or branch changes the
  version; a reworded comment or docstring does not); and
- the grader's state: its dataclass fields (a model grader's rubric, model name and sample
  count; an offline grader's options), with nested graders and shipped weights by their own
  fingerprints, plus whatever data the grader declares it loads (`fingerprint_data`).

A stored agreement is keyed by this version, so any change to a grader leaves the card
saying "not measured for this version" until it is measured again.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import importlib.util
from functools import cache
from typing import Any

_PACKAGE = "syscard"


def version_hash(*parts: str) -> str:
    """Return a short, stable hash of `parts`."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:12]


def _source(module: str) -> str | None:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.loader is None or not hasattr(spec.loader, "get_source"):
        return None
    return spec.loader.get_source(module)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(
                f"{node.module}.{a.name}"
                for a in node.names
                if _is_module(f"{node.module}.{a.name}")
            )
    ours = {name for name in found if name.startswith(f"{_PACKAGE}.")}
    # A module's parent packages run (their __init__) when it is imported; the top package's
    # holds only syscard's version, which decides no verdict.
    parents = {".".join(n.split(".")[:i]) for n in ours for i in range(2, n.count(".") + 1)}
    return ours | parents


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return tree


@cache
def code_closure(module: str) -> tuple[str, ...]:
    """Return `module` and every syscard module it imports, transitively, sorted."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        source = _source(name)
        if source is not None:
            todo.extend(_imports(ast.parse(source)) - seen)
    return tuple(sorted(seen))


@cache
def code_fingerprint(module: str) -> str:
    """Return a hash of the code of `module` and of every syscard module it imports."""
    parts = []
    for name in code_closure(module):
        source = _source(name) or ""
        tree = _without_docstrings(ast.parse(source))
        parts.append(f"{name}:{ast.dump(tree, include_attributes=False)}")
    return version_hash(*parts)


def _state_part(value: Any) -> str:
    version = getattr(value, "version", None)
    if isinstance(version, str):
        return f"<{type(value).__name__} {version}>"
    if type(value).__name__ == "Model" and hasattr(value, "api"):
        return f"<Model {value}>"  # an Inspect model: its name, not its object address
    if isinstance(value, tuple | list):
        return "(" + ",".join(_state_part(v) for v in value) + ")"
    return repr(value)


def fingerprint(grader: Any) -> str:
    """Return the version of `grader` (a dataclass): its code, its fields and its data."""
    state = [
        f"{f.name}={_state_part(getattr(grader, f.name))}"
        for f in dataclasses.fields(grader)
        if f.compare
    ]
    data = getattr(grader, "fingerprint_data", None)
    extra = tuple(data()) if callable(data) else ()
    return version_hash(
        type(grader).__qualname__, code_fingerprint(type(grader).__module__), *state, *extra
    )
