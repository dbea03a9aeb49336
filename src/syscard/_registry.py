"""Everything syscard registers with Inspect (entry point `inspect_ai: syscard`)."""

# ruff: noqa: F401
from syscard.models import gguf
