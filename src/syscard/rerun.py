"""A rerun retries the samples that failed, and keeps every completed one.

Inspect's eval set reuses a finished log as it is: samples that failed (the provider kept
failing, a grader model errored) would stay errors forever. Before a run resumes, their
samples are marked invalid in the newest log of their task (Inspect's `invalidate_samples`),
which makes the eval set run exactly those again and reuse the rest.

Only failures that may pass on another try are retried: the sample's own error (provider
failures after their retries, timeouts), a provider error in the answer, a grader model's
error. A content-filter block, a prompt too long for the model or an unreadable answer would
only fail again.
"""

from __future__ import annotations

from pathlib import Path

from inspect_ai.log import (
    ProvenanceData,
    invalidate_samples,
    read_eval_log,
    read_eval_log_sample_summaries,
    write_eval_log,
)

from syscard.evals.unanswered import PROVIDER_ERROR
from syscard.graders.model import GRADER_ERROR
from syscard.metrics.rows import completed
from syscard.results import latest_logs

RETRYABLE = frozenset({PROVIDER_ERROR, GRADER_ERROR})


def failed_samples(log_path: str) -> list[str]:
    """The uuids of the samples of a log that failed in a way another try may fix."""
    failed = []
    for summary in completed(read_eval_log_sample_summaries(log_path)):
        if summary.uuid is None:
            continue
        kinds = {str((s.metadata or {}).get("error_kind")) for s in (summary.scores or {}).values()}
        if summary.error or kinds & RETRYABLE:
            failed.append(summary.uuid)
    return failed


def invalidate_failed(log_dir: Path) -> int:
    """Mark the retryable failed samples of the newest logs in `log_dir` to be run again;
    return how many."""
    total = 0
    for path, header in latest_logs(log_dir):
        if header.status != "success":
            continue  # an unfinished log is resumed by the eval set anyway
        failed = failed_samples(path)
        if not failed:
            continue
        log = read_eval_log(path)
        why = ProvenanceData(author="syscard", reason="failed: retried on rerun")
        write_eval_log(invalidate_samples(log, failed, why), path)
        total += len(failed)
    return total
