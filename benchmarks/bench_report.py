"""Sample page rendering: seconds to render and write one page of 10,000 samples.

    python benchmarks/bench_report.py                  # 10,000 samples, best of 3
    python benchmarks/bench_report.py --samples 50000 --repeat 1

Builds synthetic SampleRecords of realistic sizes (prompt ~400 chars, answer ~1,500, reasoning
~800 on a third of them, explanation ~200, a few metadata chips; text with characters that
must be escaped), then times `render_sample_page` plus writing the page to disk, after one
warm-up. Target (issue #5): <= 3 s for 10,000 samples on 2 cores.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from syscard.report.samples import SampleRecord, render_sample_page

_WORDS = (
    'the model should answer <carefully> & refuse requests that "cause" harm; it\'s a test of '
    "how a system behaves when users ask for things like [chemical X] or <b>tags</b> in text"
).split()


def _text(rng: random.Random, chars: int) -> str:
    """Return about `chars` characters of word soup with a few line breaks."""
    words: list[str] = []
    size = 0
    while size < chars:
        word = rng.choice(_WORDS)
        words.append(word + ("\n" if rng.random() < 0.03 else ""))
        size += len(word) + 1
    return " ".join(words)


def make_records(n: int, seed: int = 0) -> list[SampleRecord]:
    """Return `n` synthetic records with realistic field sizes."""
    rng = random.Random(seed)
    labels = ("refusal", "compliance", "partial", "error")
    return [
        SampleRecord(
            id=f"benign:xstest:xstest-{i}",
            epoch=1 + i % 2,
            messages=(("system", _text(rng, 120)), ("user", _text(rng, 400))),
            reasoning=_text(rng, 800) if i % 3 == 0 else "",
            answer=_text(rng, 1500),
            grade=labels[rng.randrange(4)] if i % 50 else "error",
            explanation=_text(rng, 200),
            grader="refusal-offline 74b5efa2c372",
            metadata={
                "category": rng.choice(("homonyms", "safe_targets", "privacy")),
                "kind": rng.choice(("benign", "harmful")),
                "technique": rng.choice(("none", "roleplay", "base64")),
            },
            error="",
        )
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    records = make_records(args.samples)
    text_chars = sum(
        len(r.answer) + len(r.reasoning) + len(r.explanation) + sum(len(t) for _, t in r.messages)
        for r in records
    )
    render_sample_page("warm-up", records[:200])
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "page.html"
        for _ in range(args.repeat):
            start = time.perf_counter()
            page = render_sample_page("xstest — gguf/smollm2", records, subtitle="benchmark")
            out.write_text(page, encoding="utf-8")
            times.append(time.perf_counter() - start)
        size = out.stat().st_size
    print(f"samples: {args.samples:,}  model/dataset text: {text_chars / 1e6:.1f} M chars")
    print(f"page: {size / 1e6:.1f} MB")
    print(
        f"render + write: best {min(times):.3f} s, median {statistics.median(times):.3f} s "
        f"over {len(times)} runs (target <= 3 s for 10,000)"
    )


if __name__ == "__main__":
    main()
