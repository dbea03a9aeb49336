"""syscard: write the safety system card for any language model."""

__version__ = "0.1.0"
