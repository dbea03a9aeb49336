"""Helpers for the tests' own Inspect providers (subclasses of `ModelAPI`).

Inspect's `ModelAPI` constructor already takes the model name, base URL, key and config, so
a test provider only writes `generate`; `assistant_output` builds what it returns.
"""

from __future__ import annotations

from inspect_ai.model import (
    ChatCompletionChoice,
    ChatMessageAssistant,
    ContentReasoning,
    ContentText,
    ModelOutput,
    ModelUsage,
)


def assistant_output(model: str, answer: str, reasoning: str | None = None) -> ModelOutput:
    """Return a model output with `answer` (after a reasoning block when `reasoning` is given).

    Usage is set so that Inspect never counts tokens with tiktoken, which would need a
    download.
    """
    content: str | list[ContentReasoning | ContentText] = answer
    if reasoning is not None:
        content = [ContentReasoning(reasoning=reasoning), ContentText(text=answer)]
    message = ChatMessageAssistant(content=content, model=model, source="generate")
    return ModelOutput(
        model=model,
        choices=[ChatCompletionChoice(message=message, stop_reason="stop")],
        usage=ModelUsage(input_tokens=5, output_tokens=5, total_tokens=10),
    )
