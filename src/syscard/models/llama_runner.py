"""One loaded GGUF model per process, and the single thread that runs its generations."""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FinishReason = Literal["stop", "length", "context"]


@dataclass
class GenerationRequest:
    """One chat completion to run: messages as `{"role", "content"}` dicts plus sampling."""

    messages: list[dict[str, str]]
    max_tokens: int
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    seed: int | None = None
    stop: list[str] = field(default_factory=list)

    def sampling_kwargs(self) -> dict[str, Any]:
        """Return the llama-cpp keyword arguments that this request sets (unset ones omitted)."""
        kwargs: dict[str, Any] = {"max_tokens": self.max_tokens}
        for name in ("temperature", "top_p", "top_k", "seed"):
            value = getattr(self, name)
            if value is not None:
                kwargs[name] = value
        if self.stop:
            kwargs["stop"] = self.stop
        return kwargs

    def as_log_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class GenerationResult:
    """Text and token counts of one finished generation."""

    text: str
    finish_reason: FinishReason
    prompt_tokens: int
    completion_tokens: int
    seconds: float

    def as_log_dict(self) -> dict[str, Any]:
        return asdict(self)


class LlamaRunner:
    """Owns one `llama_cpp.Llama`; its generations run one at a time on syscard's llama thread."""

    def __init__(
        self,
        path: str,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        n_batch: int | None = None,
        parallel: int = 1,
    ) -> None:
        # llama.cpp's OpenMP threads spin while waiting. With as many threads as cores, any
        # other busy process makes that spinning pathological (measured here: 7x slower with
        # one other busy core, no cost when idle). A short spin keeps idle speed and stops
        # the collapse. Only effective if set before llama.cpp is first loaded.
        os.environ.setdefault("GOMP_SPINCOUNT", "1000")
        import llama_cpp

        self.path = path
        self.capacity = max(1, parallel)
        # SYSCARD_GGUF_THREADS: for machines shared with other CPU-heavy work, where as many
        # llama.cpp threads as cores collapse (see below); `-M n_threads=` wins over it.
        self.n_threads = (
            n_threads or int(os.environ.get("SYSCARD_GGUF_THREADS", 0)) or os.cpu_count() or 1
        )
        self.llama = llama_cpp.Llama(
            model_path=path,
            n_ctx=n_ctx or 0,  # 0: the model's own context length (capped below)
            n_threads=self.n_threads,
            n_threads_batch=self.n_threads,
            n_batch=n_batch or 512,
            verbose=False,
        )
        if not n_ctx and self.llama.n_ctx() > 8192:
            # A very long trained context costs memory for nothing in a safety eval.
            self.llama = llama_cpp.Llama(
                model_path=path,
                n_ctx=8192,
                n_threads=self.n_threads,
                n_threads_batch=self.n_threads,
                n_batch=n_batch or 512,
                verbose=False,
            )

    def generate_sync(self, request: GenerationRequest) -> GenerationResult:
        """Run one chat completion with the GGUF's own chat template; return text and usage."""
        started = time.perf_counter()
        try:
            response: Any = self.llama.create_chat_completion(
                messages=request.messages,  # type: ignore[arg-type]
                **request.sampling_kwargs(),
            )
        except ValueError as ex:
            if "exceed context window" not in str(ex):
                raise
            return GenerationResult("", "context", 0, 0, time.perf_counter() - started)
        choice = response["choices"][0]
        usage = response["usage"]
        return GenerationResult(
            text=choice["message"]["content"] or "",
            finish_reason="length" if choice["finish_reason"] == "length" else "stop",
            prompt_tokens=usage["prompt_tokens"],
            completion_tokens=usage["completion_tokens"],
            seconds=time.perf_counter() - started,
        )

    async def generate(self, request: GenerationRequest) -> GenerationResult:
        """Queue `request` on the model's thread and wait for it without blocking the loop."""
        future: Future[GenerationResult] = _LLAMA_THREAD.submit(self.generate_sync, request)
        return await asyncio.wrap_future(future)


# Every generation of every GGUF model in the process runs on this one thread. llama.cpp's
# OpenMP gives each calling thread its own team of worker threads; two teams on the same
# cores made all generation ~3x slower (measured here: 4 prompts 6.3 s with one team, 17.1 s
# once a second thread had used llama.cpp). One thread also means one generation at a time
# across models, which is all a CPU can usefully do.
_LLAMA_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="syscard-llama")

_runners: dict[tuple[Any, ...], LlamaRunner] = {}
_runners_lock = threading.Lock()


def get_runner(
    path: str,
    n_ctx: int | None = None,
    n_threads: int | None = None,
    n_batch: int | None = None,
    parallel: int = 1,
) -> LlamaRunner:
    """Return the process-wide runner for this file and settings, loading the model once."""
    key = (path, n_ctx, n_threads, n_batch, parallel)
    with _runners_lock:
        runner = _runners.get(key)
        if runner is None:
            # Loaded on the llama thread too, so no other thread ever starts llama.cpp work.
            runner = _LLAMA_THREAD.submit(
                LlamaRunner, path, n_ctx, n_threads, n_batch, parallel
            ).result()
            _runners[key] = runner
        return runner


@atexit.register
def _close_runners() -> None:
    # Free models before interpreter teardown: llama-cpp's own __del__ runs too late then and
    # prints a TypeError traceback at exit.
    with _runners_lock:
        for runner in _runners.values():
            runner.llama.close()
        _runners.clear()
