"""Model providers that syscard registers with Inspect."""

from inspect_ai.model import ModelAPI, modelapi


@modelapi(name="gguf")
def gguf() -> type[ModelAPI]:
    # Imported lazily so that `import syscard` never pays for llama.cpp.
    from syscard.models.gguf_api import GGUFModelAPI

    return GGUFModelAPI
