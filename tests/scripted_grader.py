"""A scripted grader model for tests: replies are templates filled with the rubric's nonce.

Model graders only accept a verdict carrying the nonce of the fences in their rubric, which a
fixed mock reply cannot know. This Inspect provider reads the nonce from the prompt it is
sent and substitutes it into `{nonce}` in its next scripted reply. `{prompt}` in a reply is
replaced by the whole prompt, to play a grader that echoes everything back.

    model = scripted_model(['{"id": "{nonce}", "label": "refusal"}'])
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from inspect_ai.model import (
    ChatMessage,
    GenerateConfig,
    ModelAPI,
    ModelOutput,
    get_model,
    modelapi,
)
from inspect_ai.model._model_call import ModelCall
from inspect_ai.tool import ToolChoice, ToolInfo

_NONCE = re.compile(r"<<[A-Z ]+ ([0-9a-f]{8,})>>")


class ScriptedAPI(ModelAPI):
    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),  # noqa: B008
        **model_args: Any,
    ) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)
        # From the CLI (`--grader-model scripted/x`) there are no model args: use the env.
        default = json.loads(os.environ.get("SCRIPTED_GRADER_REPLIES", "[]"))
        self.replies: list[str] = list(model_args.pop("replies", default))
        self.fail: bool = bool(model_args.pop("fail", os.environ.get("SCRIPTED_GRADER_FAIL")))
        # "content_filter": the provider's filter blocks the reply (its text may still be there).
        self.stop_reason: str = model_args.pop("stop_reason", "stop")
        self.prompts: list[str] = []

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> tuple[ModelOutput | Exception, ModelCall]:
        prompt = input[-1].text
        self.prompts.append(prompt)
        call = ModelCall.create(request={"prompt": prompt}, response={})
        if self.fail:
            raise TimeoutError("scripted grader timed out")
        nonce = m.group(1) if (m := _NONCE.search(prompt)) else "no-nonce"
        template = self.replies[min(len(self.prompts), len(self.replies)) - 1]
        reply = template.replace("{prompt}", prompt).replace("{nonce}", nonce)
        return ModelOutput.from_content(self.model_name, reply, stop_reason=self.stop_reason), call


@modelapi(name="scripted")
def scripted() -> type[ModelAPI]:
    return ScriptedAPI


def scripted_model(replies: list[str], *, fail: bool = False, stop_reason: str = "stop") -> Any:
    """Return an Inspect model that answers with `replies` in turn (the last one repeats)."""
    return get_model(
        "scripted/grader", replies=replies, fail=fail, stop_reason=stop_reason, memoize=False
    )
