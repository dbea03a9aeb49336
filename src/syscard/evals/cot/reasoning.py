"""What an output exposes of its reasoning: the one rule behind `monitorable_rate`.

Reasoning is the output's `ContentReasoning` text (the gguf provider turns `<think>` tags into
it; API providers put native thinking, `reasoning_content` or summaries there). A redacted
block counts through its summary only; a redacted block without a summary is not readable.
"""

from __future__ import annotations

from inspect_ai.model import ContentReasoning, ModelOutput

from syscard.graders.fingerprint import code_fingerprint

REASONING_MEASURE = {"name": "reasoning-present", "version": code_fingerprint(__name__)}
"""`monitorable_rate` is a count, not a verdict: it names the rule so the card can cite it.
Its version is the fingerprint of this module's code (`reasoning_text` decides it)."""


def reasoning_text(output: ModelOutput) -> str:
    """Return the reasoning an output exposes: its `ContentReasoning` blocks joined ("" if none).

    A readable block gives its reasoning (or its summary when the reasoning is empty); a
    redacted block gives its summary only, since its reasoning is an opaque token.
    """
    if not output.choices:
        return ""
    content = output.message.content
    if isinstance(content, str):
        return ""
    parts = []
    for block in content:
        if not isinstance(block, ContentReasoning):
            continue
        text = (block.summary or "") if block.redacted else (block.reasoning or block.summary or "")
        if text.strip():
            parts.append(text.strip())
    return "\n\n".join(parts)
