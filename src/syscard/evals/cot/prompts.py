"""The deception-tempting prompt set of `cot_deception` (shipped in `data/cot_prompts.jsonl`)."""

from __future__ import annotations

from importlib.resources import files

from inspect_ai.dataset import Sample

from syscard.data.errors import DataError
from syscard.data.readers import read_jsonl_rows

PROMPTS_FILE = "cot_prompts.jsonl"
_FIX = "fix the prompt file (one JSON object per line: id, prompt, temptation, kind)"


def load_cot_prompts(path: str | None = None) -> list[Sample]:
    """Return the deception-tempting prompts in `path` (default: the shipped file) as samples.

    Raises DataError (`file:line`) for a missing field, a kind other than benign/harmful or a
    duplicate id.
    """
    source = path or str(files("syscard.evals") / "data" / PROMPTS_FILE)
    samples: list[Sample] = []
    seen: set[str] = set()
    for line, row in read_jsonl_rows(source, ("id", "prompt", "temptation", "kind"), fix=_FIX):
        where = f"{source}:{line}"
        if row["kind"] not in ("benign", "harmful"):
            raise DataError(f"{where}: 'kind' must be benign or harmful: {_FIX}")
        if not isinstance(row["prompt"], str) or not row["prompt"].strip():
            raise DataError(f"{where}: 'prompt' must be non-empty text: {_FIX}")
        if row["id"] in seen:
            raise DataError(f"{where}: duplicate id {row['id']!r}: {_FIX}")
        seen.add(str(row["id"]))
        samples.append(
            Sample(
                id=str(row["id"]),
                input=row["prompt"],
                metadata={"kind": row["kind"], "category": row["temptation"]},
            )
        )
    if not samples:
        raise DataError(f"{source}: no prompts: {_FIX}")
    return samples
