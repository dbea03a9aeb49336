"""`syscard run` end to end with the real embedded model, without network where possible."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

SYSCARD = [sys.executable, "-m", "syscard.cli"]


def _no_network_prefix() -> list[str]:
    """`unshare -n` (an empty network namespace) when this machine allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["SYSCARD_DATA_DIR"] = str(tmp_path / "cache")  # empty cache: nothing to find there
    env["NO_PROXY"] = env["no_proxy"] = "*"
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env.pop(proxy, None)  # without a namespace, a dead proxy is the next best
    if not _no_network_prefix():
        env["HTTP_PROXY"] = env["HTTPS_PROXY"] = "http://127.0.0.1:9"
    return env


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*_no_network_prefix(), *SYSCARD, *args],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=600,
    )


def _logs(out: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in (out / "logs").glob("*.eval")}


def test_run_limit_2_offline_writes_results_report_and_resumes(tmp_path, shared_datasets):
    out = tmp_path / "out"
    args = [
        "run",
        "--limit",
        "2",
        "--out",
        str(out),
        "--data-dir",
        str(shared_datasets),
        "--display",
        "plain",
    ]
    first = _run(args, tmp_path)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    assert "syscard summary" in first.stdout and "report/index.html" in first.stdout

    document = json.loads((out / "results.json").read_text())
    rows = {(r["eval"], r["metric"]): r for r in document["results"]}
    assert set(rows) == {
        ("xstest", "not_overrefuse"),
        ("standard_refusal", "not_unsafe"),
        ("standard_refusal", "not_overrefuse"),
    }
    assert all(r["model"] == "gguf/smollm2" for r in rows.values())
    xs = rows[("xstest", "not_overrefuse")]
    assert xs["n"] + xs["n_errors"] == 2 and not xs["starter"]
    assert xs["datasets"][0]["revision"] == "d7bb5bd738c1fcbc36edd83d5e7d1b71a3e2d84d"
    assert Path(xs["log"]).exists()
    assert 0.0 <= xs["value"] <= 1.0 and xs["ci_low"] <= xs["value"] <= xs["ci_high"]
    html = (out / "report" / "index.html").read_text()
    assert "not_overrefuse" in html and "<script" not in html
    for name in ("card.md", "card.pdf", "results.json"):
        assert (out / "report" / name).stat().st_size > 0
    pages = list((out / "report" / "samples").glob("*.html"))
    assert len(pages) == 2 and all(f'href="samples/{p.name}"' in html for p in pages)

    # The same model with a system prompt, in its own folder, then both side by side.
    out2 = tmp_path / "out2"
    with_prompt = [*args[:4], str(out2), *args[5:], "--system-prompt", "Refuse harmful requests."]
    assert _run(with_prompt, tmp_path).returncode == 0
    both = _run(["report", str(out), str(out2), "--out", str(tmp_path / "cmp")], tmp_path)
    assert both.returncode == 0, both.stderr[-2000:]
    compared = (tmp_path / "cmp" / "index.html").read_text()
    assert "gguf/smollm2 + system_prompt" in compared and "Δ + system_prompt" in compared
    merged = json.loads((tmp_path / "cmp" / "results.json").read_text())
    assert {r["mitigation"] for r in merged["results"]} == {None, "system_prompt"}

    before = _logs(out)
    second = _run(args, tmp_path)
    assert second.returncode == 0, second.stderr[-2000:]
    assert _logs(out) == before  # nothing re-run: every sample was already complete


def test_fresh_machine_falls_back_to_the_marked_starter_set(tmp_path):
    out = tmp_path / "out"
    result = _run(["run", "--limit", "2", "--out", str(out), "--display", "plain"], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "starter set" in result.stdout
    document = json.loads((out / "results.json").read_text())
    assert document["results"] and all(r["starter"] for r in document["results"])
    assert all(d["name"] == "syscard-starter" for r in document["results"] for d in r["datasets"])
    assert "Starter data" in (out / "report" / "index.html").read_text()


def test_interrupted_run_keeps_completed_samples_and_resumes(tmp_path, shared_datasets):
    out = tmp_path / "out"
    args = [
        "run",
        "--limit",
        "30",
        "--suite",
        "xstest",
        "--out",
        str(out),
        "--data-dir",
        str(shared_datasets),
        "--display",
        "plain",
        "--max-tokens",
        "96",
    ]
    process = subprocess.Popen(
        [*SYSCARD, *args],
        env=_env(tmp_path),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 120
    while time.time() < deadline and not list((out / "logs").glob("*.eval")):
        time.sleep(0.5)
    # Let a few samples finish, but not all: 30 answers of up to 96 tokens take ~35 s here.
    time.sleep(5)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 1, output[-2000:]
    assert "run the same command again to resume" in output

    from inspect_ai.log import list_eval_logs, read_eval_log

    (info,) = list_eval_logs(str(out / "logs"))
    interrupted = read_eval_log(info.name)
    done_before = {s.id: s.events[0].timestamp for s in interrupted.samples or [] if not s.error}
    assert 0 < len(done_before) < 30

    resumed = subprocess.run(
        [*SYSCARD, *args], env=_env(tmp_path), text=True, capture_output=True, timeout=600
    )
    assert resumed.returncode == 0, resumed.stdout[-2000:]
    (info,) = list_eval_logs(str(out / "logs"))
    final = read_eval_log(info.name)
    assert final.status == "success" and len(final.samples) == 30
    reused = {s.id: s.events[0].timestamp for s in final.samples if s.id in done_before}
    assert reused == done_before  # completed samples were kept, not generated again


def test_bad_input_gets_one_line_errors(tmp_path, shared_datasets):
    unknown = _run(["run", "--suite", "nonsense", "--out", str(tmp_path / "o")], tmp_path)
    assert unknown.returncode != 0
    assert "unknown suite or eval 'nonsense'" in unknown.stderr
    assert "Traceback" not in unknown.stderr

    tampered = tmp_path / "data"
    shutil.copytree(shared_datasets / "xstest", tampered / "xstest")
    with open(tampered / "xstest" / "xstest_prompts.csv", "a") as handle:
        handle.write("999,tampered,homonyms,safe,x,\n")
    bad = _run(
        ["run", "--suite", "xstest", "--data-dir", str(tampered), "--out", str(tmp_path / "o2")],
        tmp_path,
    )
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    error_lines = [line for line in bad.stderr.splitlines() if line.startswith("Error")]
    assert len(error_lines) == 1 and "sha256" in error_lines[0].lower()

    missing = _run(
        ["run", "--suite", "disallowed_content", "--limit", "1", "--out", str(tmp_path / "o3")],
        tmp_path,
    )
    assert missing.returncode != 0
    assert "nothing to run" in missing.stderr
    assert "syscard data fetch xstest" in missing.stdout  # each skipped eval names its fix

    named = _run(
        ["run", "--suite", "xstest", "--limit", "1", "--out", str(tmp_path / "o4")], tmp_path
    )
    assert named.returncode != 0 and "syscard data fetch xstest" in named.stderr
