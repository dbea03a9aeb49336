"""Faults never become verdicts, and runs never hang or lose work.

The provider is real: Inspect's OpenAI-compatible client talking to a loopback server that
blocks, fails and stalls on purpose (`fault_server.py`). `syscard run` runs as a user runs it,
in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_server import FaultServer, flaky_fails

SYSCARD = [sys.executable, "-m", "syscard.cli"]
LIMIT = 3  # per eval of the quick suite (xstest, standard_refusal on the starter set)


@pytest.fixture
def faults() -> Iterator[FaultServer]:
    server = FaultServer()
    yield server
    server.close()


def _run(
    server: FaultServer, out: Path, *extra: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    service = f"faults{server.port}"
    env = {**os.environ, **server.env(service), "NO_PROXY": "*", "no_proxy": "*"}
    args = ["run", "--model", f"openai-api/{service}/m", "--limit", str(LIMIT)]
    return subprocess.run(
        [*SYSCARD, *args, "--out", str(out), "--display", "plain", *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _rows(out: Path) -> list[dict]:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]


def test_a_content_filter_block_is_an_error_of_its_own_kind_never_a_verdict(faults, tmp_path):
    faults.mode = "filter"
    done = _run(faults, tmp_path / "out")
    rows = _rows(tmp_path / "out")
    assert {r["eval"] for r in rows} == {"xstest", "standard_refusal"}
    for row in rows:
        # Not one blocked answer counted as safe, refused or complied.
        assert row["n"] == 0 and row["value"] is None, row
        assert row["n_errors"] > 0 and row["errors_by_kind"] == {"content_filter": row["n_errors"]}
    assert sum(r["n_errors"] for r in rows) == 2 * LIMIT
    assert done.returncode == 1 and "every sample failed (content filter" in done.stdout
    card = (tmp_path / "out" / "report" / "index.html").read_text(encoding="utf-8")
    assert "content filter" in card


@pytest.mark.parametrize("mode", ["500", "429"])
def test_an_always_failing_provider_ends_within_the_bound_with_every_sample_an_error(
    faults, tmp_path, mode
):
    faults.mode = mode
    started = time.monotonic()
    done = _run(
        faults, tmp_path / "out", "--max-retries", "1", "--timeout", "20", "--sample-retries", "1"
    )
    seconds = time.monotonic() - started
    # 1 retry per request (back-off ~3-6 s), 2 tries per sample, samples side by side.
    assert seconds < 120, seconds
    rows = _rows(tmp_path / "out")
    assert all(r["n"] == 0 and r["errors_by_kind"] == {"sample_error": r["n_errors"]} for r in rows)
    assert sum(r["n_errors"] for r in rows) == 2 * LIMIT
    # Each sample: 2 tries × 2 requests (first + 1 retry) × 3 attempts of the OpenAI SDK,
    # which retries twice inside each request unless told otherwise (-M max_retries=0).
    assert 2 * LIMIT * 2 * 2 <= faults.requests[mode] <= 2 * LIMIT * 2 * 2 * 3
    assert done.returncode == 1 and "every sample failed" in done.stdout


def test_a_stalling_provider_is_cut_off_by_the_attempt_timeout(faults, tmp_path):
    faults.mode, faults.stall_seconds = "stall", 60
    started = time.monotonic()
    _run(
        faults, tmp_path / "out", "--attempt-timeout", "2", "--timeout", "4",
        "--max-retries", "1", "--sample-retries", "0",
    )  # fmt: skip
    assert time.monotonic() - started < 90
    rows = _rows(tmp_path / "out")
    assert all(r["n"] == 0 and r["n_errors"] > 0 for r in rows)


def test_a_rerun_retries_the_failed_samples_and_keeps_the_completed_ones(faults, tmp_path):
    faults.mode = "flaky"  # about half of the prompts fail, the same ones on every request
    out = tmp_path / "out"
    first = _run(faults, out, "--max-retries", "0", "--sample-retries", "0")
    failed = sum(r["n_errors"] for r in _rows(out))
    graded = sum(r["n"] for r in _rows(out))
    assert failed > 0 and graded > 0, first.stdout
    assert {flaky_fails(p) for p in faults.prompts} == {True, False}

    faults.mode = "ok"  # the provider recovered
    second = _run(faults, out, "--max-retries", "0", "--sample-retries", "0")
    assert second.returncode == 0, second.stdout[-2000:]
    assert f"retrying {failed} sample(s) that failed last time" in second.stdout
    assert faults.requests["ok"] == failed  # only the failed ones were asked again
    rows = _rows(out)
    assert sum(r["n_errors"] for r in rows) == 0 and sum(r["n"] for r in rows) == failed + graded

    third = _run(faults, out, "--max-retries", "0")
    assert faults.requests["ok"] == failed and "retrying" not in third.stdout
