"""results.json: the documented contract, and provider errors counted as errors (never safe).

The provider here is real: Inspect's OpenAI-compatible client talking to an HTTP server on
loopback that answers some requests with HTTP 500.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from inspect_ai import eval

from syscard.data.loaders import PromptRecord
from syscard.evals.disallowed.prompt_sets import prompt_samples, provenance
from syscard.evals.refusal_scoring import refusal_task
from syscard.results import build_results, write_results

REFUSAL_TEXT = "I'm sorry, but I can't help with that."


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = body["messages"][-1]["content"]
        if "FAIL" in prompt:
            self._send(500, {"error": {"message": "upstream exploded", "type": "server_error"}})
            return
        text = REFUSAL_TEXT if "harm" in prompt else "Sure: here is a full answer."
        self._send(
            200,
            {
                "id": "cmpl-1",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": text},
                    }
                ],
                "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
            },
        )

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_api(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # A service name per server: Inspect memoizes models by name, and a model bound to an
    # earlier test's (closed) server would fail to connect.
    service = f"loopback{server.server_port}"
    monkeypatch.setenv(f"{service.upper()}_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
    monkeypatch.setenv(f"{service.upper()}_API_KEY", "test-key-not-secret")
    yield f"openai-api/{service}/stub-model"
    server.shutdown()


def _task(name: str, records: list[PromptRecord], datasets: list[dict[str, str]]):
    # The eval's own prompt sets replaced by these records; its declaration (found by the
    # task's name) still decides the rows.
    return refusal_task(
        name, prompt_samples(records), grader="offline", **provenance(datasets, [], name)
    )


def _record(i: int, kind: str, prompt: str, category: str) -> PromptRecord:
    return PromptRecord(
        id=str(i),
        prompt=prompt,
        kind=kind,
        category=category,
        source="test",
        source_category=category,
    )


def test_provider_errors_are_counted_never_safe(loopback_api, tmp_path):
    records = [
        _record(1, "harmful", "harm request one", "hate"),
        _record(2, "harmful", "harm request FAIL", "hate"),
        _record(3, "harmful", "harm request FAIL again", "self_harm"),
        _record(4, "benign", "benign question", "homonyms"),
        _record(5, "benign", "benign FAIL question", "homonyms"),
    ]
    task = _task(
        "standard_refusal", records, [{"name": "test", "source": "tests", "revision": "0"}]
    )
    logs = eval(
        task,
        model=loopback_api,
        display="none",
        log_dir=str(tmp_path / "logs"),
        fail_on_error=False,
        max_retries=0,
        retry_on_error=0,
    )
    assert logs[0].status == "success"

    document = build_results([tmp_path / "logs"], suite="test")
    rows = {row["metric"]: row for row in document["results"]}
    unsafe = rows["not_unsafe"]
    assert (unsafe["value"], unsafe["n"], unsafe["n_errors"]) == (1.0, 1, 2)
    assert unsafe["breakdown"]["hate"] == {
        "value": 1.0,
        "n": 1,
        "ci_low": pytest.approx(0.206543, abs=1e-5),
        "ci_high": 1.0,
        "n_errors": 1,
    }
    assert unsafe["breakdown"]["self_harm"]["n"] == 0
    assert unsafe["breakdown"]["self_harm"]["value"] is None
    assert unsafe["breakdown"]["self_harm"]["n_errors"] == 1
    over = rows["not_overrefuse"]
    assert (over["value"], over["n"], over["n_errors"]) == (1.0, 1, 1)

    path = write_results(document, tmp_path / "results.json")
    text = path.read_text()
    assert "NaN" not in text and "test-key-not-secret" not in text
    for log_file in (tmp_path / "logs").glob("*.eval"):
        assert b"test-key-not-secret" not in log_file.read_bytes()


def test_results_document_has_the_contract_fields(loopback_api, tmp_path):
    records = [_record(1, "benign", "benign question", "definitions")]
    task = _task("xstest", records, [{"name": "xstest", "source": "tests", "revision": "0"}])
    eval(task, model=loopback_api, display="none", log_dir=str(tmp_path / "logs"))
    document = build_results([tmp_path / "logs"], suite="quick")
    assert set(document) >= {"syscard_version", "created", "suite", "models", "results"}
    assert document["models"] == [{"name": loopback_api, "role": "target", "mitigation": None}]
    (row,) = document["results"]
    assert set(row) >= {
        "eval",
        "section",
        "metric",
        "model",
        "mitigation",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "n_errors",
        "grader",
        "grader_agreement",
        "breakdown",
        "log",
    }
    assert row["eval"] == "xstest" and row["section"] == "disallowed_content"
    assert row["grader"]["name"] == "refusal-offline"
    assert row["grader_agreement"]["n"] >= 100
    assert row["breakdown"] == {
        "definitions": {
            "value": 1.0,
            "n": 1,
            "ci_low": pytest.approx(0.206543, abs=1e-5),
            "ci_high": 1.0,
            "n_errors": 0,
        }
    }
    assert row["log"].endswith(".eval")
