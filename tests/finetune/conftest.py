"""Fixtures for the fine-tuning tests: the demo knowledge folder (chunked by the knowledge
layer, as `data ... --dir` reads it), a tiny random model,
and a small mixed dataset built with the real generators."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.demo_kb import DEMO_DIR
from knowledge.config import KnowledgeSettings
from knowledge.preview import preview_files
from tests.fixtures.tiny_lm import build_tiny_model


@pytest.fixture(scope="session")
def demo_chunks():
    if not (DEMO_DIR / "docs").is_dir():
        pytest.skip(f"demo knowledge base not found at {DEMO_DIR}")
    return preview_files([DEMO_DIR], KnowledgeSettings()).chunks


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "tiny-base", hidden_size=32)


@pytest.fixture
def single_thread():
    """2 shared cores: one torch thread avoids oversubscription (results do not depend on it)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
