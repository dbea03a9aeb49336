"""Embedded-model overhead: syscard's `gguf` provider inside Inspect vs raw llama-cpp.

Runs the same prompts with greedy decoding and the same max_tokens through
(1) raw `llama_cpp.Llama.create_chat_completion` in a plain loop, and
(2) an Inspect eval on `gguf/smollm2` (default settings, i.e. what `syscard run` does),
(3) the same eval with Inspect's generic concurrency (max_connections=10), for contrast,
checks that both produced the same tokens, and prints wall times and ratios.
Rounds alternate raw/Inspect so drift on a shared machine hits both alike.

    python benchmarks/bench_gguf.py [--prompts 30] [--max-tokens 128] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
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


def run_raw(llm, prompts: list[str], max_tokens: int) -> tuple[float, list[str], int]:
    texts, tokens = [], 0
    started = time.perf_counter()
    for prompt in prompts:
        out = llm.create_chat_completion(
            [{"role": "user", "content": prompt}], max_tokens=max_tokens, temperature=0.0
        )
        texts.append(out["choices"][0]["message"]["content"])
        tokens += out["usage"]["completion_tokens"]
    return time.perf_counter() - started, texts, tokens


def run_inspect(
    prompts: list[str], max_tokens: int, log_dir: str, **eval_args
) -> tuple[float, list[str], int]:
    from inspect_ai import Task, eval
    from inspect_ai.dataset import Sample
    from inspect_ai.solver import generate

    task = Task(dataset=[Sample(input=p, id=i) for i, p in enumerate(prompts)], solver=generate())
    started = time.perf_counter()
    (log,) = eval(
        task,
        model="gguf/smollm2",
        display="none",
        log_dir=log_dir,
        max_tokens=max_tokens,
        temperature=0.0,
        **eval_args,
    )
    seconds = time.perf_counter() - started
    assert log.status == "success", log.error
    samples = sorted(log.samples or [], key=lambda s: int(s.id))
    texts = [s.output.completion for s in samples]
    tokens = sum(s.output.usage.output_tokens for s in samples if s.output.usage)
    return seconds, texts, tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=30)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--skip-contrast", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("GOMP_SPINCOUNT", "1000")  # same OpenMP setting as the provider
    import llama_cpp

    from syscard.models.gguf import resolve_model_path
    from syscard.models.runner import get_runner

    prompts = (PROMPTS * ((args.prompts // len(PROMPTS)) + 1))[: args.prompts]
    path = resolve_model_path("smollm2")
    n_threads = os.cpu_count() or 1
    raw = llama_cpp.Llama(
        model_path=path,
        n_ctx=8192,
        n_threads=n_threads,
        n_threads_batch=n_threads,
        verbose=False,
    )
    get_runner(path)  # load the provider's copy up front: both sides time generation only
    run_raw(raw, prompts[:2], 8)  # warm-up

    raw_times, inspect_times, contrast_times = [], [], []
    with tempfile.TemporaryDirectory() as log_dir:
        run_inspect(prompts[:2], 8, log_dir)  # warm-up (imports, first eval)
        for _ in range(args.rounds):
            raw_s, raw_texts, raw_tokens = run_raw(raw, prompts, args.max_tokens)
            insp_s, insp_texts, insp_tokens = run_inspect(prompts, args.max_tokens, log_dir)
            raw_times.append(raw_s)
            inspect_times.append(insp_s)
            same = sum(a == b for a, b in zip(raw_texts, insp_texts, strict=True))
            print(
                f"round: raw {raw_s:.2f}s ({raw_tokens} tokens)  inspect {insp_s:.2f}s "
                f"({insp_tokens} tokens)  identical outputs {same}/{len(prompts)}"
            )
        if not args.skip_contrast:
            c_s, _, c_tokens = run_inspect(prompts, args.max_tokens, log_dir, max_connections=10)
            contrast_times.append(c_s)

    raw_med, insp_med = statistics.median(raw_times), statistics.median(inspect_times)
    print(
        f"prompts={len(prompts)} max_tokens={args.max_tokens} n_threads={n_threads} "
        f"rounds={args.rounds}"
    )
    print(f"raw llama_cpp          median {raw_med:.2f}s  ({raw_tokens / raw_med:.1f} tok/s)")
    print(f"syscard gguf (Inspect) median {insp_med:.2f}s  ({insp_tokens / insp_med:.1f} tok/s)")
    print(f"ratio inspect/raw = {insp_med / raw_med:.3f}  (target <= 1.05)")
    if contrast_times:
        print(
            f"contrast: max_connections=10 {contrast_times[0]:.2f}s  "
            f"ratio {contrast_times[0] / raw_med:.3f}"
        )


if __name__ == "__main__":
    main()
