"""benchmarks/recall_variants.py: the measured ranking ideas start from the product's own keyword ranking."""

import json

import pytest

from benchmarks.recall_variants import Variants, WordLinks, faq_report, parse

QUESTIONS = ["SSH 连接超时怎么办", "云盘扩容以后容量没变", "mysql 连接数满了报 Too many connections",
             "上传报 SignatureDoesNotMatch 是签名哪里错了", "云盘想扩好一点 一直卡住"]


def _variants(demo):
    ranker = demo.retriever.lexical("demo")
    layout = demo.catalog.chunk_layout("demo")
    forward = {r: (h.split(), b.split()) for r, h, b in demo.catalog.lexical_rows("demo")}
    return ranker, layout, Variants(ranker, forward, {r["rowid"]: r["source"] for r in layout})


def test_parse_reads_name_and_json_values():
    assert parse("prf:k=2,beta=0.1") == {"name": "prf", "k": 2, "beta": 0.1}
    assert parse("none") == {"name": "none"}


def test_a_variant_that_adds_nothing_ranks_exactly_as_the_product(demo):
    ranker, _, variants = _variants(demo)
    plain = {q: ranker.rank(demo.tokenize(q, kb="demo"), 20) for q in QUESTIONS}
    for spec in ("prf:beta=0", "proximity:lam=0", "folder:lam=0", "forms:lam=0", "links:lam=0"):
        variants.apply(parse(spec))
        assert {q: ranker.rank(demo.tokenize(q, kb="demo"), 20) for q in QUESTIONS} == plain, spec
    variants.apply(parse("none"))
    assert ranker.rank == variants.plain_rank


def test_feedback_adds_documentation_words_of_the_top_pages_not_the_question_s(demo):
    ranker, _, variants = _variants(demo)
    tokens = demo.tokenize(QUESTIONS[0], kb="demo")
    weights = ranker.terms.weights(tokens)
    extra = variants.feedback(weights, ranker.rank(tokens, 50), {"k": 2, "m": 5, "beta": 0.2})
    assert 0 < len(extra) <= 5 and not set(extra) & set(weights)
    assert max(extra.values()) == pytest.approx(0.2) and all(ranker.chunks.df(t) >= 2 for t in extra)


def test_faq_report_counts_the_base_s_question_entries(demo):
    ranker, layout, variants = _variants(demo)
    heading = {r["rowid"]: (json.loads(r["heading_path"]) or [r["title"]])[-1] for r in layout}
    report = faq_report(variants, heading, lambda text: demo.tokenize(text, kb="demo"), QUESTIONS)
    assert report.startswith(f"question entries: {int(ranker.row_question.sum())};")


def test_a_word_the_base_never_writes_links_to_its_words_with_the_same_head(demo):
    ranker, _, variants = _variants(demo)
    assert ranker.chunks.df("扩好") == 0 and ranker.chunks.df("扩容") > 0
    links = WordLinks(ranker)
    head = [w for w, _ in links.find("扩好", {"by": "head"})]
    assert "扩容" in head[:3] and all(w.startswith("扩") for w in head)
    assert any(w == "扩容" for w, _ in links.find("扩好", {"by": "chars"})[:5])
    weights = ranker.terms.weights(demo.tokenize("云盘想扩好一点", kb="demo"))
    linked = variants.linked({**weights, "扩好": 0.5}, {"by": "head", "k": 3})
    assert "扩容" in linked and linked["扩容"] <= 0.5 and set(weights) <= set(linked)


def test_variants_weigh_rare_identifiers_as_the_product_does(demo, monkeypatch):
    import knowledge.lexical

    monkeypatch.setattr(knowledge.lexical, "RARE_IDENTIFIER", 1.0)  # the demo is small: every identifier counts
    ranker, _, variants = _variants(demo)
    question = "上传报 SignatureDoesNotMatch 是签名哪里错了 还是 403"
    plain = ranker.rank(demo.tokenize(question, kb="demo"), 20)
    variants.apply(parse("folder:lam=0"))
    try:
        assert ranker.rank(demo.tokenize(question, kb="demo"), 20) == plain
    finally:
        variants.apply(parse("none"))
