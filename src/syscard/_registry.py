"""Everything syscard registers with Inspect (entry point `inspect_ai: syscard`)."""

# ruff: noqa: F401
from syscard.evals.disallowed import standard_refusal, xstest
from syscard.models import gguf
