"""Per-base tokenizer and corpus statistics in server mode (knowledge.pg.corpus): same as embedded.

Mirrors tests/knowledge/test_corpus.py on PostgreSQL: a new domain term re-tokenizes older
chunks, a base without a tokenizer record is re-tokenized on first use, and the statistics
the graph's vocabulary reads (frequencies, co-occurrence, topics, word counts) equal the
embedded service's on the same files; several chosen bases have one vocabulary.
"""

from __future__ import annotations

from knowledge.config import KnowledgeSettings
from knowledge.service import KnowledgeService
from knowledge.text import index_tokens
from models.embeddings.hash import HashEmbedder
from tests.knowledge.conftest import write
from tests.knowledge.test_corpus import PLAIN_DOC, TERM_DOC

MYSQL_A = "---\nproduct: 云数据库\n---\n# 云数据库 连接失败\n\n检查安全组和白名单，windows 客户端也一样。\n"
MYSQL_B = "---\nproduct: 云数据库\n---\n# 云数据库 慢查询\n\n查看慢日志，检查安全组，windows 下同理。\n"
SSH = "# SSH 登录失败\n\nSSH 连接超时，检查 22 端口。\n"


def index_matches_tokenizer(ks: KnowledgeService, kb: str) -> bool:
    """Every chunk's stored tokens (tsvector and head/body) equal what the base's tokenizer makes now."""
    tok = ks.corpus.tokenizer(kb)
    rows = ks.catalog.query_all("SELECT c.chunk_id, c.kind, t.text, t.indexed_text, t.head, t.body FROM chunks c "
                           "JOIN chunk_texts t ON t.id = c.id WHERE c.kb = %s", (kb,))
    assert rows
    tokens = ks.catalog.chunk_tokens(kb, [r["chunk_id"] for r in rows])
    for r in rows:
        head, body = index_tokens(r["kind"], r["text"], r["indexed_text"], tok.tokenize)
        if (head, body) != (r["head"].split(), r["body"].split()) or sorted(tokens[r["chunk_id"]]) != sorted(head + body):
            return False
    return True


def test_a_new_term_retokenizes_older_chunks_on_the_server(make_server_service, tmp_path):
    ks = make_server_service(dense="off")
    write(tmp_path / "a", "login.md", PLAIN_DOC)
    ks.ingest([tmp_path / "a"], kb="t")
    before = ks.catalog.generation("t")
    assert "星栈云控制台" not in ks.tokenize("登录星栈云控制台", kb="t")

    write(tmp_path / "b", "console.md", TERM_DOC)
    ks.ingest([tmp_path / "b"], kb="t")
    assert "星栈云控制台" in ks.tokenize("登录星栈云控制台", kb="t")
    assert ks.catalog.generation("t") > before
    assert index_matches_tokenizer(ks, "t")
    assert ks.doc_frequencies(["星栈云控制台"], kb="t") == (2, {"星栈云控制台": 2})
    assert {p.source for p in ks.retrieve("星栈云控制台", kb="t", mode="lexical")} == {"login.md", "console.md"}
    other = make_server_service(dense="off")  # another replica: the tokenizer comes from the database
    assert "星栈云控制台" in other.tokenize("登录星栈云控制台", kb="t")


def test_a_base_without_a_tokenizer_record_is_retokenized_on_first_use(make_server_service, tmp_path):
    write(tmp_path / "docs", "console.md", TERM_DOC)
    write(tmp_path / "docs", "login.md", PLAIN_DOC)
    ks = make_server_service(dense="off")
    ks.ingest([tmp_path / "docs"], kb="t")
    with ks.catalog.transaction() as conn:  # a database written before kb_meta and head/body existed
        conn.execute("UPDATE chunk_texts SET head = '', body = '' WHERE id IN (SELECT id FROM chunks WHERE kb = 't')")
        conn.execute("DELETE FROM kb_meta WHERE kb = 't'")
    reader = make_server_service(dense="off")
    hits = reader.retrieve("清理浏览器缓存", kb="t", mode="lexical")
    assert hits and hits[0].source == "login.md"
    assert index_matches_tokenizer(reader, "t")


def test_statistics_match_embedded_and_several_bases_share_one_vocabulary(make_server_service, tmp_path):
    from graph.vocabulary import DomainVocabulary

    write(tmp_path / "db", "mysql/a.md", MYSQL_A)
    write(tmp_path / "db", "mysql/b.md", MYSQL_B)
    write(tmp_path / "db", "ssh.md", SSH)
    write(tmp_path / "console", "console.md", TERM_DOC)
    write(tmp_path / "console", "login.md", PLAIN_DOC)
    embedded = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path / "embedded", HashEmbedder(dim=64))
    server = make_server_service(dense="off")
    for ks in (embedded, server):
        ks.ingest([tmp_path / "db"], kb="db")
        ks.ingest([tmp_path / "console"], kb="console")
    try:
        for kb in ("db", "console"):
            assert server.topics(kb) == embedded.topics(kb)
            assert server.word_counts(kb) == embedded.word_counts(kb)
            tokens = server.tokenize("云数据库 windows 检查安全组 星栈云控制台", kb)
            assert tokens == embedded.tokenize("云数据库 windows 检查安全组 星栈云控制台", kb)
            assert server.doc_frequencies(tokens, kb) == embedded.doc_frequencies(tokens, kb)
        for token, others in (("日志", ["云数据库"]), ("ssh", ["云数据库"]), ("检查", ["安全组", "端口"])):
            assert server.cooccurrence(token, others, "db") == embedded.cooccurrence(token, others, "db")

        both = ("db", "console")
        vocab = DomainVocabulary().get(server, both)
        assert vocab.chunks == sum(server.doc_frequencies([], kb)[0] for kb in both)
        assert vocab.knows("白名单") and vocab.knows("浏览器") and not vocab.knows("红烧肉")
        assert "星栈云控制台" in vocab.tokenize("登录星栈云控制台")  # the console base's term stays whole
        assert "云数据库" in vocab.topics and "云数据库" in vocab.lexicon
        assert vocab.doc_freq("检查") == sum(server.doc_frequencies(["检查"], kb)[1].get("检查", 0) for kb in both)
    finally:
        embedded.close()
