"""Incremental ingest, management, isolation, search/select/lexicon/iter_chunks on small real files."""

import io
import json
import zipfile

import pytest

from knowledge.errors import KnowledgeError
from tests.knowledge.conftest import write

SSH = "---\ntitle: SSH 无法登录\nproduct: 云服务器\n---\n# SSH 无法登录\n\n## 现象\n\n报错 Connection timed out，端口 22 不通。\n\n## 解决\n\n安全组放通 TCP 22。\n"
MYSQL = "# MySQL 连接数\n\n## 现象\n\n报 ERROR 1040 Too many connections。\n\n## 解决\n\n调大 max_connections 或清理空闲连接。\n"


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "kb"
    write(root, "docs/ssh.md", SSH)
    write(root, "docs/mysql.md", MYSQL)
    write(root, "faq.jsonl", json.dumps({"question": "默认端口是多少？", "answer": "SSH 默认 22。"}, ensure_ascii=False))
    return root


def test_ingest_reports_and_sources_are_relative(ks, folder):
    report = ks.ingest([folder], kb="t")
    assert report.to_json() == {"kb": "t", "added": 3, "updated": 0, "unchanged": 0, "deleted": 0,
                                "chunks": report.chunks, "errors": []}
    assert {f["source"] for f in report.files} == {"docs/ssh.md", "docs/mysql.md", "faq.jsonl"}
    assert ks.search("ERROR 1040", kb="t", k=1)[0].source == "docs/mysql.md"


def test_incremental_add_change_delete(ks, folder):
    ks.ingest([folder], kb="t")
    again = ks.ingest([folder], kb="t").to_json()
    assert (again["added"], again["updated"], again["unchanged"], again["chunks"]) == (0, 0, 3, 0)
    write(folder, "docs/mysql.md", MYSQL.replace("ERROR 1040", "ERROR 1045 Access denied"))
    write(folder, "docs/new.md", "# 新文档\n\nCrashLoopBackOff 排查。\n")
    (folder / "faq.jsonl").unlink()
    report = ks.ingest([folder], kb="t", sync=True).to_json()
    assert (report["added"], report["updated"], report["unchanged"], report["deleted"]) == (1, 1, 1, 1)
    info = ks.show_kb("t")
    versions = {d["source"]: d["version"] for d in info["documents"]}
    assert versions == {"docs/mysql.md": 2, "docs/new.md": 1, "docs/ssh.md": 1}
    assert not [p for p in ks.search("ERROR 1040", kb="t") if "1040" in p.text]  # old version gone
    assert ks.search("ERROR 1045", kb="t", k=1)[0].source == "docs/mysql.md"
    assert info["dense_coverage"] == 1.0


def test_bad_files_are_reported_and_do_not_stop_the_batch(ks, folder):
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (folder / "image.png").write_bytes(b"\x89PNG")
    report = ks.ingest([folder], kb="t").to_json()
    assert report["added"] == 3
    assert {e["source"] for e in report["errors"]} == {"broken.pdf", "image.png"}
    assert all(e["error"] for e in report["errors"])


def test_missing_path_and_unknown_kb_are_user_errors(ks, tmp_path):
    with pytest.raises(KnowledgeError, match="路径不存在"):
        ks.ingest([tmp_path / "nope"], kb="t")
    with pytest.raises(KnowledgeError, match="知识库不存在"):
        ks.search("x", kb="missing")


def test_bases_are_isolated_and_deletable(ks, folder, tmp_path):
    other = write(tmp_path / "other", "k8s.md", "# Pod 排查\n\nCrashLoopBackOff 表示容器反复崩溃。\n")
    ks.ingest([folder], kb="a")
    ks.ingest([other.parent], kb="b")
    assert all(p.kb == "a" and p.source != "k8s.md" for p in ks.search("CrashLoopBackOff", kb="a"))
    assert ks.search("CrashLoopBackOff", kb="b", k=1)[0].source == "k8s.md"
    assert {k["name"] for k in ks.list_kbs()} == {"a", "b"}
    ks.delete_document("a", "docs/ssh.md")
    assert "docs/ssh.md" not in {d["source"] for d in ks.show_kb("a")["documents"]}
    assert all(p.source != "docs/ssh.md" for p in ks.search("SSH 22 端口", kb="a"))
    ks.delete_kb("b")
    assert not ks.has_kb("b")
    with pytest.raises(KnowledgeError):
        ks.delete_document("a", "docs/ssh.md")


def test_passages_carry_scores_headings_and_select_orders_best_last(ks, folder):
    ks.ingest([folder], kb="t")
    passages = ks.search("SSH 端口 22 不通 怎么办", kb="t", k=5)
    top = passages[0]
    assert top.source in ("docs/ssh.md", "faq.jsonl") and top.lexical_score and top.dense_score is not None
    assert top.score >= passages[-1].score
    chosen = ks.select("SSH 端口 22 不通 怎么办", passages, max_passages=2)
    assert 1 <= len(chosen) <= 2 and chosen[-1].score == max(p.score for p in chosen)
    assert ks.select("今天天气怎么样", ks.search("今天天气怎么样", kb="t"), max_passages=4) == []


def test_product_name_completion_is_indexed_not_shown(ks, folder):
    ks.ingest([folder], kb="t")
    chunks = ks.document_chunks("t", "docs/ssh.md")
    assert chunks[0]["indexed_text"].startswith("云服务器 > SSH 无法登录 > 现象")
    assert "云服务器" not in chunks[0]["text"]
    assert ks.search("云服务器 解决", kb="t", k=1)[0].source == "docs/ssh.md"


def test_lexicon_and_iter_chunks(ks, folder):
    ks.ingest([folder], kb="t")
    lexicon = ks.lexicon("t")
    assert {"error 1040", "max_connections", "云服务器", "mysql"} <= lexicon
    chunks = list(ks.iter_chunks("t"))
    assert len(chunks) == ks.list_kbs()[0]["chunks"] and {c.kind for c in chunks} == {"doc", "faq"}


def test_lexical_only_base_searchable_before_vectors(make_service, folder):
    ks = make_service(dense="off")
    ks.ingest([folder], kb="t")
    assert ks.list_kbs()[0]["dense_coverage"] == 0.0
    hit = ks.search("ERROR 1040", kb="t", k=1)[0]
    assert hit.source == "docs/mysql.md" and hit.dense_score is None


def test_background_embedding_completes(make_service, folder):
    ks = make_service(dense="background")
    ks.ingest([folder], kb="t")
    assert ks.search("ERROR 1040", kb="t", k=1)[0].source == "docs/mysql.md"  # keyword-searchable at once
    ks.wait_dense(timeout=30)
    assert ks.list_kbs()[0]["dense_coverage"] == 1.0


def test_changing_embedder_reembeds(tmp_path, folder):
    from knowledge.config import KnowledgeSettings
    from knowledge.service import KnowledgeService
    from models.embeddings.hash import HashEmbedder

    first = KnowledgeService(KnowledgeSettings(dense="sync"), tmp_path / "d", HashEmbedder(dim=64))
    first.ingest([folder], kb="t")
    first.close()
    second = KnowledgeService(KnowledgeSettings(dense="sync"), tmp_path / "d", HashEmbedder(dim=32))
    second.ingest([folder], kb="t")
    assert second.show_kb("t")["embedder"] == "hash:32" and second.list_kbs()[0]["dense_coverage"] == 1.0
    assert second.search("ERROR 1040", kb="t", k=1)[0].dense_score is not None
    second.close()


def test_uploads_with_zip(ks):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("manual/disk.md", "# 云盘扩容\n\n在线扩容后扩展分区。\n")
        archive.writestr("../evil.md", "# 越界\n\n不应写出。\n")
    report = ks.ingest_uploads([("notes.txt", "值班记录\n\n主从延迟升高。".encode()), ("bundle.zip", buf.getvalue()),
                                ("bad.zip", b"not a zip")], kb="up")
    sources = {f["source"]: f["status"] for f in report.files}
    assert sources["notes.txt"] == "added" and sources["manual/disk.md"] == "added"
    assert sources["bad.zip"] == "failed" and sources["bundle.zip:../evil.md"] == "failed"


class ReverseLengthReranker:
    """A scripted reranker: prefers shorter passages, records its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def score(self, query, texts):
        self.calls.append((query, len(texts)))
        return [-len(t) for t in texts]


def test_reranker_reorders_fused_candidates(tmp_path, folder):
    from knowledge.config import KnowledgeSettings
    from knowledge.service import KnowledgeService
    from models.embeddings.hash import HashEmbedder

    reranker = ReverseLengthReranker()
    ks = KnowledgeService(KnowledgeSettings(dense="sync", rerank_candidates=3), tmp_path / "r", HashEmbedder(dim=32),
                          reranker=reranker)
    try:
        ks.ingest([folder], kb="t")
        hits = ks.search("22 端口 SSH", kb="t", k=5)
        head = hits[:3]
        assert reranker.calls == [("22 端口 SSH", 3)]
        lengths = [len(p.meta["indexed_text"]) for p in head]
        assert lengths == sorted(lengths) and all("rerank_score" in p.meta for p in head)
    finally:
        ks.close()


def test_keyword_only_passages_use_the_lexical_threshold():
    from knowledge.select import select_passages
    from knowledge.types import Passage

    def passage(cid, relevance, dense):
        return Passage(cid, "s", "t", [], "x", score=relevance, dense_score=dense, meta={"relevance": relevance})

    items = [passage("a", 0.40, None), passage("b", 0.40, 0.9), passage("c", 0.50, 0.9), passage("d", 0.30, None)]
    kept = select_passages(items, threshold=0.47, max_passages=4, lexical_threshold=0.35)
    assert [p.chunk_id for p in kept] == ["a", "c"]  # b lacks the dense bar, d the lexical one; best last


def test_resume_dense_finishes_pending_documents(make_service, folder, tmp_path):
    lexical_only = make_service(data_dir=tmp_path / "shared", dense="off")
    lexical_only.ingest([folder], kb="t")
    assert lexical_only.resume_dense() == []  # dense off: nothing to do
    lexical_only.close()
    app = make_service(data_dir=tmp_path / "shared", dense="background")
    assert app.list_kbs()[0]["dense_coverage"] == 0.0
    assert app.resume_dense() == ["t"]
    app.wait_dense(timeout=30)
    assert app.list_kbs()[0]["dense_coverage"] == 1.0 and app.show_kb("t")["dense_pending"] == 0
