"""The in-memory BM25 ranks exactly like SQLite FTS5's bm25() on the same rows, and persists by generation."""

import pytest

from knowledge.bm25 import BM25Index
from knowledge.text import tokenize

QUERIES = ["ssh连不上 timeout", "ERROR 1040 连接数太多", "安全组规则数量上限", "磁盘满了 怎么扩容", "证书过期 https"]


def test_scores_match_fts5(demo):
    index = BM25Index.build(demo.catalog.lexical_rows("demo"), demo.catalog.generation("demo"))
    for q in QUERIES:
        tokens = list(dict.fromkeys(tokenize(q)))
        ours = index.search(tokens, 10)
        fts = demo.catalog.lexical_search("demo", tokens, 10)
        assert [r for r, _ in ours][:5] == [r for r, _ in fts][:5], q
        assert ours[0][1] == pytest.approx(fts[0][1], rel=1e-4)


def _saved(demo, folder):
    """The demo base's index, built and saved: (generation, index, its file)."""
    generation = demo.catalog.generation("demo")
    index = BM25Index.build(demo.catalog.lexical_rows("demo"), generation)
    path = folder / "bm25.npz"
    index.save(path)
    return generation, index, path


def test_saved_index_reloads_only_for_its_generation(demo, tmp_path):
    generation, index, path = _saved(demo, tmp_path)
    again = BM25Index.load(path, generation)
    tokens = tokenize("ssh 22 端口")
    assert again is not None and again.search(tokens, 5) == index.search(tokens, 5)
    assert BM25Index.load(path, generation + 1) is None
    assert BM25Index.load(path, generation, tokenizer="another tokenizer") is None  # made by other token rules


def test_a_saved_index_is_mapped_not_read_and_a_damaged_one_is_rejected(demo, tmp_path):
    import numpy as np

    generation, index, path = _saved(demo, tmp_path)
    mapped = BM25Index.load(path, generation)
    assert mapped is not None and not mapped._docs.flags.writeable  # a view of the file, not a copy
    with np.load(path) as saved:  # the same values numpy reads
        assert all(np.array_equal(getattr(mapped, a), saved[k]) for a, k in
                   (("rowids", "rowids"), ("_docs", "docs"), ("_htf", "htf"), ("_btf", "btf"), ("_indptr", "indptr")))
        compressed = tmp_path / "compressed.npz"
        np.savez_compressed(compressed, **{k: saved[k] for k in saved.files})  # cannot be mapped: read as before
    again = BM25Index.load(compressed, generation)
    assert again is not None and again._docs.flags.writeable
    for q in QUERIES:
        tokens = list(dict.fromkeys(tokenize(q)))
        assert mapped.search(tokens, 10) == again.search(tokens, 10) == index.search(tokens, 10), q
    data = path.read_bytes()
    for damaged in (data[: len(data) // 2], b"", data[:100]):
        path.write_bytes(damaged)
        assert BM25Index.load(path, generation) is None


def test_new_documents_are_searchable_after_change(demo, tmp_path):
    demo.search("ssh", kb="demo")  # builds and caches the index
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "zz.md").write_text("# 新增文档\n\nZebraQuotaExceeded 错误的处理。\n", encoding="utf-8")
    demo.ingest([tmp_path / "new"], kb="demo")
    assert demo.search("ZebraQuotaExceeded", kb="demo", k=1)[0].source == "zz.md"
