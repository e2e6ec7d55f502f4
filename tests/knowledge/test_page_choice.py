"""Which pages and sections selection keeps: competing sibling pages (knowledge.select.drop_dominated),
the section of the best page holding what the selected passages miss (knowledge.sections).

On the demo knowledge base, keyword-only, with questions written for these tests (not taken from
any evaluation set); plus the rule itself on hand-made passages.
"""

from __future__ import annotations

import json

import pytest

from knowledge.sections import SectionChunk, WordEvidence, best_section, complete_page, missing_words
from knowledge.pages import product_folder
from knowledge.select import drop_dominated, off_subject, select_matched
from knowledge.service import KnowledgeService
from knowledge.types import Passage
from tests.knowledge.test_calibration import mixed  # noqa: F401  (the two-product base)


def chosen(ks: KnowledgeService, question: str) -> list[Passage]:
    return ks.select(question, ks.search(question, kb="demo", k=8), max_passages=4)


def test_the_sibling_page_about_another_situation_is_left_out(demo):
    # the mount-a-new-disk page's FAQ also says "df" and "扩容"; its steps format a disk that holds data
    sources = {p.source for p in chosen(demo, "数据盘在控制台扩容到 800G 了，df 看还是 200G")}
    assert "docs/disk/expand-disk.md" in sources
    assert "docs/disk/mount-data-disk.md" not in sources


def test_both_sides_of_a_comparison_stay(demo):
    sources = {p.source for p in chosen(demo, "网络 ACL 跟安全组到底差在哪")}
    assert "docs/vpc/network-acl.md" in sources
    assert len(sources) >= 2


def passage(chunk_id: str, source: str, share: float, match: str = "strong", kind: str = "doc",
            title: str = "", full: bool = False) -> Passage:
    return Passage(chunk_id=chunk_id, source=source, title=title, heading_path=[], text="", kind=kind,
                   meta={"match": match, "evidence": {"share": share, "full_share_only": full}})


def test_a_page_is_outdone_only_by_a_sure_better_page_holding_its_words():
    idf = {"扩": 7.0, "df": 4.0, "盘": 2.5, "500g": 6.0, "机器": 4.5}.get
    tokens = ["扩", "df", "盘", "500g", "机器"]
    holding = {"a": {"扩", "df", "盘", "500g"}, "b": {"扩", "df", "盘"}, "c": {"df", "盘", "机器"},
               "f": {"df", "盘"}}
    titles = {"A": {"扩"}, "B": {"盘"}, "C": set(), "F": set()}

    def run(*passages: Passage) -> set[str]:
        return {p.chunk_id for p in drop_dominated(list(passages), holding, tokens, lambda t: idf(t) or 0.0,
                                                   lambda p: titles[p.title])}

    a, b = passage("a", "a.md", 0.8, title="A"), passage("b", "b.md", 0.6, title="B")
    assert run(a, b) == {"b"} and b.meta["outdone"]
    assert select_matched([a, b], 4) == [a]  # and its place is not given to a passage ranked below
    # a partial match (ranked below the strong ones anyway) stays
    assert run(passage("a", "a.md", 0.8, title="A"), passage("b", "b.md", 0.6, match="partial", title="B")) == set()
    # a page bringing a word of its own (机器) stays, and so does an FAQ entry
    assert run(passage("a", "a.md", 0.8, title="A"), passage("c", "c.md", 0.5, title="C")) == set()
    assert run(passage("a", "a.md", 0.8, title="A"), passage("f", "faq", 0.5, kind="faq", title="F")) == set()
    # only a sure match outdoes: not a partial one, nor a strong one by a saturated share alone
    assert run(passage("a", "a.md", 0.8, match="partial", title="A"), passage("b", "b.md", 0.6, title="B")) == set()
    assert run(passage("a", "a.md", 1.0, full=True, title="A"), passage("b", "b.md", 0.6, title="B")) == set()
    # a page of another folder (another product) does not compete
    assert run(passage("a", "x/a.md", 0.8, title="A"), passage("b", "y/b.md", 0.6, title="B")) == set()
    # the page whose title names more of the question is the one about the user's situation,
    # whichever covers more; with titles naming as much, the page covering more wins
    assert run(passage("a", "a.md", 0.5, title="A"), passage("b", "b.md", 0.6, title="B")) == {"b"}
    titles["B"] = {"扩", "盘"}
    assert run(passage("a", "a.md", 0.8, title="A"), passage("b", "b.md", 0.6, title="B")) == set()
    titles["B"] = {"扩"}
    assert run(passage("a", "a.md", 0.5, title="A"), passage("b", "b.md", 0.6, title="B")) == set()
    assert run(passage("a", "a.md", 0.8, title="A"), passage("b", "b.md", 0.6, title="B")) == {"b"}


# the section of the best page that holds what the selected passages miss (knowledge.sections) -------------

IDF = {"init": 3.0, "容器": 2.0, "crashloopbackoff": 6.0, "日志": 4.0, "根本": 4.0}


def evidence(holding: dict[str, set[str]]) -> WordEvidence:
    return WordEvidence(tokens=["init", "容器", "crashloopbackoff", "日志", "根本"], tokenize=lambda s: s.lower().split(),
                        idf=lambda t: IDF.get(t, 0.0), forms={}, in_text=(), form_idf=None, holding=holding,
                        documentation=lambda t: t != "根本")  # a spoken word is not asked of any section


def test_only_documentation_words_count_as_missing_and_only_when_they_weigh():
    ev = evidence({})
    assert missing_words(ev.tokens, {"init", "容器", "crashloopbackoff"}, ev.idf, ev.documentation) == {"日志"}
    # one cheap word missing out of many: the selected passages cover the question
    assert missing_words(ev.tokens, {"init", "crashloopbackoff", "日志"}, ev.idf, ev.documentation) == set()


def test_the_section_holding_the_missing_words_is_chosen_not_a_selected_or_a_link_list():
    chunks = [SectionChunk("a", ("状态",), set()), SectionChunk("b", ("详情",), {"容器"}),
              SectionChunk("c", ("访问日志",), {"日志"}), SectionChunk("d", ("相关链接",), {"日志", "容器"}, navigation=True)]
    assert best_section(chunks, {"日志", "容器"}, lambda t: IDF.get(t, 0.0), set()).chunk_id == "c"
    assert best_section(chunks, {"日志", "容器"}, lambda t: IDF.get(t, 0.0), {("访问日志",)}) is None  # 容器 alone: too little


def row(chunk_id: str, heading: str, text: str) -> dict:
    return {"chunk_id": chunk_id, "heading_path": json.dumps([heading]), "text": text, "indexed_text": text}


def doc(chunk_id: str, source: str, share: float, match: str = "partial") -> Passage:
    return Passage(chunk_id=chunk_id, source=source, title=source, heading_path=["状态"], text="", kind="doc", score=1.0,
                   meta={"match": match, "evidence": {"share": share, "mass": 0.0}})


def test_the_missing_section_takes_a_free_or_a_weak_place_below_its_page():
    rows = [row("p-0", "状态", "init 容器 crashloopbackoff"), row("p-1", "访问日志", "init 容器 日志 kubectl logs")]
    tokens = {"p-0": ["状态", "init", "容器", "crashloopbackoff"], "p-1": ["访问日志", "init", "容器", "日志"]}

    def complete(chosen: list[Passage], holding: dict[str, set[str]], most: int = 4) -> list[str]:
        out = complete_page("init 容器 crashloopbackoff 日志 根本", chosen, most, {"": evidence(holding)},
                            lambda kb, source: rows if source == "page.md" else [],
                            lambda kb, ids: {i: tokens[i] for i in ids},
                            lambda r, score: Passage(chunk_id=r["chunk_id"], source="page.md", title="page.md",
                                                     heading_path=json.loads(r["heading_path"]), text=r["text"],
                                                     score=score, meta={}))
        return [p.chunk_id for p in out]

    top = doc("p-0", "page.md", 0.8, "strong")
    holding = {"p-0": {"init", "容器", "crashloopbackoff"}, "w": {"容器"}, "o": {"日志"}}
    assert complete([doc("w", "other.md", 0.3), top], holding) == ["w", "p-1", "p-0"]  # right below its page
    assert complete([doc("w", "other.md", 0.3), top], holding, most=2) == ["p-1", "p-0"]  # in the weak one's place
    assert complete([doc("w", "other.md", 0.3, "strong"), top], holding, most=2) == ["w", "p-0"]
    assert complete([doc("o", "other.md", 0.3), top], holding, most=2) == ["o", "p-0"]  # it brings 日志 itself
    assert complete([top], {"p-0": {"init", "容器", "crashloopbackoff", "日志"}}) == ["p-0"]  # nothing missing


# a product folder's name the question gives (knowledge.select.off_subject, knowledge.pages.product_folder) ----

def test_the_product_folder_is_the_first_folder_that_names_something():
    assert product_folder("tidb-docs-cn/dm/dm-faq.md") == "tidb-docs-cn"
    assert product_folder("docs/mysql/slow-query.md") == "mysql"
    assert product_folder("faq.md") == ""


def test_a_page_that_never_mentions_the_product_asked_about_is_left_out():
    tidb, k8s, faq = passage("t", "tidb/a.md", 0.2), passage("k", "k8s/b.md", 0.3), passage("f", "faq", 0.3, kind="faq")
    said = {"t": {"tidb"}, "k": set(), "f": set()}
    gone = off_subject([tidb, k8s, faq], ["tidb"], lambda p, name: name in said[p.chunk_id])
    assert gone == [k8s] and "match" not in k8s.meta and tidb.meta["match"] and faq.meta["match"]
    # no matched page mentions it: nothing to tell them apart by (knowledge.select.rare_subject's case)
    other = passage("k", "k8s/b.md", 0.3)
    assert off_subject([other], ["tidb"], lambda p, name: False) == [] and other.meta["match"]


def test_pages_of_another_product_are_left_out_on_a_real_two_product_base(make_service, mixed):
    ks = make_service(dense="off")
    ks.ingest([mixed], kb="mixed")  # Kubernetes debugging tasks and TiDB troubleshooting guides
    question = "kubernetes 里 pod 一直重启，日志怎么看"
    found = ks.search(question, kb="mixed", k=8)
    kept = ks.select(question, found, max_passages=4)
    assert any(p.meta.get("off_subject") == "kubernetes" for p in found if p.source.startswith("tidb/"))
    assert kept and all(p.source.startswith("kubernetes/") for p in kept)


def test_a_question_entry_holding_every_word_leads_partial_sections():
    """A saturated share says little of a long section, but an FAQ entry holding every word of the
    question answers it: it ranks above partial matches, below sure ones."""
    entry = passage("e", "faq.jsonl", 1.0, kind="faq", full=True)
    entry.meta["class"] = "faq"
    section = passage("s", "a.md", 1.0, full=True)
    section.meta["class"] = "specific"
    part = passage("p", "b.md", 0.6, match="partial")
    sure = passage("x", "c.md", 0.9)
    part.score, section.score, entry.score, sure.score = 0.9, 0.8, 0.5, 0.1
    assert [p.chunk_id for p in select_matched([part, section, entry, sure], 4)] == ["s", "p", "e", "x"]


def test_the_faq_entry_asking_the_question_is_selected(demo):
    # the second entry of the FAQ file used to sink under weak sections of other pages (page decay)
    texts = [p.text for p in chosen(demo, "SSH 连过去一直超时怎么办")]
    assert any("Connection timed out" in t for t in texts)


def test_error_codes_a_question_quotes():
    from knowledge.select import error_codes

    assert error_codes("analyze 里看到 IST0161，报 ERROR 2003 (HY000)") == {"ist0161", "2003", "hy000"}
    assert error_codes("mysql 报 1290 写不进去，返回 403") == {"1290", "403"}
    assert error_codes("v6.5 升级后 2 核 4G 不够，去年 2023 买的") == set()


def test_the_page_titled_with_the_quoted_error_code_leads(demo):
    found = chosen(demo, "应用连云数据库老是报 ERROR 2003 是咋回事")
    assert found and found[-1].source == "docs/mysql/connect-failed.md"
    assert found[-1].meta["evidence"]["titled"] == ["2003"]
    assert found[-1].meta["match"] == "strong"  # about the very error quoted: no hedge
