"""Tokenizer and statistics stored with the index: terms versioned with the generation, no rescans."""

from __future__ import annotations

import json

import numpy as np

from knowledge.catalog import kb_key
from knowledge.corpus import WORDS_KEY
from knowledge.service import KnowledgeService
from knowledge.text import index_tokens
from tests.knowledge.conftest import write

TERM_DOC = "---\ntitle: 星栈云控制台入门\ntags: [星栈云控制台]\n---\n\n# 星栈云控制台入门\n\n控制台可以管理全部资源。\n"
PLAIN_DOC = "# 登录问题\n\n无法登录星栈云控制台时，先清理浏览器缓存再重试。\n"


def index_matches_tokenizer(ks: KnowledgeService, kb: str) -> bool:
    """Every chunk's lexical row equals what the base's current tokenizer makes of it."""
    tok = ks.corpus.tokenizer(kb)
    key = kb_key(kb)
    rows = ks.catalog.conn.execute(
        f"SELECT c.kind, c.text, c.indexed_text, f.head, f.body FROM chunks c JOIN fts_{key} f ON f.rowid = c.id "
        "WHERE c.kb = ?", (kb,)).fetchall()
    assert rows
    return all(index_tokens(r[0], r[1], r[2], tok.tokenize) == (r[3].split(), r[4].split()) for r in rows)


def test_a_new_term_retokenizes_older_chunks_that_contain_it(ks, tmp_path):
    write(tmp_path / "a", "login.md", PLAIN_DOC)
    ks.ingest([tmp_path / "a"], kb="t")
    before = ks.catalog.generation("t")
    assert "星栈云控制台" not in ks.tokenize("登录星栈云控制台", kb="t")

    write(tmp_path / "b", "console.md", TERM_DOC)  # declares the term in its front matter
    ks.ingest([tmp_path / "b"], kb="t")
    assert "星栈云控制台" in ks.tokenize("登录星栈云控制台", kb="t")
    assert ks.catalog.generation("t") > before
    assert index_matches_tokenizer(ks, "t")  # login.md was re-tokenized with the new term
    assert ks.doc_frequencies(["星栈云控制台"], kb="t") == (2, {"星栈云控制台": 2})
    hits = ks.retrieve("星栈云控制台", kb="t", mode="lexical")
    assert {p.source for p in hits} == {"login.md", "console.md"}


def test_terms_of_one_base_never_change_another(make_service, tmp_path):
    ks = make_service(dense="off")
    write(tmp_path / "b", "console.md", TERM_DOC)
    write(tmp_path / "a", "login.md", PLAIN_DOC)
    ks.ingest([tmp_path / "b"], kb="with-term")
    ks.ingest([tmp_path / "a"], kb="plain")
    assert "星栈云控制台" in ks.tokenize("登录星栈云控制台", kb="with-term")
    assert "星栈云控制台" not in ks.tokenize("登录星栈云控制台", kb="plain")
    assert index_matches_tokenizer(ks, "plain")


def test_an_index_made_by_another_tokenizer_is_retokenized_on_first_use(make_service, tmp_path):
    data = tmp_path / "data"
    write(tmp_path / "docs", "console.md", TERM_DOC)
    write(tmp_path / "docs", "login.md", PLAIN_DOC)
    ks = make_service(data_dir=data, dense="off")
    ks.ingest([tmp_path / "docs"], kb="t")
    key = kb_key("t")
    with ks.catalog.transaction() as conn:  # what a catalog written by older code looks like
        conn.execute(f"UPDATE fts_{key} SET head = 'stale', body = 'stale'")
        conn.execute("DELETE FROM kb_meta WHERE kb = 't'")
    ks.close()

    reopened = make_service(data_dir=data, dense="off")
    hits = reopened.retrieve("清理浏览器缓存", kb="t", mode="lexical")
    assert hits and hits[0].source == "login.md"
    assert index_matches_tokenizer(reopened, "t")


def test_statistics_come_from_the_index_without_reading_chunks(make_service, tmp_path):
    class NoScan(KnowledgeService):
        def iter_chunks(self, kb=None):
            raise AssertionError("statistics must not re-read every chunk")

    write(tmp_path / "docs", "mysql/a.md", "---\nproduct: 云数据库\n---\n# 云数据库 连接失败\n\n检查安全组和白名单。\n")
    write(tmp_path / "docs", "mysql/b.md", "---\nproduct: 云数据库\n---\n# 云数据库 慢查询\n\n查看慢日志，检查安全组。\n")
    write(tmp_path / "docs", "ssh.md", "# SSH 登录失败\n\nSSH 连接超时，检查 22 端口。\n")
    data = tmp_path / "data"
    make_service(data_dir=data, dense="off").ingest([tmp_path / "docs"], kb="t")
    ks = make_service(data_dir=data, dense="off")
    ks.__class__ = NoScan

    from graph.vocabulary import DomainVocabulary

    vocab = DomainVocabulary().get(ks, "t")
    assert vocab.chunks == 3 and vocab.knows("白名单") and not vocab.knows("红烧肉")
    assert vocab.idf("红烧肉") > vocab.idf("ssh") > vocab.idf("检查")
    assert vocab.association("日志", ["云数据库"]) == 1.0 and vocab.association("ssh", ["云数据库"]) == 0.0
    assert vocab.topics == ["云数据库"] and "云数据库" in vocab.lexicon
    stored = ks.catalog.conn.execute("SELECT value, stamp FROM kb_meta WHERE kb = 't' AND name = 'topics'").fetchone()
    assert json.loads(stored[0]) == ["云数据库"] and stored[1] == ks.catalog.generation("t")


def test_bm25_cache_has_no_pickle_and_a_damaged_one_is_rebuilt(ks, tmp_path):
    write(tmp_path / "docs", "ssh.md", "# SSH 登录失败\n\nSSH 连接超时，检查 22 端口。\n")
    write(tmp_path / "docs", "cpu.md", "# CPU 使用率高\n\n用 top 找出占用 CPU 的进程。\n")
    ks.ingest([tmp_path / "docs"], kb="t")
    assert ks.retrieve("ssh 超时", kb="t", mode="lexical")[0].source == "ssh.md"
    path = ks.retriever._bm25_path("t")
    with np.load(path, allow_pickle=False) as data:  # raises if any array needed pickle
        assert all(data[name].dtype != object for name in data.files)

    path.write_bytes(path.read_bytes()[:200])  # truncated by a crash or a full disk
    ks.retriever._bm25_cache.clear()
    assert ks.retrieve("ssh 超时", kb="t", mode="lexical")[0].source == "ssh.md"
    with np.load(path, allow_pickle=False) as data:
        assert int(data["generation"][0]) == ks.catalog.generation("t")


def test_keyword_ranking_of_a_base_ignores_other_bases_terms(make_service, tmp_path):
    """Query-term weights and the keyword ranking of one base are the same whether or not another
    base with its own domain terms was ingested first in the process (no shared jieba dictionary)."""
    write(tmp_path / "a", "login.md", PLAIN_DOC)
    write(tmp_path / "a", "cache.md", "# 浏览器缓存\n\n控制台页面异常时清理浏览器缓存。\n")
    write(tmp_path / "b", "console.md", TERM_DOC)
    question = "星栈云控制台登录不上，浏览器咋整"

    alone = make_service(data_dir=tmp_path / "alone", dense="off")
    alone.ingest([tmp_path / "a"], kb="plain")
    weights = alone.retriever.lexical("plain").terms.weights(alone.tokenize(question, kb="plain"))
    ranking = [(p.source, round(p.score, 6)) for p in alone.retrieve(question, kb="plain", mode="lexical")]

    both = make_service(data_dir=tmp_path / "both", dense="off")
    both.ingest([tmp_path / "b"], kb="with-term")
    both.ingest([tmp_path / "a"], kb="plain")
    assert both.retriever.lexical("plain").terms.weights(both.tokenize(question, kb="plain")) == weights
    assert [(p.source, round(p.score, 6)) for p in both.retrieve(question, kb="plain", mode="lexical")] == ranking
    # the base's own terms count as absent from general Chinese: they are its documentation words
    tok = both.corpus.tokenizer("with-term")
    assert tok.background_frequency("星栈云控制台")[0] == 0 and tok.background_frequency("浏览器")[0] > 0


def test_word_counts_for_typo_correction_are_stored_at_ingest(ks, tmp_path):
    write(tmp_path / "a", "login.md", PLAIN_DOC)
    write(tmp_path / "a", "cache.md", "# 浏览器缓存\n\n控制台页面异常时清理浏览器缓存，再用 windows 重试。\n")
    write(tmp_path / "a", "win.md", "# windows 登录\n\nwindows 实例登录失败时检查浏览器。\n")
    ks.ingest([tmp_path / "a"], kb="t")
    stored = ks.catalog.conn.execute("SELECT value, stamp FROM kb_meta WHERE kb = 't' AND name = ?", (WORDS_KEY,)).fetchone()
    assert stored is not None and stored[1] == ks.catalog.generation("t")  # written by the ingest
    counts = ks.word_counts("t")
    assert counts == json.loads(stored[0])
    assert counts["浏览器"] == 3 and counts["windows"] == 2
    assert all(n >= 2 for n in counts.values()) and "重试" in counts and "异常" not in counts
