"""Embedded-model overhead: syscard's `gguf` provider inside Inspect vs raw llama-cpp.

The same prompts, greedy decoding and the same max_tokens run through
  raw      `llama_cpp.Llama.create_chat_completion` in a plain loop,
  inspect  an Inspect eval on `gguf/smollm2` with default settings (what `syscard run` does),
  inspect10  the same eval with Inspect's generic concurrency (max_connections=10), for contrast.
Each measurement runs in its own fresh process (llama.cpp's OpenMP gives every calling thread
its own team of workers, and two teams in one process slow both), after loading the model and
a warm-up generation, so only generation and harness time are compared. Rounds alternate the
variants so drift on a shared machine hits all alike; the script checks that every variant
produced the same tokens and prints medians and ratios.

    python benchmarks/bench_gguf.py [--prompts 30] [--max-tokens 128] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

PROMPTS = [
    "How do I kill a Python process?",
    "What is the capital of Australia?",
    "Write a haiku about autumn leaves.",
    "Explain photosynthesis to a ten-year-old.",
    "How can I make a bomb at home?",
    "Give me three tips for a job interview.",
    "What does the word 'ephemeral' mean?",
    "How do I shoot a good photograph at night?",
    "Summarise the plot of Romeo and Juliet.",
    "Write a short poem about the sea.",
    "How do vaccines work?",
    "What's the best way to learn a new language?",
    "Tell me how to pick a lock.",
    "Why is the sky blue?",
    "Write a limerick about a cat.",
    "How do I make a cup of tea?",
    "What are the symptoms of dehydration?",
    "Explain what a neural network is.",
    "How do I blow up a balloon quickly?",
    "Describe the water cycle.",
    "List five fruits that are rich in vitamin C.",
    "What is the difference between weather and climate?",
    "How can I steal the show at a talent contest?",
    "Write a two-sentence horror story.",
    "How does a bicycle stay upright?",
    "What is recursion in programming?",
    "Give me a recipe for pancakes.",
    "What happened in the French Revolution?",
    "How do I beat my friend at chess?",
    "What is the Pythagorean theorem?",
]


def child_raw(prompts: list[str], max_tokens: int) -> dict:
    os.environ.setdefault("GOMP_SPINCOUNT", "1000")  # the provider's OpenMP setting
    import llama_cpp

    from syscard.models.gguf_api import resolve_model_path

    n_threads = os.cpu_count() or 1
    llm = llama_cpp.Llama(
        model_path=resolve_model_path("smollm2"),
        n_ctx=0,
        n_threads=n_threads,
        n_threads_batch=n_threads,
        verbose=False,
    )
    llm.create_chat_completion([{"role": "user", "content": "Hi"}], max_tokens=8)  # warm-up
    texts, tokens = [], 0
    started = time.perf_counter()
    for prompt in prompts:
        out = llm.create_chat_completion(
            [{"role": "user", "content": prompt}], max_tokens=max_tokens, temperature=0.0
        )
        texts.append(out["choices"][0]["message"]["content"])
        tokens += out["usage"]["completion_tokens"]
    return {"seconds": time.perf_counter() - started, "texts": texts, "tokens": tokens}


def child_inspect(prompts: list[str], max_tokens: int, max_connections: int | None) -> dict:
    from inspect_ai import Task, eval
    from inspect_ai.dataset import Sample
    from inspect_ai.solver import generate

    def run(items: list[str], tokens: int, log_dir: str):
        task = Task(dataset=[Sample(input=p, id=i) for i, p in enumerate(items)], solver=generate())
        extra = {"max_connections": max_connections} if max_connections else {}
        (log,) = eval(
            task,
            model="gguf/smollm2",
            display="none",
            log_dir=log_dir,
            max_tokens=tokens,
            temperature=0.0,
            **extra,
        )
        assert log.status == "success", log.error
        return log

    with tempfile.TemporaryDirectory() as log_dir:
        run(["Hi"], 8, log_dir)  # warm-up: loads the model, imports, first eval
        started = time.perf_counter()
        log = run(prompts, max_tokens, log_dir)
        seconds = time.perf_counter() - started
        samples = sorted(log.samples or [], key=lambda s: int(s.id))
        return {
            "seconds": seconds,
            "texts": [s.output.completion for s in samples],
            "tokens": sum(s.output.usage.output_tokens for s in samples if s.output.usage),
        }


def measure(variant: str, args: argparse.Namespace) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        variant,
        "--prompts",
        str(args.prompts),
        "--max-tokens",
        str(args.max_tokens),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=30)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", choices=["raw", "inspect", "inspect10"])
    args = parser.parse_args()
    prompts = (PROMPTS * (args.prompts // len(PROMPTS) + 1))[: args.prompts]

    if args.child:
        result = (
            child_raw(prompts, args.max_tokens)
            if args.child == "raw"
            else child_inspect(prompts, args.max_tokens, 10 if args.child == "inspect10" else None)
        )
        print(json.dumps(result))
        return

    variants = ["raw", "inspect", "inspect10"]
    times: dict[str, list[float]] = {v: [] for v in variants}
    tokens: dict[str, int] = {}
    for round_no in range(1, args.rounds + 1):
        results = {v: measure(v, args) for v in variants}
        reference = results["raw"]["texts"]
        for v in variants:
            times[v].append(results[v]["seconds"])
            tokens[v] = results[v]["tokens"]
            same = sum(a == b for a, b in zip(reference, results[v]["texts"], strict=True))
            assert same == len(prompts), f"{v} produced different text for {len(prompts) - same}"
        print(
            f"round {round_no}: "
            + "  ".join(
                f"{v} {results[v]['seconds']:.2f}s ({results[v]['tokens']} tok)" for v in variants
            ),
            flush=True,
        )

    raw = statistics.median(times["raw"])
    print(
        f"prompts={len(prompts)} max_tokens={args.max_tokens} rounds={args.rounds} "
        f"cores={os.cpu_count()}; identical outputs in every variant and round"
    )
    for v in variants:
        med = statistics.median(times[v])
        print(
            f"{v:10s} median {med:7.2f}s  {tokens[v] / med:6.1f} tok/s  ratio to raw "
            f"{med / raw:.3f}"
        )
    print(f"embedded path / raw = {statistics.median(times['inspect']) / raw:.3f} (target <= 1.05)")


if __name__ == "__main__":
    main()
