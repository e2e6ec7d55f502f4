"""Knowledge services in server mode (PostgreSQL + Chroma server) beside embedded ones, on the same files."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from app.settings import Settings
from knowledge.service import KnowledgeService
from models.embeddings.hash import HashEmbedder


def server_settings(root: Path, storage: dict[str, Any], **knowledge: Any) -> Settings:
    return Settings.model_validate({"data_dir": str(root / "data"), "storage": storage,
                                    "models": {"embedder": {"backend": "hash"}},
                                    "knowledge": {"dense": "sync", **knowledge}})


@pytest.fixture
def make_server_service(tmp_path: Path, server_storage: dict) -> Iterator[Callable[..., KnowledgeService]]:
    """KnowledgeService(s) on the test's PostgreSQL schema and Chroma database (each its own pool, like a replica)."""
    from app.storage.build import open_knowledge_backend

    opened: list[KnowledgeService] = []

    def make(**knowledge: Any) -> KnowledgeService:
        settings = server_settings(tmp_path, server_storage, **knowledge)
        ks = KnowledgeService(settings.knowledge, settings.data_dir, HashEmbedder(dim=64),
                              backend=open_knowledge_backend(settings))
        opened.append(ks)
        return ks

    yield make
    for ks in opened:
        ks.close()


@pytest.fixture
def two_replicas(tmp_path: Path, server_storage: dict) -> Iterator[tuple[KnowledgeService, KnowledgeService]]:
    """Two keyword-only replicas of one team: same PostgreSQL schema, each its own pool and data_dir
    (its own saved indexes)."""
    from app.storage.build import open_knowledge_backend

    made = []
    for name in ("a", "b"):
        settings = server_settings(tmp_path / name, server_storage, dense="off")
        made.append(KnowledgeService(settings.knowledge, settings.data_dir, HashEmbedder(dim=64),
                                     backend=open_knowledge_backend(settings)))
    yield made[0], made[1]
    for ks in made:
        ks.close()
