"""`syscard distill`: SFT data for deliberative alignment (see syscard.mitigations.distill)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--model",
    required=True,
    help="Inspect model that writes the completions "
    "(reasoning + answer) with the spec in context, e.g. gguf/smollm2.",
)
@click.option(
    "--judge",
    required=True,
    help="'offline' (syscard's refusal and harm graders "
    "plus format rules) or an Inspect model that scores with the spec-aware rubric.",
)
@click.option(
    "--prompts",
    "prompts_path",
    required=True,
    type=click.Path(dir_okay=False, exists=True),
    help="CSV or JSONL with column 'prompt' (optional: id, category, kind).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for sft.jsonl and report.json.",
)
@click.option(
    "--k",
    type=click.IntRange(1, 15),
    default=3,
    show_default=True,
    help="Judge each completion this many times; the minimum score counts.",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 10),
    default=7.0,
    show_default=True,
    help="Keep completions whose minimum judge score (0-10) is at least this.",
)
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Safety spec YAML (default: syscard's own).",
)
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N prompts.")
@click.option(
    "--max-tokens",
    type=click.IntRange(16),
    default=512,
    show_default=True,
    help="Max tokens per completion (reasoning + answer).",
)
@click.option(
    "--temperature",
    type=click.FloatRange(0, 2),
    default=0.0,
    show_default=True,
    help="Sampling temperature of the completions (seed 0).",
)
def distill(
    model, judge, prompts_path, out, k, min_score, spec_path, limit, max_tokens, temperature
) -> None:
    """Write SFT records (prompt without the spec, <think> reasoning, answer) to OUT/sft.jsonl.

    Each prompt is answered with its spec category in context, the completion is scored K
    times by the judge, the minimum is kept, and completions below --min-score, without
    reasoning, or that the judge could not score are dropped. OUT/report.json says why.
    """
    from syscard.mitigations.deliberative import load_spec
    from syscard.mitigations.distill import (
        OfflineJudge,
        make_judge,
        read_prompts,
        write_outputs,
    )
    from syscard.mitigations.distill import (
        distill as run_distill,
    )

    spec = load_spec(spec_path)
    prompts = read_prompts(prompts_path, spec, limit)
    judged_by = make_judge(judge)
    records = run_distill(
        model,
        judged_by,
        prompts,
        spec,
        k=k,
        min_score=min_score,
        max_tokens=max_tokens,
        temperature=temperature,
    )
    info = {
        "model": model,
        "judge": judge,
        "judge_version": judged_by.version,
        "offline_judge": isinstance(judged_by, OfflineJudge),
        "spec": spec.sha,
        "spec_path": spec.path,
        "prompts": str(prompts_path),
        "k": k,
        "min_score": min_score,
        "max_tokens": max_tokens,
        "temperature": temperature,
    }
    report = write_outputs(out, prompts, records, info)
    counts = report["counts"]
    why = ", ".join(f"{reason} {n}" for reason, n in counts["dropped_by_reason"].items())
    click.echo(
        f"distill: {counts['prompts']} prompts: kept {counts['kept']}, dropped "
        f"{counts['dropped']}" + (f" ({why})" if why else "")
    )
    click.echo(f"sft:     {out / 'sft.jsonl'}")
    click.echo(f"report:  {out / 'report.json'}")
