"""Server mode: a replica whose keyword index is stale answers from PostgreSQL at once and rebuilds in the background."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from knowledge.demo_kb import DEMO_DIR
from knowledge.service import KnowledgeService
from models.embeddings.hash import HashEmbedder
from tests.storage.conftest import server_settings
from tests.storage.test_knowledge_server import QUESTIONS

NEW_PAGE = """# 青鸾网关 QLX-7 证书轮换失败

## 现象

青鸾网关 QLX-7 在证书轮换后返回 TLS 握手失败，日志出现 qlx7-rotate-error。

## 处理

重新签发 QLX-7 的证书链并重启青鸾网关。
"""


def _lexical_top(ks: KnowledgeService, question: str, k: int = 5) -> list[str]:
    return [p.chunk_id for p in ks.retrieve(question, kb="demo", k=k, mode="lexical")]


def test_a_stale_index_is_served_from_sql_while_it_is_rebuilt(two_replicas: Any, tmp_path: Path) -> None:
    a, b = two_replicas
    assert not a.ingest([DEMO_DIR], kb="demo").errors
    serving = b.retriever.serving
    assert serving is not None and a.retriever.serving is not None

    # B has no index yet: the first search answers from SQL and starts one build
    assert b.search("SSH 连接超时", kb="demo", k=3)
    assert serving.served["demo"] == "sql"
    assert serving.builds.wait("demo", 120)
    _lexical_top(b, QUESTIONS[0])
    assert serving.served["demo"] == "memory"
    stale = b.retriever._rankers["demo"]

    # A ingests a page: B's index is stale. Its rebuild is held at the gate the test controls.
    release = threading.Event()
    serving.builds.gate = lambda kb: release.wait(120) and None
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "qlx7.md").write_text(NEW_PAGE, encoding="utf-8")
    assert not a.ingest([folder], kb="demo").errors
    hits = b.search("青鸾网关 QLX-7 证书轮换失败怎么办", kb="demo", k=3)
    assert serving.served["demo"] == "sql" and serving.builds.running("demo")
    assert hits and hits[0].source == "qlx7.md"  # the new page, which the stale in-memory index does not hold
    assert b.retriever._rankers["demo"] is stale
    # more searches while the build is held: answered from SQL, in SQL BM25 order, and no second build
    for question in QUESTIONS[:5]:
        tokens = list(dict.fromkeys(b.tokenize(question, "demo")))
        ranked = b.retriever.keywords("demo").rank(tokens, 10)
        assert [r for r, _ in ranked] == [r for r, _ in b.catalog.lexical_search("demo", tokens, 10)]
        assert _lexical_top(b, question)
    assert serving.builds.started["demo"] == 2

    release.set()
    assert serving.builds.wait("demo", 120)
    for question in QUESTIONS[:10] + ["青鸾网关 QLX-7 证书轮换失败怎么办"]:
        assert _lexical_top(b, question) == _lexical_top(a, question)  # the rebuilt index ranks as the writer's
        assert serving.served["demo"] == "memory"
    assert b.retriever._rankers["demo"] is not stale
    assert serving.builds.started["demo"] == 2


def test_a_failed_background_build_is_logged_and_sql_keeps_serving(two_replicas: Any, caplog: Any) -> None:
    a, b = two_replicas
    assert not a.ingest([DEMO_DIR], kb="demo").errors
    serving = b.retriever.serving

    def broken(kb: str) -> None:
        raise RuntimeError("disk full")

    serving.builds.gate = broken
    with caplog.at_level(logging.ERROR, logger="knowledge.pg.serving"):
        assert b.search("SSH 连接超时", kb="demo", k=3)
        assert serving.builds.wait("demo", 60)
    assert "background keyword index build of knowledge base demo failed" in caplog.text
    assert "demo" not in b.retriever._rankers
    assert b.search("SSH 连接超时", kb="demo", k=3) and serving.served["demo"] == "sql"  # and a new try starts
    serving.builds.gate = None
    assert serving.builds.wait("demo", 120)
    if "demo" not in b.retriever._rankers:  # the retry above ran into the broken gate before it was lifted
        b.search("SSH 连接超时", kb="demo", k=3)
        assert serving.builds.wait("demo", 120)
    assert _lexical_top(b, QUESTIONS[0]) == _lexical_top(a, QUESTIONS[0]) and serving.served["demo"] == "memory"


def test_a_replica_closed_during_a_background_build_logs_no_error(two_replicas: Any, caplog: Any) -> None:
    a, b = two_replicas
    assert not a.ingest([DEMO_DIR], kb="demo").errors
    serving = b.retriever.serving
    release = threading.Event()
    serving.builds.gate = lambda kb: release.wait(120) and None
    with caplog.at_level(logging.INFO, logger="knowledge.pg.serving"):
        assert b.search("SSH 连接超时", kb="demo", k=3) and serving.builds.running("demo")
        b.close()  # as a server shutting down: the build in flight outlives the pool
        release.set()
        assert serving.builds.wait("demo", 120)
    assert "abandoned: the service closed" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_above_keyword_index_max_chunks_every_replica_searches_in_sql(tmp_path: Path, server_storage: dict) -> None:
    """`knowledge.keyword_index_max_chunks`: a bigger base is never built in memory, not even by its writer;
    search and selection (word statistics from `term_df`) work from PostgreSQL alone."""
    from app.storage.build import open_knowledge_backend

    settings = server_settings(tmp_path, server_storage, dense="off", keyword_index_max_chunks=10)
    ks = KnowledgeService(settings.knowledge, settings.data_dir, HashEmbedder(dim=64),
                          backend=open_knowledge_backend(settings))
    try:
        assert not ks.ingest([DEMO_DIR], kb="demo").errors
        question = "SSH 连接超时怎么办"
        passages = ks.search(question, kb="demo", k=5)
        serving = ks.retriever.serving
        assert serving is not None and serving.served["demo"] == "sql" and not serving.builds.started
        assert "demo" not in ks.retriever._rankers
        tokens = list(dict.fromkeys(ks.tokenize(question, "demo")))
        best = ks.catalog.lexical_search("demo", tokens, 1)[0][0]
        assert passages[0].chunk_id == ks.catalog.chunks_by_rowid([best])[best]["chunk_id"]
        kept = ks.select(question, passages, 3)
        assert kept and any("ssh" in p.text.lower() for p in kept)
    finally:
        ks.close()
