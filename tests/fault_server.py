"""A loopback OpenAI-compatible server that fails on purpose: the hostile provider of the tests.

Modes (settable between requests): "ok" answers every chat completion; "filter" answers with
finish_reason content_filter and empty content; "500" and "429" fail every request; "stall"
sleeps `stall_seconds` before answering; "flaky" fails (500) about half of the prompts, always
the same ones (`flaky_fails`), and answers the rest. Every request is counted per mode.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ANSWER = "Sure: here is a full and helpful answer to that."


def flaky_fails(prompt: str) -> bool:
    """Whether the "flaky" mode fails this prompt (about half of all prompts)."""
    return hashlib.sha256(prompt.encode()).hexdigest()[0] in "01234567"


class FaultServer:
    def __init__(self, mode: str = "ok", stall_seconds: float = 30.0) -> None:
        self.mode = mode
        self.stall_seconds = stall_seconds
        self.answer = ANSWER
        self.requests: Counter[str] = Counter()
        self.prompts: list[str] = []
        self.answered: list[float] = []  # time.monotonic() of each answer sent
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                prompt = str(body["messages"][-1]["content"])
                server.requests[server.mode] += 1
                server.prompts.append(prompt)
                mode = server.mode
                if mode == "stall":
                    time.sleep(server.stall_seconds)
                if mode in ("500", "429") or (mode == "flaky" and flaky_fails(prompt)):
                    status = 429 if mode == "429" else 500
                    self._send(status, {"error": {"message": "injected fault", "type": "x"}})
                    return
                finish = "content_filter" if mode == "filter" else "stop"
                text = "" if mode == "filter" else server.answer
                self._send(200, _completion(body["model"], text, finish))
                server.answered.append(time.monotonic())

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout): nothing to answer

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def env(self, service: str) -> dict[str, str]:
        """Environment variables that point Inspect's `openai-api/<service>/...` here."""
        return {
            f"{service.upper()}_BASE_URL": self.url,
            f"{service.upper()}_API_KEY": "test-key-not-secret",
        }

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _completion(model: str, text: str, finish: str) -> dict[str, Any]:
    return {
        "id": "cmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": text}}
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
    }
