"""Vectors never take away what keyword search answers from (issue 15), on the real demo KB with
vectors (`demo_knowledge`: hash embedder, so its cosines are noise: the worst case of a weak
embedder, and fast). Rules: knowledge.retrieve (keyword top k kept as candidates),
knowledge.select (word evidence decides the tier, keyword order within it; a section the vectors bring
yields to its page's matching keyword section), knowledge.evidence (headless compounds)."""

from __future__ import annotations

import pytest

from graph.service import Copilot
from knowledge.types import Passage
from tests.graph.conftest import asker, make_context

CSS = "网站改了 css，用户那边看到的还是老样式"


@pytest.fixture(scope="module")
def ask(demo_knowledge):
    return asker(demo_knowledge, "vectors")


@pytest.mark.parametrize("fusion, weight", [("rrf", 1.0), ("dense_top", 0.1)])
def test_the_keyword_top_k_stays_among_the_hybrid_candidates(demo_knowledge, monkeypatch, fusion, weight):
    """rrf lets the vectors' own hits into the top k (the case this rule is for); the default dense_top
    only reorders keyword near-ties, so its random hash hits may all fall outside the top 8."""
    assert demo_knowledge.show_kb("demo")["dense_pending"] == 0  # the vectors are in: fused ranking
    monkeypatch.setattr(demo_knowledge.retriever.settings, "fusion", fusion)
    monkeypatch.setattr(demo_knowledge.retriever.settings, "dense_weight", weight)
    for question in (CSS, "fio 测出来 iops 才一千多 标称 7800 咋回事", "S5.2xlarge 是几核几G 包转发多少"):
        hybrid = demo_knowledge.search(question, kb="demo", k=8)
        keyword = demo_knowledge.keyword_search(question, kb="demo", k=8)
        assert fusion != "rrf" or any(p.dense_score is not None for p in hybrid)
        assert {p.chunk_id for p in keyword} <= {p.chunk_id for p in hybrid}, question


def test_selection_with_vectors_keeps_what_keywords_select(demo_knowledge):
    """Same passages, same word evidence: adding cosines changes neither which are kept nor their tiers."""
    for question in (CSS, "加解析记录报 DNS.TTLTooSmall 是啥", "CLB 上怎么配 https"):
        keyword = demo_knowledge.select(question, demo_knowledge.keyword_search(question, kb="demo", k=8))
        hybrid = demo_knowledge.select(question, demo_knowledge.search(question, kb="demo", k=8))
        tiers = {p.chunk_id: p.meta["match"] for p in hybrid}
        for p in keyword:
            assert tiers.get(p.chunk_id) == p.meta["match"], (question, p.source, p.heading_path)


def test_a_cosine_alone_admits_a_partial_match_ranked_after_word_matches():
    from knowledge.calibration import Bars
    from knowledge.select import judge, select_matched

    class Rule:
        def bars(self, klass: str, strong: bool = False) -> Bars:
            return Bars(share=0.9, mass=9.0, dense=0.95) if strong else Bars(share=0.5, mass=5.0, dense=0.9)

    def passage(chunk_id: str, share: float, mass: float, cosine: float, score: float) -> Passage:
        return Passage(chunk_id, f"{chunk_id}.md", chunk_id, ["节"], "正文", score=score, dense_score=cosine,
                       meta={"evidence": {"share": share, "mass": mass}})

    words = passage("words", 0.6, 6.0, 0.80, 0.01)        # relevant by its words, weak cosine
    cosine = passage("cosine", 0.1, 1.0, 0.97, 0.03)      # above even the strong cosine bar, no words
    strong_cos = passage("both", 0.6, 6.0, 0.97, 0.02)    # relevant words, strong cosine: still partial
    none = passage("none", 0.1, 1.0, 0.85, 0.04)
    judge([words, cosine, strong_cos, none], Rule())
    assert (words.meta["match"], cosine.meta["match"], strong_cos.meta["match"]) == ("partial", "partial", "partial")
    assert "match" not in none.meta and cosine.meta["evidence"]["dense_only"]
    assert [p.chunk_id for p in select_matched([words, cosine, strong_cos, none], 4)] == ["cosine", "words", "both"]


def test_css_question_is_answered_from_the_cdn_refresh_page_with_vectors(ask):
    result = ask(CSS)
    assert "没有找到" not in result["answer"], result["answer"]
    assert "docs/cdn/cache-refresh.md" in {c["source"] for c in result["citations"]}, result["answer"]


def test_a_page_only_the_vectors_brought_needs_their_support_too():
    """A page outside the keyword top k that fusion lifted in: its words alone are a chance hit
    unless its cosine reaches the relevant bar as well (then its words set the tier)."""
    from knowledge.calibration import Bars
    from knowledge.select import BEYOND_KEYWORDS, judge

    class Rule:
        def bars(self, klass: str, strong: bool = False) -> Bars:
            return Bars(share=0.9, mass=9.0, dense=0.95) if strong else Bars(share=0.5, mass=5.0, dense=0.9)

    def passage(chunk_id: str, cosine: float) -> Passage:
        return Passage(chunk_id, f"{chunk_id}.md", chunk_id, ["节"], "正文", dense_score=cosine,
                       meta={"evidence": {"share": 0.95, "mass": 12.0}, BEYOND_KEYWORDS: True})

    unsupported, supported = passage("chance", 0.88), passage("supported", 0.91)
    judge([unsupported, supported], Rule())
    assert "match" not in unsupported.meta
    assert supported.meta["match"] == "strong"


def test_vectors_mark_only_pages_the_keyword_top_k_misses(demo_knowledge):
    from knowledge.rivals import page_of
    from knowledge.select import BEYOND_KEYWORDS

    hybrid = demo_knowledge.search(CSS, kb="demo", k=8)
    keyword_pages = {page_of(p) for p in demo_knowledge.keyword_search(CSS, kb="demo", k=8)}
    for p in hybrid:
        assert bool(p.meta.get(BEYOND_KEYWORDS)) == (page_of(p) not in keyword_pages), (p.source, p.heading_path)


def test_another_section_the_vectors_bring_yields_to_the_pages_matching_keyword_section(demo_knowledge):
    """Beyond the keyword top k, a hybrid search brings pages the keywords did not rank (BEYOND_KEYWORDS) and
    other sections of pages they did (OTHER_SECTION); selection keeps the latter only where the page's
    keyword-ranked section does not match."""
    from knowledge.rivals import page_of
    from knowledge.select import BEYOND_KEYWORDS, OTHER_SECTION

    question = "云盘 扩容 要是扩多了还能改小回去吗"
    ids = {p.chunk_id for p in demo_knowledge.keyword_search(question, kb="demo", k=8)}
    hybrid = demo_knowledge.search(question, kb="demo", k=8)
    for p in hybrid:
        assert p.chunk_id in ids or p.meta.get(BEYOND_KEYWORDS) or p.meta.get(OTHER_SECTION), (p.source, p.heading_path)
    others = [p for p in hybrid if p.meta.get(OTHER_SECTION)]
    assert others  # the hash vectors lift the expand-disk lead section, which page decay left out of the keyword top k
    chosen = demo_knowledge.select(question, hybrid)
    answering = {page_of(p) for p in hybrid if p.meta.get("match") and not p.meta.get(OTHER_SECTION)}
    for p in others:
        assert page_of(p) not in answering or p not in chosen, (p.source, p.heading_path)


def test_a_section_the_vectors_bring_fills_only_a_page_whose_keyword_section_does_not_match():
    from knowledge.select import OTHER_SECTION, keyword_sections_first

    def passage(chunk_id: str, source: str, match: str | None, other: bool) -> Passage:
        meta: dict = {OTHER_SECTION: True} if other else {}
        if match:
            meta["match"] = match
        return Passage(chunk_id, source, chunk_id, ["节"], "正文", meta=meta)

    faq_section = passage("faq", "docs/disk/expand.md", "strong", False)
    lead = passage("lead", "docs/disk/expand.md", "partial", True)
    last_step = passage("step", "docs/disk/grow.md", None, False)
    grow_lead = passage("grow-lead", "docs/disk/grow.md", "partial", True)
    keyword_sections_first([faq_section, lead, last_step, grow_lead])
    assert "match" not in lead.meta and faq_section.meta["match"] == "strong"
    assert grow_lead.meta["match"] == "partial"


def test_the_follow_up_after_disk_expansion_says_it_cannot_shrink_with_vectors(demo_knowledge):
    """Same session: the new ask is answered from what keywords select (the FAQ entry 云盘可以缩容吗？
    stays: a page only its cosine admits does not make the expand-disk page an outline leader)."""
    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("云盘怎么扩容", "vectors-shrink", kb="demo")
    result = copilot.ask("要是扩多了还能改小回去吗", "vectors-shrink", kb="demo").to_json()
    assert "不支持缩容" in result["answer"], result["answer"]
    assert "没有与问题完全对应" not in result["answer"], result["answer"]


def test_a_question_entry_writing_the_compound_without_its_modifier_holds_it(demo_knowledge):
    """"账户欠费后云服务器会怎样": the FAQ entry 欠费后服务器会马上停吗？ writes 服务器 for 云服务器; it holds every
    word of the question (a strong question entry), so it is selected by keywords alone too (the
    shipped script knowledge-billing-arrears passed only by the hash vectors' chance cosines)."""
    from knowledge.evidence import headed_compounds

    assert headed_compounds(["云", "服务", "服务器", "云服务器"], {"服务", "服务器"}) == {"云", "云服务器"}
    assert headed_compounds(["数据", "数据库"], {"数据"}) == set()  # 据库 is no head noun the passage writes
    assert headed_compounds(["可用", "高可用"], {"可用"}) == set()  # a two-character head: another word
    assert headed_compounds(["初始化", "未初始化"], {"初始化"}) == set()  # a negation is no modifier
    question = "账户欠费后云服务器会怎样"
    chosen = demo_knowledge.select(question, demo_knowledge.keyword_search(question, kb="demo", k=8))
    entry = [p for p in chosen if p.heading_path == ["欠费后服务器会马上停吗？"]]
    assert entry and entry[0].meta["match"] == "strong", [(p.source, p.heading_path) for p in chosen]
