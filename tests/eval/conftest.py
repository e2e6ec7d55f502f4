"""Fixtures of the evaluation tests: one wired copilot over the full demo KB, shared by the session.

Extractive mode and the hash embedder keep it fast; the demo KB is read from knowledge/demo
at test time and ingested once into a session temp dir.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import Settings

REPO = Path(__file__).resolve().parents[2]
CONVERSATIONS = REPO / "tests" / "conversations"
DEMO_EVAL = REPO / "tests" / "data" / "demo_eval"


def demo_settings(data_dir: Path) -> Settings:
    return Settings.model_validate({"data_dir": str(data_dir), "models": {"embedder": {"backend": "hash"}}})


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    from knowledge.demo_kb import DEMO_DIR

    if not (DEMO_DIR / "docs").is_dir():
        pytest.skip(f"demo KB not found at {DEMO_DIR}")
    return tmp_path_factory.mktemp("eval-demo") / "data"


@pytest.fixture(scope="session")
def eval_settings(demo_data_dir) -> Settings:
    return demo_settings(demo_data_dir)


@pytest.fixture(scope="session")
def copilot(eval_settings):
    """build_copilot ingests the bundled demo KB into "demo" on first start."""
    from app.wiring import build_copilot

    built = build_copilot(eval_settings)
    yield built
    built.context.knowledge.close()
