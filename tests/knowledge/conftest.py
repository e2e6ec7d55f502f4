"""Fixtures of the knowledge tests: a service on a temp data dir with the tiny hash embedder."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from knowledge.config import KnowledgeSettings
from knowledge.service import KnowledgeService
from models.embeddings.hash import HashEmbedder


@pytest.fixture
def make_service(tmp_path: Path) -> Iterator[Callable[..., KnowledgeService]]:
    opened: list[KnowledgeService] = []

    def make(data_dir: Path | None = None, **settings) -> KnowledgeService:
        settings.setdefault("dense", "sync")
        ks = KnowledgeService(KnowledgeSettings(**settings), data_dir or tmp_path / "data", HashEmbedder(dim=64))
        opened.append(ks)
        return ks

    yield make
    for ks in opened:
        ks.close()


@pytest.fixture
def ks(make_service) -> KnowledgeService:
    return make_service()


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[KnowledgeService]:
    """The bundled demo base, keyword index only (one per test module: ingest takes seconds)."""
    from knowledge.demo_kb import DEMO_DIR

    service = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path_factory.mktemp("demo") / "data",
                               HashEmbedder(dim=32))
    service.ingest([DEMO_DIR], kb="demo")
    yield service
    service.close()
