"""Shared fixtures: an isolated data directory and settings for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

# PostgreSQL and Chroma servers, one of each per test session, a schema/database per test (server mode)
from tests.fixtures.servers import chroma_server, module_storage, pg_server, server_storage  # noqa: F401

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPORA = REPO_ROOT.parent / "shared" / "corpora"


@pytest.fixture(autouse=True)
def _offline_env(monkeypatch, tmp_path):
    """No test phones home or writes outside its temp dir."""
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setenv("SMART_COPILOT__DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip(f"shared corpora not found at {CORPORA}")
    return CORPORA
