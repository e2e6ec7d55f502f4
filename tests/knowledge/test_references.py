"""The page a selected passage refers the reader to for the thing asked (knowledge.references).

On the demo knowledge base, keyword-only, with a question written for this test (not taken from
any evaluation set); plus the rule on hand-made passages.
"""

from __future__ import annotations

from knowledge.references import follow_reference, referred_pages
from knowledge.sections import WordEvidence
from knowledge.service import KnowledgeService
from knowledge.types import Passage


def _tokenize(text: str) -> list[str]:
    words = ["磁盘满", "磁盘", "清理", "安全组", "服务器"]
    return [w for w in words if w in text] + [w for w in text.lower().split() if w.isascii() and w.isalpha()]


IDF = {"磁盘满": 5.0, "磁盘": 3.0, "清理": 3.5, "安全组": 2.0, "服务器": 1.0}


def evidence(holding: set[str]) -> WordEvidence:
    return WordEvidence(tokens=["服务器", "磁盘满", "磁盘", "清理"], tokenize=_tokenize, idf=lambda t: IDF.get(t, 0.0),
                        forms={}, in_text=(), form_idf=None, holding={"a": holding}, documentation=lambda t: True)


def passage(text: str, source: str = "docs/scs/ssh.md") -> Passage:
    return Passage(chunk_id="a", source=source, title="SSH", heading_path=["解决方法"], text=text, kind="doc",
                   score=1.0, meta={"match": "strong"})


def test_a_line_carrying_what_the_passage_matched_refers_to_its_link_or_named_page():
    ev = evidence({"服务器", "磁盘满", "磁盘", "清理"})
    linked = passage("服务器连不上先查安全组\n- 磁盘满：清理磁盘，参见[磁盘空间满排查](../disk/disk-full.md#fix)")
    assert referred_pages(linked, ev, lambda: {}) == ["docs/disk/disk-full.md"]
    named = passage("原因: 安全组未放行；处理: 放行\n原因: 磁盘满；处理: 清理磁盘，参见磁盘空间满排查")
    assert referred_pages(named, ev, lambda: {"磁盘空间满排查": "docs/disk/disk-full.md", "SSH": "x.md"}) == \
        ["docs/disk/disk-full.md"]


def test_a_link_on_a_line_about_something_else_or_to_the_web_is_no_reference():
    ev = evidence({"服务器", "磁盘满", "磁盘", "清理"})
    aside = passage("磁盘满了先清理日志\n服务器安全组见[安全组规则](../vpc/rules.md)")
    assert referred_pages(aside, ev, lambda: {"安全组规则": "docs/vpc/rules.md"}) == []
    web = passage("磁盘满：清理磁盘，参见[官方说明](https://example.com/disk)")
    assert referred_pages(web, ev, lambda: {}) == []


def test_the_referred_page_leads_only_when_its_section_holds_the_question():
    ev = evidence({"磁盘满", "磁盘", "清理"})
    top = passage("- 磁盘满：清理磁盘，参见[磁盘空间满排查](../disk/disk-full.md)")
    rows = {"docs/disk/disk-full.md": [{"chunk_id": "d1", "text": "清理日志、缓存", "source": "docs/disk/disk-full.md"}]}

    def as_passage(row: dict, score: float) -> Passage:
        return Passage(chunk_id=row["chunk_id"], source=row["source"], title="磁盘空间满排查", heading_path=["解决方法"],
                       text=row["text"], kind="doc", score=score, meta={})

    out = follow_reference("磁盘满 清理", [top], 4, {"": ev}, lambda kb, s: rows.get(s, []),
                           lambda kb, ids: {"d1": ["清理"]}, as_passage, lambda kb: {})
    assert [p.chunk_id for p in out] == ["a", "d1"] and out[-1].meta["added"] == "reference"
    empty = follow_reference("磁盘满 清理", [top], 4, {"": ev}, lambda kb, s: rows.get(s, []),
                             lambda kb, ids: {"d1": ["缓存"]}, as_passage, lambda kb: {})
    assert [p.chunk_id for p in empty] == ["a"]


def test_the_troubleshooting_row_pointing_at_the_disk_full_page_gives_way_to_it(demo: KnowledgeService):
    question = "服务器磁盘满了咋清理"
    picked = demo.select(question, demo.search(question, kb="demo", k=8), max_passages=4)
    assert picked[-1].source == "docs/disk/disk-full.md"
    assert picked[-1].meta["added"] == "reference"
    assert "docs/scs/ssh-login-failed.md" in {p.source for p in picked}  # the row that pointed there stays
