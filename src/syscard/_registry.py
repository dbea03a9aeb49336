"""Everything syscard registers with Inspect (entry point `inspect_ai: syscard`).

Importing `syscard.evals` imports every eval module, which registers its `@task`s.
"""

# ruff: noqa: F401
import syscard.evals
from syscard.models import gguf
