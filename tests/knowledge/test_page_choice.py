"""Which pages and sections selection keeps when pages compete (knowledge.select.drop_dominated).

On the demo knowledge base, keyword-only, with questions written for these tests (not taken from
any evaluation set); plus the rule itself on hand-made passages.
"""

from __future__ import annotations

import pytest

from knowledge.config import KnowledgeSettings
from knowledge.demo_kb import DEMO_DIR
from knowledge.select import drop_dominated, select_matched
from knowledge.service import KnowledgeService
from knowledge.types import Passage
from models.embeddings.hash import HashEmbedder


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> KnowledgeService:
    ks = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path_factory.mktemp("pages") / "data", HashEmbedder(dim=64))
    ks.ingest([DEMO_DIR], kb="demo")
    yield ks
    ks.close()


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
