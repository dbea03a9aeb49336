"""Shared test fixtures: the local dataset copies and an isolated dataset cache."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"


@pytest.fixture
def shared_datasets() -> Path:
    """The local copies of the public datasets (../shared/datasets beside the checkout)."""
    if not (SHARED_DATASETS / "xstest" / "xstest_prompts.csv").exists():
        pytest.skip("../shared/datasets is not present")
    return SHARED_DATASETS


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    # No test may read or write the user's real dataset cache.
    monkeypatch.setenv("SYSCARD_DATA_DIR", str(tmp_path_factory.mktemp("syscard-cache")))
    # Nor the user's stored grader measurements (`syscard graders validate` writes there).
    monkeypatch.setenv(
        "SYSCARD_VALIDATION_FILE", str(tmp_path_factory.mktemp("syscard-validation") / "v.json")
    )
