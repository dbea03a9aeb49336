"""A run loses nothing and lies about nothing: full disks, two runs at once, SIGTERM, bad data,
control characters in model text.

Runs are real `syscard` processes against the loopback provider of `fault_server.py`; the full
disk is a real tmpfs of a few hundred KB in a private mount namespace where the machine allows
one, and a simulated ENOSPC where it does not.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_server import FaultServer

from syscard.files import DiskFull, atomic_write_text

SYSCARD = [sys.executable, "-m", "syscard.cli"]


@pytest.fixture
def provider() -> Iterator[FaultServer]:
    server = FaultServer()
    yield server
    server.close()


def _env(server: FaultServer) -> dict[str, str]:
    return {**os.environ, **server.env(f"faults{server.port}"), "NO_PROXY": "*", "no_proxy": "*"}


def _run_args(server: FaultServer, out: Path, limit: int = 2) -> list[str]:
    return [
        *SYSCARD, "run", "--model", f"openai-api/faults{server.port}/m", "--limit", str(limit),
        "--out", str(out), "--display", "plain",
    ]  # fmt: skip


# --- a full disk -------------------------------------------------------------------------------


def test_a_full_disk_keeps_the_old_file_and_says_so_in_one_line(tmp_path, monkeypatch):
    card = tmp_path / "index.html"
    card.write_text("the previous card", encoding="utf-8")

    class Full:
        def __init__(self, fd: int, mode: str) -> None:
            self.file = open(fd, mode)  # noqa: SIM115 (closed in __exit__)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("syscard.files.os.fdopen", Full)
    with pytest.raises(DiskFull, match="no space left on the device to write"):
        atomic_write_text(card, "<html>" + "x" * 10_000)
    assert card.read_text(encoding="utf-8") == "the previous card"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]  # no temporary file left


def _unshare() -> list[str] | None:
    command = ["unshare", "--user", "--map-root-user", "--mount"]
    if not shutil.which("unshare"):
        return None
    probe = subprocess.run([*command, "true"], capture_output=True)
    return command if probe.returncode == 0 else None


def _on_small_disk(command: list[str], disk: Path, size_kb: int, fill_kb: int, env: dict):
    """Run `command` in a private mount namespace where `disk` is a tmpfs of `size_kb` with
    `fill_kb` of it already used."""
    prefix = _unshare()
    if prefix is None:
        pytest.skip("no user+mount namespaces here for a real tmpfs")
    script = (
        f"mount -t tmpfs -o size={size_kb}k tmpfs {disk} && "
        f"dd if=/dev/zero of={disk}/fill bs=1k count={fill_kb} status=none; "
        'exec "$@"'
    )
    return subprocess.run(
        [*prefix, "sh", "-c", script, "sh", *command],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


def test_a_run_on_a_nearly_full_disk_stops_before_any_work(provider, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    done = _on_small_disk(_run_args(provider, disk / "out"), disk, 512, 500, _env(provider))
    assert done.returncode == 1
    assert "MB free on the disk of" in done.stderr and "Traceback" not in done.stderr
    assert provider.requests["ok"] == 0  # nothing was asked of the model


def test_a_card_that_does_not_fit_leaves_no_empty_file_and_one_line(provider, tmp_path):
    run = tmp_path / "run"
    assert (
        subprocess.run(_run_args(provider, run), env=_env(provider), capture_output=True).returncode
        == 0
    )
    disk = tmp_path / "disk"
    disk.mkdir()
    env = {**_env(provider), "SYSCARD_MIN_FREE_MB": "0"}  # past the check: the write itself fails
    report = [*SYSCARD, "report", str(run), "--out", str(disk / "card"), "--format", "html,md"]
    done = _on_small_disk(report, disk, 256, 240, env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "no space left on the device to write" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_not_finished_never_claims_samples_are_kept_when_none_were(provider, tmp_path):
    provider.mode = "500"
    out = tmp_path / "out"
    (out / "logs").mkdir(parents=True)
    done = subprocess.run(
        [*_run_args(provider, out), "--max-retries", "0", "--sample-retries", "0"],
        env=_env(provider), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert "Completed samples are kept" not in done.stdout
    assert "completed sample(s) are kept" not in done.stdout


# --- two runs into one folder ------------------------------------------------------------------


def test_a_second_run_into_the_same_folder_refuses_in_one_line(provider, tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from syscard.run_lock import locked_output\n"
         f"with locked_output(Path({str(out)!r})):\n"
         "    print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        second = subprocess.run(
            _run_args(provider, out), env=_env(provider), capture_output=True, text=True
        )
        assert second.returncode == 1
        assert f"another syscard run (pid {holder.pid}) is writing to {out}" in second.stderr
        assert provider.requests["ok"] == 0 and not (out / "logs").exists()
    finally:
        holder.kill()  # kill -9: the kernel releases the lock
        holder.wait()
    third = subprocess.run(_run_args(provider, out), env=_env(provider), capture_output=True)
    assert third.returncode == 0


# --- SIGTERM -----------------------------------------------------------------------------------


def test_sigterm_stops_like_ctrl_c_keeping_finished_samples_and_writing_the_card(
    provider, tmp_path
):
    from inspect_ai.log import read_eval_log_sample_summaries

    from syscard.results import latest_logs

    provider.mode, provider.stall_seconds = "stall", 1.5
    out = tmp_path / "out"
    args = _run_args(provider, out, limit=25)
    process = subprocess.Popen(
        args, env=_env(provider), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(provider.answered) < 12:
        time.sleep(0.1)
    time.sleep(1.0)  # the answers sent by now have been scored
    finished_before = len(provider.answered)
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 1, output[-2000:]
    assert (out / "results.json").is_file() and (out / "report" / "index.html").is_file()
    assert "completed sample(s) are kept" in output and "run the same command again" in output
    kept = sum(
        1 for path, _ in latest_logs(out / "logs")
        for s in read_eval_log_sample_summaries(path) if not s.error
    )  # fmt: skip
    # Every answer that arrived a second before the signal is in the log (10 are in flight).
    assert kept >= finished_before - 10 and kept > 0, (kept, finished_before)

    provider.mode = "ok"
    resumed = subprocess.run(args, env=_env(provider), capture_output=True, text=True)
    assert resumed.returncode == 0
    rows = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    assert sum(r["n"] for r in rows) == 50 and all(r["status"] == "success" for r in rows)


# --- bad data and hostile text -----------------------------------------------------------------


def test_an_mmmlu_file_with_a_header_and_no_rows_is_a_one_line_error(tmp_path):
    from syscard.data import DataError
    from syscard.evals.multilingual.questions import COLUMNS, read_mmlu_csv

    empty = tmp_path / "mmlu_XX.csv"
    empty.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="no questions in the file") as caught:
        read_mmlu_csv(empty, "XX")
    assert "\n" not in str(caught.value) and "openai/MMMLU" in str(caught.value)


def test_an_empty_bbq_category_file_is_a_one_line_error(tmp_path, shared_datasets):
    from syscard.data import DataError
    from syscard.evals.fairness.bbq_items import load_bbq

    shutil.copytree(shared_datasets / "bbq", tmp_path / "bbq")
    (tmp_path / "bbq" / "data" / "Age.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_bbq(str(tmp_path))
    assert "Age.jsonl" in str(caught.value) and "\n" not in str(caught.value)


def test_nul_and_esc_from_model_text_never_reach_a_page_raw(provider, tmp_path):
    provider.answer = "plain \x00 nul \x1b[31m red \x1b]0;title\x07 bell \x7f del"
    out = tmp_path / "out"
    done = subprocess.run(_run_args(provider, out), env=_env(provider), capture_output=True)
    assert done.returncode == 0
    pages = [*(out / "report").rglob("*.html"), *(out / "report").rglob("*.md")]
    assert any("samples" in str(p) for p in pages)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not any(ch in text for ch in "\x00\x1b\x07\x7f"), page
    samples = "".join(p.read_text(encoding="utf-8") for p in pages if "samples" in str(p))
    assert "\u2400" in samples and "\u241b" in samples  # shown as symbols, not dropped
