"""The knowledge layer on PostgreSQL + a Chroma server ranks, counts and trashes like the embedded one."""

from __future__ import annotations

import json
import statistics

import pytest

from knowledge.bm25 import BM25Index
from knowledge.config import KnowledgeSettings
from knowledge.demo_kb import DEMO_DIR
from knowledge.service import KnowledgeService
from knowledge.text import tokenize
from models.embeddings.hash import HashEmbedder
from tests.conftest import REPO_ROOT

QUESTIONS = [json.loads(line)["question"] for line in
             (REPO_ROOT / "tests/data/demo_eval/retrieval.jsonl").read_text(encoding="utf-8").splitlines()[:40]]


@pytest.fixture
def pair(tmp_path, make_server_service):
    """The demo KB ingested into an embedded and a server-mode service (hash vectors, synchronously)."""
    warm = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path / "warm", HashEmbedder(dim=64))
    warm.ingest([DEMO_DIR], kb="demo")  # jieba learns the demo's terms as it ingests: both then tokenize alike
    warm.close()
    embedded = KnowledgeService(KnowledgeSettings(dense="sync"), tmp_path / "embedded", HashEmbedder(dim=64))
    server = make_server_service()
    for ks in (embedded, server):
        report = ks.ingest([DEMO_DIR], kb="demo")
        assert not report.errors
    yield embedded, server
    embedded.close()


def _ranked(ks, ranked):
    """(chunk id, score) best first."""
    ids = {r["id"]: r["chunk_id"] for r in ks.catalog.chunks_by_rowid([r for r, _ in ranked]).values()}
    return [(ids[r], s) for r, s in ranked]


def _same_ranking(ours, theirs, tol=1e-3):
    """Same scores; the same chunk at each place, except among chunks tied in score (in-memory BM25 leaves
    ties unordered, and float32 against float64 rounds them apart by < tol) and at the cut."""
    assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], abs=tol)
    where = {c: s for c, s in theirs}
    last = theirs[-1][1] if theirs else 0.0
    for (chunk, score), (other, _) in zip(ours, theirs):
        if chunk != other and abs(score - last) > tol:  # not at the cut: the chunk is theirs, at a tied score
            assert chunk in where and abs(where[chunk] - score) <= tol, (chunk, score)


def test_server_mode_ranks_and_calibrates_like_embedded(pair, make_server_service):
    """Keyword candidates: the same chunks with the same scores (both modes rank with knowledge.lexical,
    the server's built from PostgreSQL), and the SQL BM25 (`lexical_search`) scores chunks as the
    in-memory chunk BM25 does over the same rows. Vectors: both stores search HNSW
    graphs, approximate and built in a nondeterministic order, so a neighbour near rank 50 may be
    missed by either (in embedded mode too, from one run to the next): the dense and hybrid lists
    agree for nearly every question rather than always."""
    embedded, server = pair
    assert server.list_kbs() == embedded.list_kbs()
    plain = BM25Index.build(embedded.catalog.lexical_rows("demo"), 0)  # chunk BM25 without the path words
    overlaps, same_best = [], 0
    for question in QUESTIONS:
        tokens = list(dict.fromkeys(embedded.tokenize(question, "demo")))
        assert tokens == list(dict.fromkeys(server.tokenize(question, "demo")))
        _same_ranking(_ranked(server, server.retriever.lexical("demo").rank(tokens, 50)),
                      _ranked(embedded, embedded.retriever.lexical("demo").rank(tokens, 50)))
        _same_ranking(_ranked(server, server.catalog.lexical_search("demo", tokens, 50)),
                      _ranked(embedded, plain.search(tokens, 50)))
        dense = [{p.chunk_id for p in ks.retrieve(question, kb="demo", k=50, mode="dense")} for ks in (embedded, server)]
        overlaps.append(len(dense[0] & dense[1]) / max(len(dense[0]), 1))
        best = [[p.chunk_id for p in ks.retrieve(question, kb="demo", k=3, mode="hybrid")] for ks in (embedded, server)]
        same_best += best[0] == best[1]
    assert statistics.mean(overlaps) >= 0.97 and min(overlaps) >= 0.9
    assert same_best >= 0.9 * len(QUESTIONS)
    hits = server.search("ssh 连接超时", kb="demo", k=3)
    assert hits and hits[0].dense_score is not None and hits[0].lexical_score is not None
    _calibration_like_embedded(pair, make_server_service)  # one ingest of the pair for both checks


def _calibration_like_embedded(pair, make_server_service):
    """Ingest calibrates the base in both modes (issue 21); the server keeps the bars in PostgreSQL for
    every replica, measured on the same indexed tokens. Probes retrieve through HNSW (approximate in
    both stores), so the bars agree closely rather than exactly."""
    embedded, server = pair
    ids = sorted(embedded.catalog.chunk_ids("demo"))
    theirs, ours = embedded.catalog.chunk_tokens("demo", ids), server.catalog.chunk_tokens("demo", ids)
    assert ours.keys() == theirs.keys() and all(sorted(ours[c]) == sorted(theirs[c]) for c in ids)
    stored = [ks.show_kb("demo")["calibration"] for ks in (embedded, server)]
    assert stored[1] is not None and stored[1]["generation"] == server.catalog.generation("demo")
    assert stored[1]["embedder"] == stored[0]["embedder"] and stored[1]["samples"].keys() == stored[0]["samples"].keys()
    for table in ("relevant", "strong"):
        for klass, bars in stored[0][table].items():
            assert stored[1][table][klass]["share"] == pytest.approx(bars["share"], abs=0.1), (table, klass)
    reader = make_server_service()  # another replica: its own pool, the same schema
    assert reader.retriever.calibration("demo") is not None and reader.retriever.calibration("demo").generation == \
        stored[1]["generation"]


def test_bm25_scores_and_statistics_match_after_changes(pair, tmp_path):
    embedded, server = pair
    source = next(iter(embedded.catalog.documents("demo")))
    for ks in (embedded, server):
        ks.delete_document("demo", source)
        trash_id = ks.trash_document("demo", next(iter(ks.catalog.documents("demo"))))
        ks.restore_document(trash_id)
    tokens = list(dict.fromkeys(tokenize("MySQL 连接数 Too many connections 安全组 端口")))
    assert server.catalog.doc_frequencies("demo", tokens) == embedded.catalog.doc_frequencies("demo", tokens)
    rows = [sorted(tuple(r[1:]) for r in ks.catalog.lexical_rows("demo")) for ks in (server, embedded)]
    assert rows[0] and rows[0] == rows[1]  # the same indexed tokens, after the trash and delete
    _same_ranking(_ranked(server, server.catalog.lexical_search("demo", tokens, 10)),
                  _ranked(embedded, BM25Index.build(embedded.catalog.lexical_rows("demo"), 0).search(tokens, 10)))
    _same_ranking(_ranked(server, server.retriever.lexical("demo").rank(tokens, 10)),
                  _ranked(embedded, embedded.retriever.lexical("demo").rank(tokens, 10)))
    assert server.word_counts("demo") == embedded.word_counts("demo")
    assert server.topics("demo") == embedded.topics("demo")
    assert server.show_kb("demo")["document_count"] == embedded.show_kb("demo")["document_count"]


def test_trash_and_delete_a_base_on_the_servers(make_server_service, tmp_path):
    ks = make_server_service()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# 负载均衡 502\n\n后端健康检查失败会导致 502。", encoding="utf-8")
    ks.ingest([tmp_path / "docs"], kb="lb")
    ks.trash_kb("lb")
    assert not ks.has_kb("lb") and [i["kind"] for i in ks.trashed()] == ["kb"]
    ks.restore_kb("lb")
    assert ks.search("502 健康检查", kb="lb")[0].source == "a.md"
    ks.delete_kb("lb")
    assert not ks.has_kb("lb") and ks.trashed() == []
    with ks.catalog.pool.connection() as conn:
        assert conn.execute("SELECT COUNT(*) AS n FROM term_df WHERE kb = 'lb'").fetchone()["n"] == 0


def test_a_second_writer_of_a_base_waits_for_the_first_then_says_so(make_server_service, tmp_path):
    """Ingests of one base are serialized across replicas (an advisory lock held by the writer)."""
    import threading
    import time

    from knowledge.catalog import kb_key
    from knowledge.errors import KnowledgeError

    first, impatient, patient = make_server_service(), make_server_service(writer_wait_s=0.3), make_server_service()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "b.md").write_text("# 对象存储 403\n\n签名过期会返回 403。", encoding="utf-8")
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with first.locks.writer(kb_key("oss"), "oss", wait_s=5):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    with pytest.raises(KnowledgeError, match="另一个导入正在进行（知识库 oss）"):
        impatient.ingest([tmp_path / "docs"], kb="oss")
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    report = patient.ingest([tmp_path / "docs"], kb="oss")  # waits for the holder, then runs
    holder.join()
    assert report.to_json()["added"] == 1 and time.monotonic() - started >= 0.4
    assert first.search("签名过期 403", kb="oss")[0].source == "b.md"
