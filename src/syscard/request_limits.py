"""How long a model request may take and how often it is retried, everywhere syscard asks one.

Inspect's default retries a failing request without limit, with back-off up to 30 minutes: a
provider that keeps answering 429 or 5xx would hang a run forever. syscard bounds every
request (the model under test, grader models, `syscard grade`), and a sample that runs out
of tries is an error in `n_errors`, never a verdict.
"""

from __future__ import annotations

from inspect_ai.model import GenerateConfig

MAX_RETRIES = 3
"""Retries of one request (429, 5xx, timeouts) before it fails."""
TIMEOUT = 600
"""Seconds one request may take, its retries included."""
ATTEMPT_TIMEOUT = 300
"""Seconds one attempt may take before it is abandoned and retried."""
SAMPLE_RETRIES = 2
"""Times a failed sample is tried again before it counts as an error."""


def bounded(
    max_retries: int = MAX_RETRIES, timeout: int = TIMEOUT, attempt_timeout: int = ATTEMPT_TIMEOUT
) -> GenerateConfig:
    """A GenerateConfig carrying the request limits."""
    return GenerateConfig(max_retries=max_retries, timeout=timeout, attempt_timeout=attempt_timeout)
