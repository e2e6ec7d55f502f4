"""Vectors: embed once per distinct text, reuse unchanged chunks, coverage read from the store, repair."""

from __future__ import annotations

import logging
import shutil

import pytest

from knowledge.config import KnowledgeSettings
from knowledge.service import KnowledgeService
from models.embeddings.hash import HashEmbedder
from tests.knowledge.conftest import write

SHARED = "## 联系我们\n\n如果以上步骤都无法解决问题，请提交工单并附上实例 ID 和报错截图，我们会尽快处理。\n"


class RecordingEmbedder(HashEmbedder):
    """The hash embedder, remembering every passage it was asked to embed."""

    def __init__(self) -> None:
        super().__init__(dim=32)
        self.passages: list[str] = []

    def embed_passages(self, texts):
        self.passages.extend(texts)
        return super().embed_passages(texts)


@pytest.fixture
def service(tmp_path):
    opened = []

    def make(**settings) -> KnowledgeService:
        settings.setdefault("dense", "sync")
        ks = KnowledgeService(KnowledgeSettings(**settings), tmp_path / "data", RecordingEmbedder())
        opened.append(ks)
        return ks

    yield make
    for ks in opened:
        ks.close()


def fresh_process() -> None:
    """Forget chromadb's in-process cache of opened stores, as a new process would start."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def docs(folder, extra: str = "") -> None:
    write(folder, "ssh.md", "# SSH 登录失败\n\nSSH 连接超时一般是安全组没有放通 22 端口。" + extra + "\n\n" + SHARED)
    write(folder, "cpu.md", "# CPU 使用率高\n\n先用 top 找出占用最高的进程，再判断是否需要升级规格。\n\n"
                            "```bash\ntop -b -n 1 | head -20\nps aux --sort=-%cpu | head\n```\n\n" + SHARED)


def test_duplicates_embed_once_code_is_skipped_and_coverage_counts_it_done(service, tmp_path):
    ks = service()
    docs(tmp_path / "kb")
    ks.ingest([tmp_path / "kb"], kb="t")
    passages = ks.embedder.passages
    shared = [p for p in passages if "提交工单" in p]
    assert len(shared) == 2  # same section text, but each under its own title line
    assert not any("ps aux" in p for p in passages)  # the code block is keyword-only
    status = ks.vector_status("t")
    assert status["dense_coverage"] == 1.0 and status["dense_state"] == "complete"
    assert status["vectors"] + status["skipped_chunks"] == ks.show_kb("t")["chunks"]
    assert ks.retrieve("ps aux 排序", kb="t", mode="lexical")[0].source == "cpu.md"


def test_an_updated_document_reembeds_only_its_changed_chunks(service, tmp_path):
    ks = service()
    docs(tmp_path / "kb")
    ks.ingest([tmp_path / "kb"], kb="t")
    ks.embedder.passages.clear()
    docs(tmp_path / "kb", extra="另外检查实例内的防火墙。")
    ks.ingest([tmp_path / "kb"], kb="t")
    assert len(ks.embedder.passages) == 1 and "防火墙" in ks.embedder.passages[0]
    assert ks.vector_status("t")["dense_state"] == "complete"
    assert ks.retrieve("提交工单", kb="t", mode="dense")  # reused vectors are stored under the new chunk ids


def test_a_deleted_vector_folder_is_reported_and_reembedded_by_the_next_ingest(service, tmp_path):
    first = service()
    docs(tmp_path / "kb")
    first.ingest([tmp_path / "kb"], kb="t")
    first.close()
    shutil.rmtree(first.root / "chroma")
    fresh_process()

    ks = service()
    status = ks.vector_status("t")
    assert status["dense_coverage"] == 0.0 and status["vectors"] == 0 and status["dense_state"] == "partial"
    assert ks.show_kb("t")["dense_pending"] == 2
    ks.ingest([tmp_path / "kb"], kb="t")  # files unchanged: only the vectors are redone
    assert ks.vector_status("t")["dense_state"] == "complete"
    assert ks.retrieve("安全组 22 端口", kb="t", mode="dense")[0].source == "ssh.md"


def test_a_damaged_vector_store_is_set_aside_and_rebuilt_at_start(service, tmp_path, caplog):
    ks = service()
    docs(tmp_path / "kb")
    ks.ingest([tmp_path / "kb"], kb="t")
    ks.close()
    (tmp_path / "data" / "kb" / "chroma" / "chroma.sqlite3").write_bytes(b"not a database" * 100)
    fresh_process()

    reopened = service(dense="background")
    assert reopened.vector_status("t")["dense_state"] == "unreadable"
    assert reopened.search("安全组 22 端口", kb="t")[0].source == "ssh.md"  # keywords still work
    with caplog.at_level(logging.WARNING):
        assert reopened.resume_dense() == ["t"]  # what the server does at start
    reopened.wait_dense(60)
    assert "unreadable" in caplog.text and list((tmp_path / "data" / "kb").glob("chroma.damaged-*"))
    assert reopened.vector_status("t")["dense_state"] == "complete"


def test_a_stopped_background_worker_says_what_is_left(service, tmp_path, caplog):
    folder = tmp_path / "kb"
    for i in range(40):
        write(folder, f"doc{i}.md", f"# 文档 {i}\n\n第 {i} 篇说明，介绍云服务器的第 {i} 种常见故障和处理办法。\n")
    ks = service(dense="background")
    ks.vectors.stop.set()  # as at interpreter exit: the worker ends after its batch in flight
    with caplog.at_level(logging.WARNING):
        ks.ingest([folder], kb="t")
        ks.wait_dense(30)
    assert "paused with 40 chunks left" in caplog.text
    assert ks.vector_status("t")["pending_chunks"] == 40
